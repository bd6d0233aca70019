#pragma once
// A fast RFC 4180 CSV reader: `,` separator, quoted fields with doubled
// quotes, LF or CRLF line ends, a UTF-8 byte-order mark skipped, line breaks
// inside quoted fields, and the exact line number where each record starts.
//
// Why hand-written: imports are tens of millions of rows, and the reader is
// on the hot path. Records without quotes (nearly all of them) are split
// with memchr (vectorised in glibc) straight out of a large read buffer, and
// fields are string_views into that buffer: no copy, no allocation per row.
// bench/import_perftest.cc measures it against std::getline + split.
//
// Leniency, by design: a quote inside an unquoted field, or text after a
// closing quote, is kept as data rather than refused, since validation of
// the values will catch what matters. An unterminated quoted field at the end
// of input is an error.
//
// Memory is bounded: a record longer than max_record_bytes() (1 MiB unless
// set) is an error naming its line, so a file with no line ends (or lone
// CRs) is never read whole into memory.
//
// Thread-safety: one reader per thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace goldthread {

/// The longest record CsvReader accepts by default: a canonical record is a
/// few hundred bytes, at most 24 fields of at most 4096 bytes.
inline constexpr size_t kMaxCsvRecordBytes = size_t{1} << 20;

class CsvReader {
 public:
  /// Opens a file. name is used in error messages ("requests.csv").
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, std::string name);
  /// Reads from memory (tests and benchmarks).
  static std::unique_ptr<CsvReader> FromString(std::string text, std::string name);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Reads the next record. Returns false at the end of the input or on an
  /// error; then status() says which. The views below stay valid until the
  /// next call.
  bool Next();
  std::span<const std::string_view> fields() const { return fields_; }
  /// 1-based line on which the record starts (the header is line 1).
  int64_t line() const { return line_; }
  /// The record's bytes as in the file, without its line ending.
  std::string_view raw() const { return raw_; }
  /// Ok at a clean end of input; else "name:line: what is wrong (expected ...)"
  /// or an I/O error.
  const Status& status() const { return status_; }
  /// Bytes consumed so far (for progress).
  int64_t bytes_read() const { return bytes_read_; }
  size_t max_record_bytes() const { return max_record_bytes_; }
  void set_max_record_bytes(size_t n) { max_record_bytes_ = n; }

 private:
  CsvReader(int fd, std::string name);
  enum class Parse { kRecord, kNeedMore, kError };
  Parse ParseRecord();
  Parse ParseQuoted(const char* p);
  bool Fill();
  /// Sets the error for a record longer than max_record_bytes_.
  void TooLong(std::string_view record, int64_t line);

  int fd_ = -1;
  std::string name_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  int64_t next_line_ = 1, line_ = 0, bytes_read_ = 0;
  size_t max_record_bytes_ = kMaxCsvRecordBytes;
  std::vector<std::string_view> fields_;
  std::string_view raw_;
  std::string scratch_;  // the quoted fields' text, unquoted, of a record with quotes
  struct Span {
    size_t off, len;
    bool scratch;  // in scratch_; else in the buffer, from the record's first byte
  };
  std::vector<Span> offsets_;  // the fields of a record with quotes
  Status status_;
};

}  // namespace goldthread
