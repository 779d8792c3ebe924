// SPDX-License-Identifier: MIT
#pragma once

namespace tcpinspect::cmd {

/// Whether the user's locale (LC_ALL, LC_CTYPE, LANG, as setlocale(LC_CTYPE, "") reads
/// them) is UTF-8; when it is not (LC_ALL=C, POSIX, Latin-1) the text formats print ASCII
/// arrows and marks. Read once; the process's own locale is left as it was.
bool locale_is_utf8();

}  // namespace tcpinspect::cmd
