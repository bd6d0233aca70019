#pragma once
// Reads PostgreSQL's binary COPY format
// (https://www.postgresql.org/docs/15/sql-copy.html, "Binary Format") for
// the store's scans: columns batch_id (int8), source_file (text),
// source_line (int8), version (int4), then the table's text fields. Each
// row goes to the visitor as a StoredRow whose views point into the bytes
// received (NULL reads as "", as the SQLite store gives it).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace goldthread::pg {

class BinaryRowReader {
 public:
  BinaryRowReader(size_t fields, const RowVisitor& visit) : visit_(visit), values_(fields) {}
  /// The next bytes of the COPY stream, whole rows or not.
  Status Feed(std::string_view data);
  /// After the last bytes: an error unless the stream ended where a row
  /// did, with its trailer. what names the scan in messages.
  Status Finish(const std::string& what) const;

 private:
  /// Parses rows from data; returns the bytes consumed (a partial row is
  /// left), or an error.
  Result<size_t> Parse(std::string_view data);

  const RowVisitor& visit_;
  std::vector<std::string_view> values_;
  std::string carry_;  // a row split across messages
  bool header_done_ = false;
  bool trailer_seen_ = false;
};

}  // namespace goldthread::pg
