#include "core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <utility>

namespace goldthread {
namespace {

namespace fs = std::filesystem;

std::string Quoted(const std::string& path) { return "'" + path + "'"; }

Status NotRegular(const std::string& path, mode_t mode) {
  return Status::InvalidArgument(Quoted(path) + " is " + FileKindName(mode) + " (expected a regular file)");
}

Status Errno(const std::string& doing, const std::string& path, int err) {
  return Status::IOError("cannot " + doing + " " + Quoted(path) + ": " + std::strerror(err));
}

/// Absolute, with symlinks resolved as far as the path exists.
std::string Resolved(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? path : p.string();
}

// An interrupted writer leaves no temporary file behind. Stopped by SIGINT
// (^C), SIGTERM or SIGHUP, the process unlinks every temporary file it has
// open, then dies of the signal as it would have (a handler of its own, as
// import's, is left in place: it stops the work and the destructors run).
// Killed outright (SIGKILL, a crash, the power), it leaves one, which the
// next Open of the same target removes, its writer's process being gone.
// The table is fixed and lock-free so that the handler may read it: a
// slot is 0 free, 2 being filled, 1 live.
constexpr int kTempSlots = 32;
struct TempSlot {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
TempSlot g_temps[kTempSlots];

extern "C" void RemoveTempsAndDie(int sig) {
  for (TempSlot& slot : g_temps)
    if (slot.state.load(std::memory_order_acquire) == 1) ::unlink(slot.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void InstallTempRemoval() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)) continue;
      struct sigaction sa {};
      sa.sa_handler = RemoveTempsAndDie;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

/// The slot holding path, or -1 when the table is full or the path too long
/// (the file is then still removed by Discard, just not on a signal).
int RegisterTemp(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  InstallTempRemoval();
  for (int i = 0; i < kTempSlots; ++i) {
    int free = 0;
    if (!g_temps[i].state.compare_exchange_strong(free, 2, std::memory_order_acq_rel)) continue;
    std::memcpy(g_temps[i].path, path.c_str(), path.size() + 1);
    g_temps[i].state.store(1, std::memory_order_release);
    return i;
  }
  return -1;
}

void UnregisterTemp(int slot) {
  if (slot >= 0) g_temps[slot].state.store(0, std::memory_order_release);
}

/// A temporary file's name before its PID-N: `.NAME.tmp-` (Open writes
/// these names and RemoveAbandonedTemps reads them back).
std::string TempPrefix(const std::string& name) { return "." + name + ".tmp-"; }

/// Removes `.NAME.tmp-PID-N` files beside target whose process PID is gone.
/// A live writer's (this process's or another's, for all this one knows)
/// is left alone.
void RemoveAbandonedTemps(const std::string& dir, const std::string& name) {
  const std::string prefix = TempPrefix(name);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry.rfind(prefix, 0) != 0) continue;
    const char* digits = entry.c_str() + prefix.size();
    char* stop = nullptr;
    errno = 0;
    const long pid = std::strtol(digits, &stop, 10);
    if (errno != 0 || stop == digits || *stop != '-' || pid <= 0 || pid > INT_MAX) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

}  // namespace

const char* FileKindName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

InputFile::InputFile(InputFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

int InputFile::Release() { return std::exchange(fd_, -1); }

Result<InputFile> OpenInputFile(const std::string& path) {
  // stat first so a device is never opened (opening some has side effects);
  // fstat after, on what was actually opened.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Errno("open", path, errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  int fd;
  do fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return Errno("open", path, errno);
  InputFile f;
  f.fd_ = fd;
  if (::fstat(fd, &st) != 0) return Errno("open", path, errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) return Errno("open", path, errno);
  f.size_ = static_cast<int64_t>(st.st_size);
  return f;
}

Result<std::string> ReadInputFile(const std::string& path, int64_t max_bytes) {
  Result<InputFile> f = OpenInputFile(path);
  if (!f.ok()) return f.status();
  auto too_big = [&](int64_t n) {
    return Status::InvalidArgument(Quoted(path) + " is " + std::to_string(n) + " bytes (expected at most " +
                                   std::to_string(max_bytes) + ")");
  };
  if (f->size() > max_bytes) return too_big(f->size());
  std::string text;
  text.resize(static_cast<size_t>(f->size()) + 1);  // one more byte tells a file that grew
  size_t used = 0;
  while (true) {
    if (used == text.size()) {
      if (static_cast<int64_t>(used) > max_bytes) return too_big(static_cast<int64_t>(used));
      text.resize(std::min<size_t>(text.size() * 2, static_cast<size_t>(max_bytes) + 1));
    }
    ssize_t n = ::read(f->fd(), text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", path, errno);
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  if (static_cast<int64_t>(used) > max_bytes) return too_big(static_cast<int64_t>(used));
  text.resize(used);
  return text;
}

//===----------------------------------------------------------------------===//
// Protected files
//===----------------------------------------------------------------------===//

void ProtectedFiles::Add(const std::string& path, std::string what) {
  Entry e;
  e.resolved = Resolved(path);
  e.shown = path;
  e.what = std::move(what);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    e.has_id = true;
    e.dev = st.st_dev;
    e.ino = st.st_ino;
  }
  entries_.push_back(std::move(e));
}

void ProtectedFiles::AddStore(const std::string& path) {
  Add(path, "the store");
  Add(path + "-journal", "the store's journal");
  Add(path + "-wal", "the store's write-ahead log");
  Add(path + "-shm", "the store's shared-memory file");
}

Status ProtectedFiles::Check(const std::string& output) const {
  const std::string resolved = Resolved(output);
  struct stat st;
  const bool exists = ::stat(output.c_str(), &st) == 0;
  for (const Entry& e : entries_) {
    const bool same_file = exists && e.has_id && e.dev == st.st_dev && e.ino == st.st_ino;
    if (same_file || e.resolved == resolved)
      return Status::InvalidArgument(Quoted(output) + " is " + e.what + " " + Quoted(e.shown) +
                                     ", which an output must not replace (expected another file name)");
  }
  return Status::Ok();
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

namespace {

constexpr size_t kFlushAt = size_t{1} << 20;

}  // namespace

Result<OutputFile> OutputFile::Open(const std::string& path, const ProtectedFiles& protect) {
  if (path.empty()) return Status::InvalidArgument("an empty output file name (expected a file name)");
  GT_RETURN_IF_ERROR(protect.Check(path));
  OutputFile out;
  out.path_ = path;
  struct stat st;
  std::string target = path;
  mode_t mode = 0666;
  bool keep_mode = false;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return Status::InvalidArgument(Quoted(path) + " is a directory (expected a file name)");
    if (!S_ISREG(st.st_mode)) {
      // /dev/null, /dev/stdout, a FIFO: written in place, never replaced.
      int fd;
      do fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      while (fd < 0 && errno == EINTR);
      if (fd < 0) return Errno("write", path, errno);
      out.fd_ = fd;
      return out;
    }
    // An existing file (through any symlinks) is replaced where it lives,
    // keeping its permissions.
    target = Resolved(path);
    mode = st.st_mode & 07777;
    keep_mode = true;
  }
  fs::path t(target);
  const std::string dir = t.has_parent_path() ? t.parent_path().string() : std::string(".");
  RemoveAbandonedTemps(dir, t.filename().string());
  static std::atomic<uint64_t> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = (fs::path(dir) / (TempPrefix(t.filename().string()) + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter++)))
                           .string();
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, keep_mode ? 0600 : mode);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) return Errno("write", path, errno);
    if (keep_mode) (void)::fchmod(fd, mode);
    out.fd_ = fd;
    out.temp_slot_ = RegisterTemp(temp);
    out.temp_ = std::move(temp);
    out.path_ = target;
    return out;
  }
  return Status::IOError("cannot write " + Quoted(path) + ": no free temporary name in " + Quoted(dir));
}

OutputFile::~OutputFile() { Discard(); }

OutputFile::OutputFile(OutputFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::move(other.temp_)),
      temp_slot_(std::exchange(other.temp_slot_, -1)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      error_(other.error_) {
  other.temp_.clear();
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    Discard();
    path_ = std::move(other.path_);
    temp_ = std::exchange(other.temp_, std::string());
    temp_slot_ = std::exchange(other.temp_slot_, -1);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    error_ = other.error_;
  }
  return *this;
}

void OutputFile::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  UnregisterTemp(std::exchange(temp_slot_, -1));
}

void OutputFile::Write(std::string_view data) {
  buffer_.append(data);
  if (buffer_.size() >= kFlushAt) Flush();
}

void OutputFile::Flush() {
  size_t done = 0;
  while (done < buffer_.size() && error_ == 0 && fd_ >= 0) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error_ = errno;
    else done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

Status OutputFile::Commit() {
  if (fd_ < 0) return Status::Internal("output " + Quoted(path_) + " is not open");
  Flush();
  if (error_ == 0 && !temp_.empty() && ::fsync(fd_) != 0) error_ = errno;
  if (::close(fd_) != 0 && error_ == 0) error_ = errno;
  fd_ = -1;
  if (error_ == 0 && !temp_.empty() && ::rename(temp_.c_str(), path_.c_str()) != 0) error_ = errno;
  if (error_ != 0) {
    int err = error_;
    Discard();
    return Errno("write", path_, err);
  }
  temp_.clear();
  UnregisterTemp(std::exchange(temp_slot_, -1));
  return Status::Ok();
}

Status WriteOutputFile(const std::string& path, std::string_view text, const ProtectedFiles& protect) {
  Result<OutputFile> out = OutputFile::Open(path, protect);
  if (!out.ok()) return out.status();
  out->Write(text);
  return out->Commit();
}

}  // namespace goldthread
