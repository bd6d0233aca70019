// CLD import speed per row against the canonical import (issue 15: within a
// factor of 2). One import as a whole process, into a new store, so that
// any whole-process timer can time the two side by side (bench/cld_import_bench.sh
// times goldthread import the same way, with /usr/bin/time):
//
//   cld_import_perftest cld FILE.csv STORE        # import --format cld
//   cld_import_perftest canonical DIR STORE       # the canonical import
//
// STORE (and its -wal, -shm, -journal) is removed first. Prints the rows
// read, the rows stored and the import's own wall seconds.

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "ingest/cld_import.h"
#include "ingest/import.h"
#include "store/store.h"

namespace gt = goldthread;

int main(int argc, char** argv) {
  if (argc != 4 || (std::string(argv[1]) != "cld" && std::string(argv[1]) != "canonical")) {
    fmt::print(stderr, "usage: cld_import_perftest cld FILE.csv STORE | canonical DIR STORE\n");
    return 2;
  }
  const std::string kind = argv[1], input = argv[2], store_path = argv[3];
  for (const char* s : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(store_path + s);
  auto store = gt::OpenStore(store_path, gt::OpenMode::kCreateWithFirstBatch);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().message());
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  int64_t read = 0;
  gt::ImportReport report;
  if (kind == "cld") {
    auto r = gt::ImportCld(**store, input, gt::CldImportOptions{});
    if (!r.ok()) {
      fmt::print(stderr, "{}\n", r.status().message());
      return 1;
    }
    read = r->rows_read;
    report = std::move(r->import);
  } else {
    auto r = gt::ImportDirectory(**store, input, gt::ImportOptions{});
    if (!r.ok()) {
      fmt::print(stderr, "{}\n", r.status().message());
      return 1;
    }
    for (const gt::TableImport& t : r->tables) read += t.rows_read;
    report = std::move(*r);
  }
  store->reset();  // closing is part of the import: the final checkpoint
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!report.committed) {
    fmt::print(stderr, "not stored: {}\n", report.problems.empty() ? "" : report.problems[0]);
    return 1;
  }
  fmt::print("{} rows read, {} stored, {:.3f} s, {:.0f} rows read/s\n", read, report.batch.rows_stored, secs,
             read / secs);
  return 0;
}
