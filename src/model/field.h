#pragma once
// Parsing and validating one field of the canonical format. Ingest and the
// snapshot share this, so a value accepted on import is read back the same.

#include <cstdint>
#include <string>
#include <string_view>

#include "model/schema.h"

namespace goldthread {

/// A parsed field. null = the field was empty (unknown).
struct FieldValue {
  bool null = true;
  int64_t i = 0;          // dates/months (days), timestamps (seconds), counts, ints,
                          // Y/N (1/0), code index, code-set bitmask
  double f = 0;           // amounts, scores
  std::string_view text;  // ids, references, text (points into the input)
};

/// Parses text as field f. On failure returns false and sets problem to
/// "<what is wrong> (expected <what>)", e.g.
/// "'2024-13-01' is not a valid date (expected YYYY-MM-DD)". Surrounding
/// white space is not trimmed: " 2024-04-01" is wrong, as it would be in SQL.
bool TryParseField(const FieldSpec& f, std::string_view text, FieldValue& out, std::string& problem);

/// What a valid value of f looks like: "YYYY-MM-DD", "one of: Y, N", ...
std::string ExpectedFormat(const FieldSpec& f);

/// The index of code in codes, or -1.
int CodeIndex(std::span<const std::string_view> codes, std::string_view code);

}  // namespace goldthread
