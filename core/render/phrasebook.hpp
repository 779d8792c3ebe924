// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

#include "core/render/render.hpp"
#include "core/tcp/connection.hpp"
#include "core/tcp/notes.hpp"
#include "core/tcp/segment_event.hpp"

/// The words of the picture formats (explain, html), in English and Chinese: what each
/// state, note, check rule and close kind means, and where the RFC says so. Every entry
/// exists in both languages (tests/core/render/phrasebook_test.cpp fails when one is empty).
namespace tcpinspect::core::render {

/// What an endpoint does in this state, as a clause ("waits for the peer's SYN-ACK").
std::string_view state_meaning(Lang lang, TcpState s);
/// One sentence explaining a note.
std::string_view note_sentence(Lang lang, Note n);
/// The RFC section that defines the behaviour a note names ("RFC 9293 3.5").
std::string_view note_rfc(Note n);
/// The arithmetic rule, in words ("a SYN-ACK acknowledges the client's ISN + 1").
std::string_view check_rule(Lang lang, CheckKind k);
/// How the connection ended, as a sentence.
std::string_view close_sentence(Lang lang, CloseKind k);
/// "client" / "客户端".
std::string_view side_name(Lang lang, Direction side);

}  // namespace tcpinspect::core::render
