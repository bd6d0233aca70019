#pragma once
// Checked file access for everything a user can point goldthread at.
//
// Reading: every input file is opened through OpenInputFile, which refuses
// what is not a regular file (a directory, a FIFO, a device such as
// /dev/zero, a socket) with a clear message, after following symlinks, and
// checks the file it actually opened (fstat on the descriptor), so a path
// swapped between the check and the open cannot slip through. FIFOs are
// opened non-blocking, so refusing one never waits for a writer.
// Size policy: files read whole into memory (definitions, checks.toml, plan
// files, spc/funnel series) go through ReadInputFile, limited to
// kMaxWholeFileBytes by default; CSV extracts are streamed (their memory is
// bounded per record by the CSV reader), so only OpenInputFile applies.
//
// Writing: every output file goes through WriteOutputFile (whole text) or
// OutputFile (streamed). The output is first written to a temporary file in
// the target's directory, flushed to disk, then renamed over the target, so
// a failure or a kill never leaves a half-written output, and an existing
// output stays intact until the new one is complete. An output path that is
// one of the protected files (the store, its -journal, -wal and -shm files,
// the command's input files) is refused; the comparison is by file identity
// (device and inode, so hard links and symlinks are caught) and by resolved
// path (so a file not created yet, such as a store's -wal, is caught too).
// An existing output that is not a regular file (/dev/null, /dev/stdout, a
// FIFO) is written in place, never replaced; a directory is refused.
//
// Thread-safety: the functions are thread-safe; an OutputFile is used from
// one thread.

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace goldthread {

/// What a file that is not regular is, for messages: "a directory", "a FIFO
/// (named pipe)", "a character device", "a block device", "a socket".
const char* FileKindName(mode_t mode);

/// Files read whole (definitions, configuration, plans, series CSVs): 64 MiB.
inline constexpr int64_t kMaxWholeFileBytes = int64_t{64} << 20;

/// An open input file: a regular file, read-only. Closes on destruction.
class InputFile {
 public:
  InputFile() = default;
  ~InputFile();
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int fd() const { return fd_; }
  /// The size when opened.
  int64_t size() const { return size_; }
  /// Gives up ownership of the descriptor (the caller closes it).
  int Release();

 private:
  friend Result<InputFile> OpenInputFile(const std::string& path);
  int fd_ = -1;
  int64_t size_ = 0;
};

/// Opens a regular file for reading. Errors (IOError; InvalidArgument for
/// what is not a regular file): "'PATH' is a directory (expected a regular
/// file)", "'PATH' is a FIFO (expected a regular file)", "'PATH' is a
/// character device (expected a regular file)", "cannot open 'PATH': No such
/// file or directory".
Result<InputFile> OpenInputFile(const std::string& path);

/// Reads a whole regular file of at most max_bytes. A larger one is refused:
/// "'PATH' is 70000000 bytes (expected at most 67108864)".
Result<std::string> ReadInputFile(const std::string& path, int64_t max_bytes = kMaxWholeFileBytes);

/// The files an output must never replace, by identity and resolved path.
class ProtectedFiles {
 public:
  /// A file the command reads (an input), under this description ("an
  /// input file", "the definition file").
  void Add(const std::string& path, std::string what);
  /// A SQLite store: the file and its -journal, -wal and -shm companions.
  void AddStore(const std::string& path);
  /// Ok, or InvalidArgument "'OUT' is the store 's.db' (expected a new file
  /// name)" and the like.
  Status Check(const std::string& output) const;

 private:
  struct Entry {
    std::string resolved;  // absolute, symlinks resolved as far as the path exists
    std::string shown;     // as the user gave it
    std::string what;
    bool has_id = false;
    dev_t dev = 0;
    ino_t ino = 0;
  };
  std::vector<Entry> entries_;
};

/// An output written to a temporary file and renamed over the target on
/// Commit(). Destroying it without a successful Commit() removes the
/// temporary file and leaves the target as it was; so does SIGINT, SIGTERM
/// or SIGHUP stopping the process (unless it handles them itself), and a
/// temporary file left by a writer killed outright is removed by the next
/// Open of the same target.
class OutputFile {
 public:
  /// Refuses a protected or unwritable path (before anything is written).
  static Result<OutputFile> Open(const std::string& path, const ProtectedFiles& protect);
  OutputFile() = default;
  ~OutputFile();
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Buffered; errors are reported by Commit().
  void Write(std::string_view data);
  /// Flushes, syncs and renames into place.
  Status Commit();
  const std::string& path() const { return path_; }

 private:
  void Flush();
  void Discard();
  std::string path_, temp_;  // temp_ empty: writing in place (a device or FIFO)
  int temp_slot_ = -1;       // temp_'s place in the table a signal empties (file.cc)
  int fd_ = -1;
  std::string buffer_;
  int error_ = 0;  // the first errno of a failed write
};

/// WriteOutputFile: OutputFile::Open, Write(text), Commit().
Status WriteOutputFile(const std::string& path, std::string_view text, const ProtectedFiles& protect = {});

}  // namespace goldthread
