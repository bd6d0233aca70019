#pragma once
// UTF-8 validity (the canonical format is UTF-8; shared/DESIGN.md section 3)
// and quoting untrusted bytes for messages, so an error never writes invalid
// UTF-8 or terminal control sequences to the user's screen.

#include <cstddef>
#include <string>
#include <string_view>

namespace goldthread {

/// The offset of the first byte that does not begin a well-formed UTF-8
/// sequence (Unicode 15, section 3.9, table 3-7: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or npos when s is valid.
size_t FindInvalidUtf8(std::string_view s);

/// s for a message: control characters, DEL and bytes of invalid sequences
/// as \xNN, valid UTF-8 as it is; longer than max_bytes
/// is cut at a character boundary and ends in "...".
std::string Printable(std::string_view s, size_t max_bytes = 80);

}  // namespace goldthread
