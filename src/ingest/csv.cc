#include "ingest/csv.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/file.h"

namespace goldthread {
namespace {

constexpr size_t kInitialBuffer = size_t{1} << 20;  // grows when one record is longer

const char* Find(const char* p, const char* end, char c) {
  return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

}  // namespace

CsvReader::CsvReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, std::string name) {
  // A regular file only: a link to /dev/zero or a FIFO would never end.
  Result<InputFile> file = OpenInputFile(path);
  if (!file.ok()) {
    const Status& s = file.status();
    return s.code() == StatusCode::kInvalidArgument ? Status::InvalidArgument(name + ": " + s.message())
                                                    : Status::IOError(name + ": " + s.message());
  }
  std::unique_ptr<CsvReader> r(new CsvReader(file->Release(), std::move(name)));  // private constructor
  r->buf_.resize(kInitialBuffer);
  return r;
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string text, std::string name) {
  std::unique_ptr<CsvReader> r(new CsvReader(-1, std::move(name)));  // private constructor
  r->buf_.assign(text.begin(), text.end());
  r->end_ = r->buf_.size();
  r->eof_ = true;
  return r;
}

bool CsvReader::Fill() {
  // Keep the unread tail (a record cut by the buffer's end) and read after it.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(std::max(kInitialBuffer, buf_.size() * 2));
  ssize_t n;
  do n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    status_ = Status::IOError(name_ + ": read failed: " + std::strerror(errno));
    return false;
  }
  if (n == 0) eof_ = true;
  end_ += static_cast<size_t>(n);
  return true;
}

bool CsvReader::Next() {
  if (!status_.ok()) return false;
  if (!started_) {
    while (end_ - pos_ < 3 && !eof_)
      if (!Fill()) return false;
    if (end_ - pos_ >= 3 && std::memcmp(buf_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
      pos_ += 3;
      bytes_read_ += 3;
    }
    started_ = true;
  }
  const int64_t record_start = bytes_read_;
  while (true) {
    if (pos_ == end_) {
      if (eof_) return false;
      if (!Fill()) return false;
      continue;
    }
    Parse r = ParseRecord();
    if (r == Parse::kRecord) {
      if (bytes_read_ - record_start > static_cast<int64_t>(max_record_bytes_) + 2) {  // + its line end
        TooLong(raw_, line_);
        return false;
      }
      return true;
    }
    if (r == Parse::kError) return false;
    if (end_ - pos_ > max_record_bytes_) {  // no end in sight: stop before the buffer grows further
      TooLong(std::string_view(buf_.data() + pos_, end_ - pos_), next_line_);
      return false;
    }
    if (!Fill()) return false;
  }
}

void CsvReader::TooLong(std::string_view record, int64_t line) {
  // A lone CR in a long record: lines saved the old Mac way, read as one.
  const size_t cr = record.find('\r');
  const bool lone_cr = cr != std::string_view::npos && cr + 1 < record.size() && record[cr + 1] != '\n';
  status_ = Status::InvalidArgument(
      name_ + ":" + std::to_string(line) + ": a record is longer than " + std::to_string(max_record_bytes_) +
      " bytes (expected " +
      (lone_cr ? std::string("lines that end with LF or CRLF: this file's lines seem to end with a lone CR")
               : "a line end within every " + std::to_string(max_record_bytes_) + " bytes") +
      ")");
}

CsvReader::Parse CsvReader::ParseRecord() {
  const char* p = buf_.data() + pos_;
  const char* end = buf_.data() + end_;
  const char* nl = Find(p, end, '\n');
  if (!nl && !eof_) return Parse::kNeedMore;
  const char* line_end = nl ? nl : end;
  if (Find(p, line_end, '"')) return ParseQuoted(p);
  // Fast path: no quote on the line, so fields are the bytes between commas.
  const char* content_end = line_end;
  if (content_end > p && content_end[-1] == '\r') --content_end;
  fields_.clear();
  const char* f = p;
  while (true) {
    const char* comma = Find(f, content_end, ',');
    if (!comma) {
      fields_.emplace_back(f, static_cast<size_t>(content_end - f));
      break;
    }
    fields_.emplace_back(f, static_cast<size_t>(comma - f));
    f = comma + 1;
  }
  raw_ = std::string_view(p, static_cast<size_t>(content_end - p));
  line_ = next_line_++;
  size_t consumed = static_cast<size_t>((nl ? nl + 1 : end) - p);
  pos_ += consumed;
  bytes_read_ += static_cast<int64_t>(consumed);
  return Parse::kRecord;
}

CsvReader::Parse CsvReader::ParseQuoted(const char* p) {
  // The general state machine, for records with a quote somewhere. Field
  // text is unquoted into scratch_; a quoted field may span lines.
  const char* end = buf_.data() + end_;
  const char* q = p;
  const char* record_end = nullptr;
  int64_t newlines = 0;
  scratch_.clear();
  offsets_.clear();
  const char* nl = Find(q, end, '\n');  // the first LF at or after q, or nullptr
  while (true) {
    const size_t start = scratch_.size();
    const char* const field = q;
    if (q == end || *q != '"') {
      // An unquoted field is its bytes in the buffer (not copied: a CLD row
      // has fifty fields and one or two quoted), up to the next comma or
      // line end; a CR before the LF is the line end's, a lone CR is data.
      const char* comma = Find(q, nl ? nl : end, ',');
      if (comma) {
        q = comma;
      } else if (nl) {
        q = nl > q && nl[-1] == '\r' ? nl - 1 : nl;
      } else {
        if (!eof_) return Parse::kNeedMore;
        q = end;
      }
      offsets_.push_back({static_cast<size_t>(field - p), static_cast<size_t>(q - field), false});
    } else {
      ++q;
      while (true) {
        const char* quote = Find(q, end, '"');
        if (!quote) {
          if (!eof_) return Parse::kNeedMore;
          status_ = Status::InvalidArgument(name_ + ":" + std::to_string(next_line_) +
                                            ": a quoted field is not closed (expected a closing '\"')");
          return Parse::kError;
        }
        newlines += std::count(q, quote, '\n');
        scratch_.append(q, quote);
        q = quote + 1;
        if (q == end && !eof_) return Parse::kNeedMore;  // "" may continue in the next read
        if (q < end && *q == '"') {
          scratch_ += '"';
          ++q;
          continue;
        }
        break;
      }
      // Text after the closing quote (kept as data), a run at a time.
      while (true) {
        const char* run = q;
        while (q < end && *q != ',' && *q != '\n' && *q != '\r') ++q;
        scratch_.append(run, q);
        if (q == end || *q != '\r') break;
        if (q + 1 == end && !eof_) return Parse::kNeedMore;
        if (q + 1 < end && q[1] == '\n') break;
        scratch_ += *q++;  // a lone CR is data
      }
      offsets_.push_back({start, scratch_.size() - start, true});
      if (nl && nl < q) nl = Find(q, end, '\n');  // the quoted text held line ends
    }
    if (q == end) {
      if (!eof_) return Parse::kNeedMore;
      record_end = q;
      break;
    }
    if (*q == ',') {
      ++q;
      continue;
    }
    record_end = q;
    if (*q == '\r') ++q;
    ++q;  // the '\n'
    break;
  }
  fields_.clear();
  for (const Span& f : offsets_) fields_.emplace_back((f.scratch ? scratch_.data() : p) + f.off, f.len);
  raw_ = std::string_view(p, static_cast<size_t>(record_end - p));
  line_ = next_line_;
  next_line_ += 1 + newlines;
  size_t consumed = static_cast<size_t>(q - p);
  pos_ += consumed;
  bytes_read_ += static_cast<int64_t>(consumed);
  return Parse::kRecord;
}

}  // namespace goldthread
