#include "sim/csv_writer.h"

#include <cassert>
#include <cstring>
#include <string>

namespace goldthread::sim {
namespace {

constexpr size_t kFlushAt = size_t{1} << 20;  // flush once a row pushes past 1 MiB
constexpr size_t kSlack = 16 * 1024;          // room for the longest row

char* Digits2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

char* WriteUnsigned(char* p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = tmp[--n];
  return p;
}

char* WriteYmd(char* p, Date d) {
  YearMonthDay c = CivilFromDate(d);
  // Years 1000-9999 only: the simulator never leaves them.
  p = Digits2(p, c.year / 100);
  p = Digits2(p, c.year % 100);
  *p++ = '-';
  p = Digits2(p, c.month);
  *p++ = '-';
  return Digits2(p, c.day);
}

}  // namespace

CsvWriter::CsvWriter() : buf_(new char[kFlushAt + kSlack]), p_(buf_.get()) {}

CsvWriter::~CsvWriter() = default;  // an OutputFile not committed leaves nothing

Status CsvWriter::Open(const std::filesystem::path& dir, const TableSpec& spec) {
  Result<OutputFile> file = OutputFile::Open((dir / spec.FileName()).string(), ProtectedFiles());
  if (!file.ok()) return file.status();
  file_ = std::move(*file);
  open_ = true;
  name_ = spec.name;
  expected_fields_ = static_cast<int>(spec.fields.size());
  for (const FieldSpec& f : spec.fields) Str(f.name);
  EndRow();
  rows_ = 0;  // the header is not a row
  return Status::Ok();
}

void CsvWriter::Flush() {
  size_t n = static_cast<size_t>(p_ - buf_.get());
  if (n > 0 && open_) file_.Write(std::string_view(buf_.get(), n));
  bytes_ += static_cast<int64_t>(n);
  p_ = buf_.get();
}

Status CsvWriter::Close() {
  if (!open_) return Status::Ok();
  Flush();
  open_ = false;
  return file_.Commit();
}

CsvWriter& CsvWriter::Str(std::string_view s) {
  // Programming error if a value would need CSV quoting or overflow the slack.
  assert(s.find_first_of(",\"\n\r") == std::string_view::npos);
  assert(s.size() < 1024);
  Sep();
  if (!s.empty()) std::memcpy(p_, s.data(), s.size());
  p_ += s.size();
  return *this;
}

CsvWriter& CsvWriter::Id(std::string_view prefix, int64_t n) {
  Sep();
  std::memcpy(p_, prefix.data(), prefix.size());
  p_ = WriteUnsigned(p_ + prefix.size(), static_cast<uint64_t>(n));
  return *this;
}

CsvWriter& CsvWriter::Int(int64_t v) {
  Sep();
  if (v < 0) {
    *p_++ = '-';
    v = -v;
  }
  p_ = WriteUnsigned(p_, static_cast<uint64_t>(v));
  return *this;
}

CsvWriter& CsvWriter::Day(Date d) {
  Sep();
  if (d != kNullDate) p_ = WriteYmd(p_, d);
  return *this;
}

CsvWriter& CsvWriter::Month(Date d) {
  Sep();
  if (d != kNullDate) p_ = WriteYmd(p_, d) - 3;
  return *this;
}

CsvWriter& CsvWriter::Time(Timestamp t) {
  Sep();
  if (t == kNullTimestamp) return *this;
  Date d = DateOfTimestamp(t);
  int secs = static_cast<int>(t - static_cast<Timestamp>(d) * 86400);
  p_ = WriteYmd(p_, d);
  *p_++ = 'T';
  p_ = Digits2(p_, secs / 3600);
  *p_++ = ':';
  p_ = Digits2(p_, secs / 60 % 60);
  *p_++ = ':';
  p_ = Digits2(p_, secs % 60);
  return *this;
}

CsvWriter& CsvWriter::Money(double v) {
  Sep();
  if (v < 0) v = 0;
  // v >= 0 here, so + 0.5 and truncation round half up.
  int64_t cents = static_cast<int64_t>(v * 100.0 + 0.5);  // NOLINT(bugprone-incorrect-roundings)
  p_ = WriteUnsigned(p_, static_cast<uint64_t>(cents / 100));
  *p_++ = '.';
  p_ = Digits2(p_, static_cast<int>(cents % 100));
  return *this;
}

void CsvWriter::EndRow() {
  // Every row has exactly the table's fields: a mismatch is a simulator bug.
  assert(fields_ == expected_fields_);
  *p_++ = '\n';
  fields_ = 0;
  ++rows_;
  if (static_cast<size_t>(p_ - buf_.get()) >= kFlushAt) Flush();
}

}  // namespace goldthread::sim
