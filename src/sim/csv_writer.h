#pragma once
// A fast buffered writer of one canonical CSV file. The header is written
// from model/schema (so the simulator cannot drift from the format) and every
// row must have exactly the table's number of fields (asserted: a mismatch is
// a programming error in the simulator, not bad input).
//
// Hand-rolled rather than fmt/iostreams because the simulator writes tens of
// millions of rows; see bench/sim_perftest.cc. Values written here never
// contain ',', '"' or newlines, so no quoting is needed (asserted).
//
// The file is written under a temporary name and renamed into place by
// Close() (core/file.h), so a killed or failed simulation never leaves a
// truncated canonical file that an import would read as complete.
//
// Not thread-safe; one writer per file.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/date.h"
#include "core/file.h"
#include "core/status.h"
#include "model/schema.h"

namespace goldthread::sim {

class CsvWriter {
 public:
  CsvWriter();
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  /// Creates dir/<table>.csv and writes the canonical header.
  Status Open(const std::filesystem::path& dir, const TableSpec& spec);
  /// Flushes, closes and renames into place; reports a write error if any
  /// happened (then the file does not appear).
  Status Close();

  CsvWriter& Str(std::string_view s);
  /// prefix followed by n, as one field: "P123".
  CsvWriter& Id(std::string_view prefix, int64_t n);
  CsvWriter& Int(int64_t v);
  CsvWriter& Day(Date d);        // YYYY-MM-DD, empty when kNullDate
  CsvWriter& Month(Date d);      // YYYY-MM
  CsvWriter& Time(Timestamp t);  // YYYY-MM-DDTHH:MM:SS, empty when kNullTimestamp
  CsvWriter& Money(double v);    // two decimals
  CsvWriter& YesNo(bool y) { return Str(y ? "Y" : "N"); }
  CsvWriter& Null() { return Str({}); }
  void EndRow();

  int64_t rows() const { return rows_; }
  int64_t bytes() const { return bytes_; }

 private:
  void Sep() {
    if (fields_++ > 0) *p_++ = ',';
  }
  void Flush();

  std::unique_ptr<char[]> buf_;
  char* p_ = nullptr;
  OutputFile file_;
  bool open_ = false;
  int fields_ = 0;
  int expected_fields_ = 0;
  int64_t rows_ = 0;
  int64_t bytes_ = 0;
  std::string_view name_;
};

}  // namespace goldthread::sim
