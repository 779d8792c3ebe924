// SPDX-License-Identifier: MIT
#include "cmd/terminal_charset.hpp"

#include <langinfo.h>

#include <clocale>
#include <cstring>
#include <string>

namespace tcpinspect::cmd {

bool locale_is_utf8() {
  static const bool utf8 = [] {
    // Switch to the environment's locale only to ask for its character set, then back:
    // the rest of the program (number formatting, ctype) keeps the "C" locale.
    const char* current = std::setlocale(LC_CTYPE, nullptr);
    const std::string saved = current ? current : "C";
    if (std::setlocale(LC_CTYPE, "") == nullptr) return false;  // an unknown locale
    const char* codeset = nl_langinfo(CODESET);
    const bool is_utf8 = codeset != nullptr &&
                         (std::strcmp(codeset, "UTF-8") == 0 || std::strcmp(codeset, "utf8") == 0);
    std::setlocale(LC_CTYPE, saved.c_str());
    return is_utf8;
  }();
  return utf8;
}

}  // namespace tcpinspect::cmd
