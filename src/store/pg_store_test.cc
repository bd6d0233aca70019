// The PostgreSQL store's own behaviour: its COPY reader, what it refuses,
// a first import out of sight, values that COPY must escape, the same
// versions as SQLite for the same batches, and the read-only role of
// docs/deploy.md. The behaviour both stores share is tested on both by the
// BackendTest suites (sqlite_*_test.cc, snapshot_loader_test.cc).

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "store/pg_db.h"
#include "store/pg_scan.h"
#include "store/snapshot_loader.h"
#include "store/store_test_util.h"

namespace goldthread::store_test {
namespace {

// One binary COPY row: int8 batch, text file, int8 line, int4 version, then texts (nullptr: NULL).
std::string CopyRow(int64_t batch, const std::string& file, int64_t line, int32_t version,
                    const std::vector<const char*>& values) {
  std::string out;
  auto be = [&](uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  be(4 + values.size(), 2);
  be(8, 4), be(static_cast<uint64_t>(batch), 8);
  be(file.size(), 4), out += file;
  be(8, 4), be(static_cast<uint64_t>(line), 8);
  be(4, 4), be(static_cast<uint64_t>(version), 4);
  for (const char* v : values) {
    if (!v) {
      be(0xffffffffu, 4);
    } else {
      be(std::char_traits<char>::length(v), 4);
      out += v;
    }
  }
  return out;
}

std::string CopyHeader() { return std::string("PGCOPY\n\377\r\n\0", 11) + std::string(8, '\0'); }
std::string CopyTrailer() { return std::string("\xff\xff", 2); }

// The stream cut at every byte: rows split across messages read the same.
TEST(PgScanTest, BinaryCopyRowsReadTheSameHoweverTheStreamIsCut) {
  const std::string stream = CopyHeader() + CopyRow(1, "people.csv", 2, 1, {"P1", nullptr, "a\tb"}) +
                             CopyRow(3, "people.csv", 9, 2, {"P2", "", "é"}) + CopyTrailer();
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    std::vector<std::string> seen;
    RowVisitor visit = [&](const StoredRow& r) {
      std::string s = std::to_string(r.batch_id) + " " + std::string(r.source_file) + ":" +
                      std::to_string(r.source_line) + " v" + std::to_string(r.version);
      for (std::string_view v : r.values) s += " [" + std::string(v) + "]";
      seen.push_back(s);
      return Status::Ok();
    };
    pg::BinaryRowReader reader(3, visit);
    ASSERT_TRUE(reader.Feed(std::string_view(stream).substr(0, cut)).ok());
    ASSERT_TRUE(reader.Feed(std::string_view(stream).substr(cut)).ok());
    ASSERT_TRUE(reader.Finish("x").ok()) << cut;
    EXPECT_EQ(seen, (std::vector<std::string>{"1 people.csv:2 v1 [P1] [] [a\tb]", "3 people.csv:9 v2 [P2] [] [é]"}))
        << cut;
  }
}

TEST(PgScanTest, ATruncatedOrForeignStreamIsAnError) {
  RowVisitor visit = [](const StoredRow&) { return Status::Ok(); };
  pg::BinaryRowReader cut(1, visit);
  const std::string row = CopyRow(1, "f", 2, 1, {"P1"});
  ASSERT_TRUE(cut.Feed(CopyHeader() + row.substr(0, row.size() - 1)).ok());
  EXPECT_EQ(cut.Finish("store 'x': reading people").message(),
            "store 'x': reading people: the server's COPY data ended in the middle");
  pg::BinaryRowReader foreign(1, visit);
  EXPECT_EQ(foreign.Feed("P1\tcarer\n" + std::string(20, ' ')).message(),
            "the server's COPY data does not start with PGCOPY's signature");
  pg::BinaryRowReader wide(1, visit);
  EXPECT_EQ(wide.Feed(CopyHeader() + CopyRow(1, "f", 2, 1, {"a", "b"})).message(),
            "the server's COPY row has 6 columns, expected 5");
}

TEST(PgUrlTest, PasswordsAreNotShownInMessages) {
  EXPECT_EQ(pg::RedactUrl("postgresql://ana:s3cret@db.example/gt"), "postgresql://ana:***@db.example/gt");
  EXPECT_EQ(pg::RedactUrl("postgresql://ana@db.example/gt?password=s3cret&sslmode=require"),
            "postgresql://ana@db.example/gt?password=***&sslmode=require");
  EXPECT_EQ(pg::RedactUrl("postgresql:///gt?host=/tmp/x"), "postgresql:///gt?host=/tmp/x");
  EXPECT_EQ(PgUrlFor("postgresql:///postgres?host=/tmp/x&user=gt_admin", "gt", "goldthread_read"),
            "postgresql:///gt?host=/tmp/x&user=goldthread_read");
  EXPECT_EQ(PgUrlFor("postgresql://a:b@h:5432/postgres", "gt"), "postgresql://a:b@h:5432/gt");
}

// The rest needs a server (GOLDTHREAD_TEST_PG); only PostgreSQL's half of
// the backend parameter runs.
class PgStoreTest : public BackendTest {};
INSTANTIATE_TEST_SUITE_P(Postgres, PgStoreTest, testing::Values(Backend::kPostgres), BackendName);

TEST_P(PgStoreTest, AMissingDatabaseIsNoStore) {
  const std::string url = PgUrlFor(PgTestUrl(), "gt_no_such_database_" + std::to_string(::getpid()));
  auto s = OpenStore(url, OpenMode::kMustExist);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(s.status().message().starts_with("store '" + url + "' does not exist (")) << s.status().message();
  EXPECT_TRUE(s.status().message().ends_with("; create the database first: docs/deploy.md)")) << s.status().message();
}

TEST_P(PgStoreTest, AnEmptyOrForeignDatabaseIsNoStore) {
  const std::string url = NewStore("empty");
  auto s = OpenStore(url, OpenMode::kMustExist);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(),
            "store '" + url + "' holds no goldthread data (run 'goldthread import " + url + " DIR' first)");
  ASSERT_EQ(Sql(url, "CREATE TABLE t (x integer)"), "");
  auto f = OpenStore(url, OpenMode::kCreateIfMissing);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(f.status().message(),
            "store '" + url + "' is not a goldthread store (the database has tables but no schema_version table)");
}

// A first import makes the tables in its own transaction: until it
// commits, another process sees no store; if it fails, none is left.
TEST_P(PgStoreTest, FirstImportBuildsTheStoreOutOfSight) {
  const std::string url = NewStore("first_import");
  {
    auto store = MustOpen(url, OpenMode::kCreateWithFirstBatch);
    auto w = store->BeginBatch(Info("h0"));
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
  }  // not committed
  EXPECT_EQ(OpenStore(url, OpenMode::kMustExist).status().code(), StatusCode::kNotFound);

  auto store = MustOpen(url, OpenMode::kCreateWithFirstBatch);
  auto w = store->BeginBatch(Info("h1"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
  EXPECT_TRUE(*store->HasRecord(TableId::kPeople, "P1"));  // the batch's own rows are current to it
  auto reader = OpenStore(url, OpenMode::kMustExist);
  EXPECT_EQ(reader.status().message(),
            "store '" + url + "' holds no goldthread data (run 'goldthread import " + url + " DIR' first)");
  // A second first import waits for this one, then gives up.
  StoreOptions brief;
  brief.wait = std::chrono::milliseconds(700);
  auto second = OpenStore(url, OpenMode::kCreateWithFirstBatch, brief);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kBusy);
  EXPECT_EQ(second.status().message(),
            "store '" + url + "': starting the migration: in use by another process (gave up after waiting 1 s)");
  auto b = (*w)->Commit({}, 0);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->id, 1);
  auto later = MustOpen(url, OpenMode::kCreateWithFirstBatch);
  EXPECT_EQ(*later->CountCurrent(TableId::kPeople), 1);
  EXPECT_EQ(later->BeginBatch(Info("h1")).status().message(), "batch 1");
  CommitPeople(*store, "h2", {kPerson2});  // the same object goes on with the store it made
  EXPECT_EQ(*later->CountCurrent(TableId::kPeople), 2);
}

// Whatever a field holds travels through COPY's text format and back
// unchanged, on the straight path (first batch) and through the stage
// (later batches): tabs, newlines, backslashes, "\N", quotes, UTF-8.
TEST_P(PgStoreTest, ValuesThatCopyMustEscapeComeBackAsStored) {
  auto store = MustOpen(NewStore("escapes"));
  const std::vector<std::string> odd = {"a\tb", "line1\nline2\r\n", "back\\slash", "\\N", "\"quoted\", 'too'",
                                        "Zoë Ł 日本"};
  auto people = [&](const std::string& suffix) {
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < odd.size(); ++i)
      rows.push_back({"P" + std::to_string(i), "carer", "1960-01", "F", odd[i] + suffix, "", "", "full_time", ""});
    return rows;
  };
  auto commit = [&](const std::string& hash, const std::vector<std::vector<std::string>>& rows) {
    auto w = store->BeginBatch(Info(hash));
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    int64_t line = 2;
    for (const auto& r : rows) {
      std::vector<std::string_view> v(r.begin(), r.end());
      EXPECT_TRUE((*w)->Add(TableId::kPeople, v, "pe\tople.csv", line++).ok());
    }
    auto b = (*w)->Commit({}, 0);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? *b : BatchInfo{};
  };
  auto current = [&] {
    std::vector<std::string> out;
    EXPECT_TRUE(store
                    ->ScanCurrent(TableId::kPeople,
                                  [&](const StoredRow& r) {
                                    out.push_back(std::string(r.values[4]) + "|" + std::string(r.source_file) + "|" +
                                                  std::to_string(r.version));
                                    return Status::Ok();
                                  })
                    .ok());
    return out;
  };
  commit("h1", people(""));
  std::vector<std::string> want;
  for (const std::string& v : odd) want.push_back(v + "|pe\tople.csv|1");
  EXPECT_EQ(current(), want);
  auto same = commit("h2", people(""));  // through the stage: every value equal
  EXPECT_EQ(same.rows_unchanged, 6);
  EXPECT_EQ(same.rows_stored, 0);
  auto changed = commit("h3", people("!"));
  EXPECT_EQ(changed.rows_stored, 6);
  want.clear();
  for (const std::string& v : odd) want.push_back(v + "!|pe\tople.csv|2");
  EXPECT_EQ(current(), want);
}

// The same batches give the same versions, row order, counts and snapshot
// on both stores: new keys, changed and unchanged rows, in several tables
// and interleaved.
TEST_P(PgStoreTest, SameBatchesGiveTheSameStoreAsSqlite) {
  auto lite = MustOpen(TempStore("pg_same"));
  auto post = MustOpen(NewStore("same"));
  std::mt19937 rng(7);
  std::vector<std::string> summaries[2];
  for (int batch = 1; batch <= 4; ++batch) {
    std::vector<std::vector<std::string>> units, people;
    units.push_back({"C1", "", "Council " + std::to_string(rng() % 2), "council"});
    for (int t = 1; t <= 3; ++t) units.push_back({"T" + std::to_string(t), "C1", "Team", "team"});
    for (int p = 0; p < 200; ++p) {
      if (rng() % 3 == 0) continue;  // not sent this time
      people.push_back({"P" + std::to_string(p), rng() % 2 ? "carer" : "service_user", "1960-01",
                        rng() % 4 == 0 ? "M" : "F", "", "", "", "", ""});
    }
    int s = 0;
    for (Store* store : {lite.get(), post.get()}) {
      auto w = store->BeginBatch(Info("b" + std::to_string(batch)));
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      int64_t line = 2;
      // Interleaved: people, a unit, more people (the stage is merged and
      // reopened between them).
      for (size_t i = 0; i < people.size(); ++i) {
        std::vector<std::string_view> v(people[i].begin(), people[i].end());
        ASSERT_TRUE((*w)->Add(TableId::kPeople, v, "people.csv", line++).ok());
        if (i == people.size() / 2)
          for (const auto& u : units) {
            std::vector<std::string_view> uv(u.begin(), u.end());
            ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, uv, "org_units.csv", line++).ok());
          }
      }
      auto b = (*w)->Commit({{"people.csv", "x", static_cast<int64_t>(people.size())}}, 1);
      ASSERT_TRUE(b.ok()) << b.status().ToString();
      summaries[s++].push_back(std::to_string(b->id) + " stored " + std::to_string(b->rows_stored) + " unchanged " +
                               std::to_string(b->rows_unchanged));
    }
  }
  EXPECT_EQ(summaries[0], summaries[1]);
  auto all = [](Store& store, TableId t, bool current) {
    std::vector<std::string> out;
    RowVisitor v = [&](const StoredRow& r) {
      std::string s = std::to_string(r.batch_id) + ":" + std::to_string(r.source_line) + ":v" +
                      std::to_string(r.version);
      for (std::string_view x : r.values) s += "," + std::string(x);
      out.push_back(s);
      return Status::Ok();
    };
    EXPECT_TRUE((current ? store.ScanCurrent(t, v) : store.ScanAllVersions(t, v)).ok());
    return out;
  };
  for (TableId t : {TableId::kPeople, TableId::kOrgUnits})
    for (bool current : {true, false}) EXPECT_EQ(all(*lite, t, current), all(*post, t, current));
  for (int64_t as_of = 1; as_of <= 4; ++as_of) {
    std::vector<std::string> seen[2];
    int s = 0;
    for (Store* store : {lite.get(), post.get()}) {
      auto& out = seen[s++];
      ASSERT_TRUE(store
                      ->ScanCurrentAsOf(TableId::kPeople, as_of,
                                        [&](const StoredRow& r) {
                                          out.push_back(std::string(r.values[0]) + std::to_string(r.version));
                                          return Status::Ok();
                                        })
                      .ok());
    }
    EXPECT_EQ(seen[0], seen[1]) << as_of;
  }
  EXPECT_EQ(*lite->CountCurrentBy(TableId::kPeople, 1), *post->CountCurrentBy(TableId::kPeople, 1));
  auto a = LoadSnapshot(*lite), b = LoadSnapshot(*post);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->TotalRows(), (*b)->TotalRows());
  EXPECT_EQ((*a)->batch_ids(), (*b)->batch_ids());
  EXPECT_EQ((*a)->as_of(), (*b)->as_of());
}

// docs/deploy.md's roles: goldthread_import owns the tables and imports;
// goldthread_read (serve, compute, check, report) reads, and writes only
// runs, sessions, sign-in counts and the access log.
TEST_P(PgStoreTest, TheReadOnlyRoleReadsButCannotImport) {
  if (!Admin("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'goldthread_read') THEN "
            "RAISE EXCEPTION 'no roles'; END IF; END$$")
          .empty())
    GTEST_SKIP() << "the server has no goldthread_import and goldthread_read roles (scripts/pg_roles.sql)";
  (void)NewStore("roles");
  const std::string db = DatabaseName("roles");
  ASSERT_EQ(Admin("ALTER DATABASE \"" + db + "\" OWNER TO goldthread_import"), "");
  const std::string importer = PgUrlFor(PgTestUrl(), db, "goldthread_import");
  const std::string reader = PgUrlFor(PgTestUrl(), db, "goldthread_read");
  {
    auto store = MustOpen(importer, OpenMode::kCreateWithFirstBatch);
    CommitPeople(*store, "h1", {kPerson1});
    UserRecord u;
    u.name = "ana";
    u.role = "analyst";
    u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
    ASSERT_TRUE(store->AddUser(u).ok());
  }
  // scripts/pg_grants.sql as docs/deploy.md runs it (psql): statement by
  // statement, each ending a line with ';'.
  std::ifstream grants(std::string(GOLDTHREAD_SOURCE_DIR) + "/scripts/pg_grants.sql");
  std::string line, statement;
  int statements = 0;
  while (std::getline(grants, line)) {
    if (line.starts_with("--")) continue;
    statement += line + "\n";
    if (line.ends_with(";")) {
      ASSERT_EQ(Sql(importer, statement), "") << statement;
      statement.clear();
      ++statements;
    }
  }
  EXPECT_GE(statements, 5);

  auto store = MustOpen(reader, OpenMode::kMustExist);
  ASSERT_TRUE(store);
  auto snap = LoadSnapshot(*store);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->people(), 1);
  RunRecord run;
  run.kind = "compute";
  run.result_json = "{}";
  run.full_result = true;
  EXPECT_TRUE(store->SaveRun(run).ok());
  EXPECT_TRUE(store->SaveRun(run).ok());  // clears the result the first kept
  auto user = store->FindUser("ana");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ(*store->RecordFailedSignIn((*user)->id, 5, 0), 1);
  EXPECT_TRUE(store->RecordSignIn((*user)->id, 1712000000).ok());
  SessionRecord s{"hash", (*user)->id, "csrf", 1712000000, 1712003600, 1712000000, "127.0.0.1"};
  EXPECT_TRUE(store->SaveSession(s).ok());
  EXPECT_TRUE(store->TouchSession("hash", 1712000100).ok());
  EXPECT_TRUE(store->DeleteExpiredSessions(1712009999).ok());
  AccessEntry e;
  e.user = "ana";
  EXPECT_TRUE(store->AppendAccess(e).ok());

  auto w = store->BeginBatch(Info("h2"));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().message(), "store '" + reader + "': recording the batch: permission denied for table import_batches");
  EXPECT_EQ(store->AddUser(UserRecord{}).status().message(),
            "store '" + reader + "': adding a user: permission denied for table users");
  EXPECT_EQ(store->SetUserPassword("ana", "x").message(),
            "store '" + reader + "': updating a user: permission denied for table users");
  EXPECT_EQ(Sql(reader, "UPDATE people SET current = 0"), "permission denied for table people");
  EXPECT_EQ(Sql(reader, "DELETE FROM access_log"), "permission denied for table access_log");
  EXPECT_EQ(Sql(reader, "CREATE TABLE x (y integer)"), "permission denied for schema public");
  EXPECT_EQ(store->Batches()->size(), 1u);
}

}  // namespace
}  // namespace goldthread::store_test
