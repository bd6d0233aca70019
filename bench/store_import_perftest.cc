// How an import batch is written to SQLite, measured (issue 9): the
// rollback journal that is fastest for a bulk load refuses readers while it
// writes, so goldthread keeps it only for a store built by its first
// import, which no reader can open; every other batch is written in WAL.
// This driver imports a directory with any of the alternatives, so each
// can be timed as a whole process:
//
//   goldthread simulate --people 100000 --months 36 --seed 1 --out DIR
//   store_import_perftest DIR STORE [--journal wal|rollback-new|rollback-alone]
//       [--sync off|normal|full] [--cache-mib N] [--checkpoint after-commit|auto]
//       [--base BASE.db]
//
// --journal: wal (every batch in WAL), rollback-new (goldthread's default:
// a new store is built under another name with a rollback journal, then
// switched to WAL and named), rollback-alone (the old behaviour: a rollback
// journal whenever no other connection is open, which refuses readers).
// --sync: synchronous during the batch (default full). --checkpoint:
// after-commit (default: no automatic checkpoint inside the batch, one
// passive checkpoint after it) or auto (SQLite's every 1000 pages).
// --base: copy BASE.db to STORE first (untimed), to import into an existing
// store rather than a new one.
//
// STORE (and its -wal, -shm, -journal) is removed first. Prints the import's
// own wall and CPU seconds (closing the store included: a user waits for
// the final checkpoint), rows stored, and the store's size on disk.

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "ingest/import.h"
#include "store/sqlite_store.h"

namespace gt = goldthread;
namespace fs = std::filesystem;

namespace {

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

int Usage() {
  fmt::print(stderr,
             "usage: store_import_perftest DIR STORE [--journal wal|rollback-new|rollback-alone] "
             "[--sync off|normal|full] [--cache-mib N] [--checkpoint after-commit|auto] [--base BASE.db]\n");
  return 2;
}

uintmax_t SizeOf(const std::string& path) {
  uintmax_t total = 0;
  std::error_code ec;
  for (const char* s : {"", "-wal", "-shm", "-journal"}) {
    uintmax_t n = fs::file_size(path + s, ec);
    if (!ec) total += n;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string dir = argv[1], store_path = argv[2];
  gt::SqliteTuning tuning;
  std::string base;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i], v = argv[i + 1];
    if (flag == "--journal") {
      if (v == "wal")
        tuning.journal = gt::BatchJournal::kWal;
      else if (v == "rollback-new")
        tuning.journal = gt::BatchJournal::kRollbackWhenNew;
      else if (v == "rollback-alone")
        tuning.journal = gt::BatchJournal::kRollbackWhenAlone;
      else
        return Usage();
    } else if (flag == "--sync") {
      if (v == "off")
        tuning.batch_sync = gt::Synchronous::kOff;
      else if (v == "normal")
        tuning.batch_sync = gt::Synchronous::kNormal;
      else if (v == "full")
        tuning.batch_sync = gt::Synchronous::kFull;
      else
        return Usage();
    } else if (flag == "--cache-mib") {
      tuning.cache_mib = std::stoll(v);
    } else if (flag == "--checkpoint") {
      if (v != "after-commit" && v != "auto") return Usage();
      tuning.checkpoint_after_batch = v == "after-commit";
    } else if (flag == "--base") {
      base = v;
    } else {
      return Usage();
    }
  }
  for (const char* s : {"", "-wal", "-shm", "-journal"}) fs::remove(store_path + s);
  if (!base.empty()) fs::copy_file(base, store_path);

  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  auto store = gt::NewSqliteStore(store_path, gt::OpenMode::kCreateWithFirstBatch, {}, tuning);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().ToString());
    return 1;
  }
  auto r = gt::ImportDirectory(**store, dir, gt::ImportOptions{});
  if (!r.ok() || !r->committed) {
    fmt::print(stderr, "{}\n", r.ok() ? std::string("import not committed") : r.status().ToString());
    return 1;
  }
  const uintmax_t before_close = SizeOf(store_path);
  store->reset();  // closing checkpoints the WAL: the user waits for it
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = CpuSeconds() - c0;
  fmt::print(
      "import {:.2f} s wall, {:.2f} s CPU; {} rows stored, {:.0f} rows/s wall; store {:.1f} MB ({:.1f} MB "
      "before closing)\n",
      wall, cpu, r->batch.rows_stored, static_cast<double>(r->batch.rows_stored) / wall,
      static_cast<double>(SizeOf(store_path)) / 1e6, static_cast<double>(before_close) / 1e6);
  return 0;
}
