// The PostgreSQL store's batches: one transaction each, under the writer
// lock; rows sent by COPY, straight into a table that was empty before the
// batch, else into a temporary stage merged in one statement.

#include <fmt/format.h>

#include <utility>

#include "store/pg_store_impl.h"
#include "store/test_pause.h"

namespace goldthread {
namespace {

using pg::Params;
using pg::QuoteName;

std::string StageName(const TableSpec& t) { return QuoteName("gt_stage_" + std::string(t.name)); }

// COPY's text format: tab between columns, \N for NULL, and backslash,
// tab, newline and carriage return escaped
// (https://www.postgresql.org/docs/15/sql-copy.html, "Text Format").
void AppendCopyText(std::string& out, std::string_view v) {
  if (v.empty()) {
    out += "\\N";
    return;
  }
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

constexpr size_t kCopyChunk = 1 << 20;  // bytes handed to libpq at a time

}  // namespace

//===----------------------------------------------------------------------===//
// Beginning a batch
//===----------------------------------------------------------------------===//

Result<std::unique_ptr<BatchWriter>> PgStore::BeginBatch(BatchInfo info) {
  if (batch_open_) return Status::Internal("store '" + label_ + "': a batch is already being written");
  if (read_open_) return Status::Internal("store '" + label_ + "': a batch cannot start inside a read view");
  // A first import's transaction is open, with the lock, since Open.
  if (!building_) {
    GT_RETURN_IF_ERROR(conn_->Run("BEGIN", "starting a batch"));
    if (Status s = AcquireLock(kLockWriter, "starting a batch"); !s.ok()) {
      (void)conn_->Run("ROLLBACK", "starting a batch");
      return s;
    }
  }
  auto writer = std::make_unique<PgBatchWriter>(this, std::move(info));
  batch_open_ = true;  // from here the writer's destructor rolls back
  writer_ = writer.get();
  BatchInfo& b = writer->info_;
  // The same content may have been stored by another import since the
  // caller looked: now that the store is ours, look again.
  Result<std::optional<BatchInfo>> same = FindBatchByHash(b.content_hash);
  if (!same.ok()) return same.status();
  if (*same) return Status::AlreadyExists(fmt::format("batch {}", (*same)->id));
  // Ids as SQLite's INTEGER PRIMARY KEY gives them: one past the largest
  // (batches take turns, so none is given twice).
  Result<int64_t> id = conn_->QueryInt(
      "INSERT INTO import_batches (id, imported_at, imported_by, source, content_hash, rows_stored, rows_unchanged, "
      "rows_rejected) SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, 0, 0, 0 FROM import_batches RETURNING id",
      Params().Text(FormatTimestamp(b.imported_at)).Text(b.imported_by).Text(b.source).Text(b.content_hash),
      "recording the batch");
  if (!id.ok()) return id.status();
  b.id = *id;
  for (const TableSpec& t : AllTables()) {
    Result<int64_t> last = conn_->QueryInt("SELECT coalesce(max(row_id), 0) FROM " + QuoteName(t.name), Params(),
                                           "starting a batch");
    if (!last.ok()) return last.status();
    PgBatchWriter::TableState& ts = writer->tables_[static_cast<int>(t.id)];
    ts.had_rows = *last > 0;
    ts.next_row_id = *last + 1;
  }
  TestPausePoint("batch-begun");
  return std::unique_ptr<BatchWriter>(std::move(writer));
}

//===----------------------------------------------------------------------===//
// PgBatchWriter
//===----------------------------------------------------------------------===//

PgBatchWriter::~PgBatchWriter() {
  if (done_) return;  // the store may have a later batch open by now
  pg::Conn& db = *store_->conn_;
  if (db.copying()) db.AbortCopyIn();
  (void)db.Run("ROLLBACK", "abandoning the batch");
  store_->building_ = false;  // a first import's tables go with it
  store_->batch_open_ = false;
  store_->writer_ = nullptr;
}

Status PgBatchWriter::StartCopy(TableId table) {
  GT_RETURN_IF_ERROR(Flush());
  const TableSpec& t = Table(table);
  TableState& ts = tables_[static_cast<int>(table)];
  pg::Conn& db = *store_->conn_;
  staged_ = ts.had_rows;
  if (!staged_) {
    GT_RETURN_IF_ERROR(db.BeginCopyIn("COPY " + QuoteName(t.name) +
                                          " (row_id, batch_id, source_file, source_line, version, current, "
                                          "record_key" +
                                          PgFieldList(t) + ") FROM STDIN",
                                      "storing rows of " + std::string(t.name)));
  } else {
    if (!ts.stage_made) {
      std::string cols;
      for (const FieldSpec& f : t.fields) cols += ", " + QuoteName(f.name) + " text";
      GT_RETURN_IF_ERROR(db.Run("CREATE TEMPORARY TABLE " + StageName(t) +
                                    " (seq bigint NOT NULL, source_file text NOT NULL, source_line bigint NOT NULL, "
                                    "record_key text NOT NULL" +
                                    cols + ") ON COMMIT DROP",
                                "storing rows of " + std::string(t.name)));
      ts.stage_made = true;
    }
    GT_RETURN_IF_ERROR(db.BeginCopyIn(
        "COPY " + StageName(t) + " (seq, source_file, source_line, record_key" + PgFieldList(t) + ") FROM STDIN",
        "storing rows of " + std::string(t.name)));
  }
  copying_ = static_cast<int>(table);
  return Status::Ok();
}

Status PgBatchWriter::Add(TableId table, std::span<const std::string_view> values, std::string_view source_file,
                          int64_t source_line) {
  if (done_) return Status::Internal("batch already committed");
  const TableSpec& t = Table(table);
  const size_t n = t.fields.size();
  if (values.size() != n)
    return Status::InvalidArgument(fmt::format("{}: expected {} values, got {}", t.name, n, values.size()));
  if (TestPauseEnabled()) TestPausePoint(fmt::format("rows-{}", ++rows_added_));
  key_.clear();
  for (size_t k = 0; k < t.key.size(); ++k) {
    if (k) key_ += '|';
    key_ += values[static_cast<size_t>(t.key[k])];
  }
  TableState& ts = tables_[static_cast<int>(table)];
  if (const int64_t first = ts.keys.Insert(key_, source_line); first >= 0)
    return Status::AlreadyExists(std::to_string(first));
  if (copying_ != static_cast<int>(table)) GT_RETURN_IF_ERROR(StartCopy(table));
  if (!staged_) {
    fmt::format_to(std::back_inserter(buf_), "{}\t{}\t", ts.next_row_id++, info_.id);
    AppendCopyText(buf_, source_file);
    fmt::format_to(std::back_inserter(buf_), "\t{}\t1\t1\t", source_line);
    ++info_.rows_stored;
  } else {
    fmt::format_to(std::back_inserter(buf_), "{}\t", ++seq_);
    AppendCopyText(buf_, source_file);
    fmt::format_to(std::back_inserter(buf_), "\t{}\t", source_line);
  }
  AppendCopyText(buf_, key_);
  for (std::string_view v : values) {
    buf_ += '\t';
    AppendCopyText(buf_, v);
  }
  buf_ += '\n';
  if (buf_.size() >= kCopyChunk) {
    GT_RETURN_IF_ERROR(store_->conn_->PutCopyData(buf_));
    buf_.clear();
  }
  return Status::Ok();
}

Status PgBatchWriter::Flush() {
  if (copying_ < 0) return Status::Ok();
  const auto table = static_cast<TableId>(copying_);
  pg::Conn& db = *store_->conn_;
  copying_ = -1;
  Status s = buf_.empty() ? Status::Ok() : db.PutCopyData(buf_);
  buf_.clear();
  if (!s.ok()) {
    db.AbortCopyIn();
    return s;
  }
  GT_RETURN_IF_ERROR(db.EndCopyIn());
  return staged_ ? Merge(table) : Status::Ok();
}

Status PgBatchWriter::Merge(TableId table) {
  // Each staged row against its key's current version: the same values
  // are counted as unchanged and not stored; other values are stored as
  // the next version, retiring the current one; a new key as version 1.
  // Row ids follow the order the rows were added, as on SQLite.
  const TableSpec& t = Table(table);
  TableState& ts = tables_[static_cast<int>(table)];
  std::string same = "c.row_id IS NOT NULL", fields, s_fields;
  for (const FieldSpec& f : t.fields) {
    const std::string q = QuoteName(f.name);
    same += " AND c." + q + " IS NOT DISTINCT FROM s." + q;
    fields += ", " + q;
    s_fields += ", m." + q;
  }
  const std::string name = QuoteName(t.name);
  const std::string sql =
      "WITH m AS MATERIALIZED (SELECT s.*, c.row_id AS cur_row, c.version AS cur_version, (" + same +
      ") AS same FROM " + StageName(t) + " s LEFT JOIN " + name +
      " c ON c.record_key = s.record_key AND c.current = 1), "
      "retired AS (UPDATE " +
      name +
      " SET current = 0 FROM m WHERE " + name +
      ".row_id = m.cur_row AND NOT m.same RETURNING 1), "
      "stored AS (INSERT INTO " +
      name + " (row_id, batch_id, source_file, source_line, version, current, record_key" + fields +
      ") SELECT $1::bigint + row_number() OVER (ORDER BY m.seq), $2::bigint, m.source_file, m.source_line, "
      "coalesce(m.cur_version, 0) + 1, 1, m.record_key" +
      s_fields +
      " FROM m WHERE NOT m.same RETURNING 1) "
      "SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM m WHERE m.same), (SELECT count(*) FROM retired)";
  pg::Conn& db = *store_->conn_;
  Result<pg::Rows> r = db.Exec(sql, Params().Int(ts.next_row_id - 1).Int(info_.id), "storing rows of " + std::string(t.name));
  if (!r.ok()) return r.status();
  const int64_t stored = r->Int(0, 0);
  info_.rows_stored += stored;
  info_.rows_unchanged += r->Int(0, 1);
  ts.next_row_id += stored;
  return db.Run("TRUNCATE " + StageName(t), "storing rows of " + std::string(t.name));
}

Result<BatchInfo> PgBatchWriter::Commit(std::vector<FileDigest> files, int64_t rows_rejected) {
  if (done_) return Status::Internal("batch already committed");
  GT_RETURN_IF_ERROR(Flush());
  pg::Conn& db = *store_->conn_;
  info_.files = std::move(files);
  info_.rows_rejected = rows_rejected;
  GT_RETURN_IF_ERROR(db.Run(
      "UPDATE import_batches SET rows_stored = $1, rows_unchanged = $2, rows_rejected = $3 WHERE id = $4",
      Params().Int(info_.rows_stored).Int(info_.rows_unchanged).Int(info_.rows_rejected).Int(info_.id),
      "recording the batch"));
  for (const FileDigest& f : info_.files)
    GT_RETURN_IF_ERROR(db.Run("INSERT INTO batch_files (batch_id, file, sha256, \"rows\") VALUES ($1, $2, $3, $4)",
                              Params().Int(info_.id).Text(f.file).Text(f.sha256).Int(f.rows),
                              "recording the batch's files"));
  TestPausePoint("before-commit");
  GT_RETURN_IF_ERROR(db.Run("COMMIT", "committing the batch"));
  done_ = true;
  store_->building_ = false;
  store_->batch_open_ = false;
  store_->writer_ = nullptr;
  for (TableState& ts : tables_) ts.keys.Clear();
  return info_;
}

}  // namespace goldthread
