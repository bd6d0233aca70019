#include "store/pg_scan.h"

#include <cstdint>
#include <cstring>

namespace goldthread::pg {
namespace {

constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // 11 bytes with its NUL
constexpr size_t kHeaderBytes = 11 + 4 + 4;         // signature, flags, extension length
constexpr size_t kMetaColumns = 4;

// Network byte order (big-endian) integers.
uint64_t Be(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

Status BinaryRowReader::Feed(std::string_view data) {
  if (carry_.empty()) {
    Result<size_t> used = Parse(data);
    if (!used.ok()) return used.status();
    carry_.assign(data.substr(*used));
    return Status::Ok();
  }
  carry_.append(data);
  Result<size_t> used = Parse(carry_);
  if (!used.ok()) return used.status();
  carry_.erase(0, *used);
  return Status::Ok();
}

Result<size_t> BinaryRowReader::Parse(std::string_view data) {
  size_t pos = 0;
  if (!header_done_) {
    if (data.size() < kHeaderBytes) return size_t{0};
    if (std::memcmp(data.data(), kSignature, 11) != 0)
      return Status::Corruption("the server's COPY data does not start with PGCOPY's signature");
    const uint64_t ext = Be(data.data() + 15, 4);
    if (data.size() < kHeaderBytes + ext) return size_t{0};
    pos = kHeaderBytes + ext;
    header_done_ = true;
  }
  const size_t fields = values_.size();
  StoredRow row;
  row.values = values_;
  while (pos + 2 <= data.size()) {
    const auto count = static_cast<int16_t>(Be(data.data() + pos, 2));
    if (count == -1) {
      trailer_seen_ = true;
      return data.size();
    }
    if (static_cast<size_t>(count) != kMetaColumns + fields)
      return Status::Corruption("the server's COPY row has " + std::to_string(count) + " columns, expected " +
                                std::to_string(kMetaColumns + fields));
    size_t p = pos + 2;
    std::string_view cols[kMetaColumns];
    bool complete = true;
    for (size_t c = 0; c < kMetaColumns + fields; ++c) {
      if (p + 4 > data.size()) {
        complete = false;
        break;
      }
      const auto len = static_cast<int32_t>(Be(data.data() + p, 4));
      p += 4;
      std::string_view v;
      if (len > 0) {
        if (p + static_cast<size_t>(len) > data.size()) {
          complete = false;
          break;
        }
        v = data.substr(p, static_cast<size_t>(len));
        p += static_cast<size_t>(len);
      }
      if (c < kMetaColumns)
        cols[c] = v;
      else
        values_[c - kMetaColumns] = v;
    }
    if (!complete) break;
    if (cols[0].size() != 8 || cols[2].size() != 8 || cols[3].size() != 4)
      return Status::Corruption("the server's COPY row has metadata of unexpected sizes");
    row.batch_id = static_cast<int64_t>(Be(cols[0].data(), 8));
    row.source_file = cols[1];
    row.source_line = static_cast<int64_t>(Be(cols[2].data(), 8));
    row.version = static_cast<int32_t>(Be(cols[3].data(), 4));
    GT_RETURN_IF_ERROR(visit_(row));
    pos = p;
  }
  return pos;
}

Status BinaryRowReader::Finish(const std::string& what) const {
  if (!header_done_ || !trailer_seen_ || !carry_.empty())
    return Status::Corruption(what + ": the server's COPY data ended in the middle");
  return Status::Ok();
}

}  // namespace goldthread::pg
