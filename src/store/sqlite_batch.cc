// The SQLite store's batches: one transaction each, rows through prepared
// statements reused for every row, and a store's first batch built under
// another name and published by an atomic link (OpenMode::kCreateWithFirstBatch).

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "store/sqlite_store_impl.h"
#include "store/test_pause.h"

namespace goldthread {
namespace {

using sqlite::QuoteName;

constexpr const char* kBuildingInfix = ".importing-";
constexpr const char* kSqliteSuffixes[] = {"", "-journal", "-wal", "-shm"};

const char* SyncName(Synchronous s) {
  switch (s) {
    case Synchronous::kOff:
      return "OFF";
    case Synchronous::kNormal:
      return "NORMAL";
    case Synchronous::kFull:
      return "FULL";
  }
  return "FULL";
}

// The directory part of a path, for fsync and listing: "." for a bare name.
std::string DirOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// Makes a new or removed name in dir durable (a file's own fsync does not
// cover its directory entry).
void SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

//===----------------------------------------------------------------------===//
// A store built by its first import
//===----------------------------------------------------------------------===//

std::string SqliteStore::BuildingPath() const {
  return location_ + kBuildingInfix + std::to_string(static_cast<long>(::getpid()));
}

void SqliteStore::RemoveBuildingFiles() {
  const std::string path = BuildingPath();
  for (const char* suffix : kSqliteSuffixes) (void)::unlink((path + suffix).c_str());
}

void SqliteStore::RemoveStaleBuilds() {
  const std::string dir = DirOf(location_);
  const std::string prefix = std::filesystem::path(location_).filename().string() + kBuildingInfix;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (!name.starts_with(prefix)) continue;
    std::string_view rest = name.substr(prefix.size());
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0) continue;
    std::string_view suffix = rest.substr(digits);
    if (suffix != "" && suffix != "-journal" && suffix != "-wal" && suffix != "-shm") continue;
    const long pid = std::stol(std::string(rest.substr(0, digits)));
    // Only a file whose process is gone: a live one is another import
    // building the same store at this moment.
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    (void)::unlink((dir + "/" + std::string(name)).c_str());
  }
  ::closedir(d);
}

Status SqliteStore::Publish() {
  // WAL from now on, as every store; then close, so the file is complete
  // and the WAL checkpointed into it before it gets its name.
  Result<std::string> mode = db_->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") return Status::IOError("store '" + location_ + "': cannot switch the new store to WAL");
  Disconnect();
  const std::string built = BuildingPath();
  TestPausePoint("committed");
  // link() refuses an existing name: if another import created the store
  // while this one ran, that store is kept and this one is not published.
  int rc = ::link(built.c_str(), location_.c_str());
  int err = errno;
  if (rc != 0 && (err == EPERM || err == ENOTSUP || err == EOPNOTSUPP)) {
    // A file system without hard links: rename, which replaces silently, so
    // only when no store has appeared meanwhile (a narrow window, not none).
    struct stat st;
    if (::stat(location_.c_str(), &st) == 0) {
      err = EEXIST;
    } else {
      rc = ::rename(built.c_str(), location_.c_str());
      err = errno;
    }
  }
  if (rc != 0) {
    if (err == EEXIST) {
      // Keep this object usable (on the file it built, removed when it is
      // destroyed) though the batch will never be published.
      GT_RETURN_IF_ERROR(Connect(built, false));
      return Status::AlreadyExists(
          "store '" + location_ +
          "' was created by another process while this import built it; this batch was "
          "not stored");
    }
    return Status::IOError(
        fmt::format("store '{}': cannot give the new store its name: {}", location_, std::strerror(err)));
  }
  RemoveBuildingFiles();
  SyncDir(DirOf(location_));
  building_ = false;
  GT_RETURN_IF_ERROR(Connect(location_, false));
  return ApplyPragmas(false);
}

//===----------------------------------------------------------------------===//
// Beginning and ending a batch
//===----------------------------------------------------------------------===//

Status SqliteStore::UseBatchSettings() {
  batch_journal_ = false;
  // A rollback journal writes appended pages once (only original content
  // is journalled: https://sqlite.org/lockingv3.html, "Rollback journal"),
  // where WAL writes every page twice (the WAL, then the checkpoint). But
  // while a rollback-journal batch writes, readers are refused, so only a
  // store no reader can open gets one (kRollbackWhenNew).
  if (tuning_.journal == BatchJournal::kRollbackWhenAlone ||
      (tuning_.journal == BatchJournal::kRollbackWhenNew && building_)) {
    Result<std::string> mode = db_->QueryText("PRAGMA journal_mode = TRUNCATE");
    batch_journal_ = mode.ok() && *mode == "truncate";
  } else if (building_) {
    // kWal on a store being built: the file is new, in SQLite's default
    // rollback mode until now.
    Result<std::string> mode = db_->QueryText("PRAGMA journal_mode = WAL");
    if (!mode.ok()) return mode.status();
  }
  GT_RETURN_IF_ERROR(db_->Exec(std::string("PRAGMA synchronous = ") + SyncName(tuning_.batch_sync)));
  if (tuning_.checkpoint_after_batch) GT_RETURN_IF_ERROR(db_->Exec("PRAGMA wal_autocheckpoint = 0"));
  return Status::Ok();
}

void SqliteStore::EndBatch() {
  batch_open_ = false;
  if (!db_) return;
  if (batch_journal_ && !building_) {
    // Back to WAL for readers (kRollbackWhenAlone); failure leaves the
    // rollback journal, which the next open switches back.
    (void)db_->QueryText("PRAGMA journal_mode = WAL");
  }
  batch_journal_ = false;
  (void)db_->Exec("PRAGMA synchronous = NORMAL");
  if (tuning_.checkpoint_after_batch) (void)db_->Exec("PRAGMA wal_autocheckpoint = 1000");
}

Result<std::unique_ptr<BatchWriter>> SqliteStore::BeginBatch(BatchInfo info) {
  if (batch_open_) return Status::Internal("store '" + location_ + "': a batch is already being written");
  if (read_open_)
    return Status::Internal("store '" + location_ + "': a batch cannot start inside a read view");
  if (Status s = UseBatchSettings(); !s.ok()) {
    EndBatch();
    return s;
  }
  // IMMEDIATE: the write lock now (waiting for another writer), not at the
  // first write, where a wait could deadlock with a reader upgrading.
  if (Status begun = db_->Exec("BEGIN IMMEDIATE", "starting a batch"); !begun.ok()) {
    EndBatch();
    return begun;
  }
  auto writer = std::make_unique<SqliteBatchWriter>(this, std::move(info));
  batch_open_ = true;  // from here the writer's destructor rolls back
  BatchInfo& b = writer->info_;
  // The same content may have been stored by another import since the
  // caller looked: now that the store is ours, look again.
  Result<std::optional<BatchInfo>> same = FindBatchByHash(b.content_hash);
  if (!same.ok()) return same.status();
  if (*same) return Status::AlreadyExists(fmt::format("batch {}", (*same)->id));
  GT_RETURN_IF_ERROR(db_->PrepareCached(batch_insert_, "recording the batch", [] {
    return std::string(
        "INSERT INTO import_batches (imported_at, imported_by, source, content_hash, rows_stored, "
        "rows_unchanged, rows_rejected) VALUES (?1, ?2, ?3, ?4, 0, 0, 0)");
  }));
  batch_insert_.BindText(1, FormatTimestamp(b.imported_at));
  batch_insert_.BindText(2, b.imported_by);
  batch_insert_.BindText(3, b.source);
  batch_insert_.BindText(4, b.content_hash);
  GT_RETURN_IF_ERROR(batch_insert_.Run());
  b.id = db_->LastInsertRowid();
  for (const TableSpec& t : AllTables()) {
    Result<int64_t> any = db_->QueryInt("SELECT EXISTS (SELECT 1 FROM " + QuoteName(t.name) + ")");
    if (!any.ok()) return any.status();
    writer->had_rows_[static_cast<int>(t.id)] = *any != 0;
  }
  TestPausePoint("batch-begun");
  return std::unique_ptr<BatchWriter>(std::move(writer));
}

//===----------------------------------------------------------------------===//
// SqliteBatchWriter
//===----------------------------------------------------------------------===//

SqliteBatchWriter::~SqliteBatchWriter() {
  if (!done_) {
    if (store_->db_) (void)store_->db_->Exec("ROLLBACK");
    store_->EndBatch();
  }
}

Status SqliteBatchWriter::Add(TableId table, std::span<const std::string_view> values,
                              std::string_view source_file, int64_t source_line) {
  if (done_) return Status::Internal("batch already committed");
  const TableSpec& t = Table(table);
  const int n = static_cast<int>(t.fields.size());
  if (static_cast<int>(values.size()) != n)
    return Status::InvalidArgument(fmt::format("{}: expected {} values, got {}", t.name, n, values.size()));
  if (TestPauseEnabled()) TestPausePoint(fmt::format("rows-{}", ++rows_added_));
  key_.clear();
  for (size_t k = 0; k < t.key.size(); ++k) {
    if (k) key_ += '|';
    key_ += values[t.key[k]];
  }
  sqlite::Db& db = *store_->db_;
  auto& stmts = store_->stmts_[static_cast<int>(table)];
  int64_t version = 1;
  if (had_rows_[static_cast<int>(table)]) {
    // The key may have earlier versions: look at the latest one.
    GT_RETURN_IF_ERROR(db.PrepareCached(stmts.latest, "looking up a record of " + std::string(t.name), [&] {
      return "SELECT row_id, version, batch_id, source_line" + FieldList(t) + " FROM " + QuoteName(t.name) +
             " WHERE record_key = ?1 ORDER BY version DESC LIMIT 1";
    }));
    sqlite::Stmt& q = stmts.latest;
    q.BindTextStatic(1, key_);
    Result<bool> found = q.Step();
    if (!found.ok()) return found.status();
    if (*found) {
      if (q.Int(2) == info_.id) {
        int64_t line = q.Int(3);
        q.Reset();
        return Status::AlreadyExists(std::to_string(line));
      }
      bool same = true;
      for (int i = 0; i < n && same; ++i) same = q.Text(4 + i) == values[i];
      if (same) {
        q.Reset();
        ++info_.rows_unchanged;
        return Status::Ok();
      }
      int64_t row_id = q.Int(0);
      version = q.Int(1) + 1;
      q.Reset();
      GT_RETURN_IF_ERROR(db.PrepareCached(stmts.retire, "storing a row of " + std::string(t.name), [&] {
        return "UPDATE " + QuoteName(t.name) + " SET current = 0 WHERE row_id = ?1";
      }));
      stmts.retire.BindInt(1, row_id);
      GT_RETURN_IF_ERROR(stmts.retire.Run());
    } else {
      q.Reset();
    }
  }
  GT_RETURN_IF_ERROR(db.PrepareCached(stmts.insert, "storing a row of " + std::string(t.name), [&] {
    std::string params;
    for (int i = 0; i < n; ++i) params += fmt::format(", ?{}", 7 + i);
    return "INSERT INTO " + QuoteName(t.name) +
           " (batch_id, source_file, source_line, version, current, record_key" + FieldList(t) +
           ") VALUES (?1, ?2, ?3, ?4, 1, ?6" + params + ")";
  }));
  sqlite::Stmt& ins = stmts.insert;
  ins.BindInt(1, info_.id);
  ins.BindTextStatic(2, source_file);
  ins.BindInt(3, source_line);
  ins.BindInt(4, version);
  ins.BindTextStatic(6, key_);
  for (int i = 0; i < n; ++i) ins.BindTextOrNullStatic(7 + i, values[i]);
  Result<bool> done = ins.Step();
  ins.Reset();
  if (done.ok()) {
    ++info_.rows_stored;
    return Status::Ok();
  }
  if (db.last_error() != SQLITE_CONSTRAINT_UNIQUE) return done.status();
  // The table was empty before this batch, so the clash is with a row of
  // this batch.
  GT_RETURN_IF_ERROR(db.PrepareCached(stmts.batch_line, "looking up a row of this batch", [&] {
    return "SELECT source_line FROM " + QuoteName(t.name) +
           " WHERE record_key = ?1 AND batch_id = ?2 LIMIT 1";
  }));
  sqlite::Stmt& q = stmts.batch_line;
  q.BindTextStatic(1, key_);
  q.BindInt(2, info_.id);
  Result<bool> found = q.Step();
  int64_t line = found.ok() && *found ? q.Int(0) : 0;
  q.Reset();
  if (!found.ok()) return found.status();
  return Status::AlreadyExists(std::to_string(line));
}

Result<BatchInfo> SqliteBatchWriter::Commit(std::vector<FileDigest> files, int64_t rows_rejected) {
  if (done_) return Status::Internal("batch already committed");
  SqliteStore& st = *store_;
  sqlite::Db& db = *st.db_;
  info_.files = std::move(files);
  info_.rows_rejected = rows_rejected;
  Result<sqlite::Stmt> u = db.Prepare(
      "UPDATE import_batches SET rows_stored = ?1, rows_unchanged = ?2, rows_rejected = ?3 WHERE id = ?4",
      "recording the batch");
  if (!u.ok()) return u.status();
  u->BindInt(1, info_.rows_stored);
  u->BindInt(2, info_.rows_unchanged);
  u->BindInt(3, info_.rows_rejected);
  u->BindInt(4, info_.id);
  GT_RETURN_IF_ERROR(u->Run());
  for (const FileDigest& f : info_.files) {
    GT_RETURN_IF_ERROR(db.PrepareCached(st.file_insert_, "recording the batch's files", [] {
      return std::string("INSERT INTO batch_files (batch_id, file, sha256, rows) VALUES (?1, ?2, ?3, ?4)");
    }));
    st.file_insert_.BindInt(1, info_.id);
    st.file_insert_.BindTextStatic(2, f.file);
    st.file_insert_.BindTextStatic(3, f.sha256);
    st.file_insert_.BindInt(4, f.rows);
    GT_RETURN_IF_ERROR(st.file_insert_.Run());
  }
  TestPausePoint("before-commit");
  GT_RETURN_IF_ERROR(db.Exec("COMMIT", "committing the batch"));
  done_ = true;
  // The batch is durable from here; what follows only tidies.
  if (st.tuning_.checkpoint_after_batch && !st.batch_journal_)
    (void)db.Exec("PRAGMA wal_checkpoint(PASSIVE)");  // never waits for readers
  st.EndBatch();
  if (st.building_) GT_RETURN_IF_ERROR(st.Publish());
  return info_;
}

}  // namespace goldthread
