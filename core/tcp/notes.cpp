// SPDX-License-Identifier: MIT
#include "core/tcp/notes.hpp"

namespace tcpinspect::core {

std::string_view note_id(Note n) {
  return enum_entry<Note>(kNotes, n).id;
}

std::string_view note_text(Note n) {
  return enum_entry<Note>(kNotes, n).text;
}

}  // namespace tcpinspect::core
