#include "store/sqlite_plans.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>

#include "store/plan_columns.h"
#include "store/sqlite_migrations.h"

namespace goldthread {

// Schema version 4: the council's plans, kept whole per version, and the
// stories behind their curves (sqlite_plans.h lists the tables).
Status MigrateTo4(sqlite::Db& db) {
  return db.Exec(
      "CREATE TABLE plan_versions (version INTEGER PRIMARY KEY, loaded_at TEXT NOT NULL, loaded_by TEXT NOT NULL, "
      "source TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL, years TEXT NOT NULL, text TEXT NOT NULL);"
      "CREATE TABLE plan_objectives (plan_version INTEGER NOT NULL REFERENCES plan_versions(version), "
      "position INTEGER NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, owner TEXT NOT NULL, "
      "perspective TEXT NOT NULL, description TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (plan_version, id));"
      "CREATE TABLE plan_objective_indicators (plan_version INTEGER NOT NULL, objective_id TEXT NOT NULL, "
      "position INTEGER NOT NULL, indicator TEXT NOT NULL, PRIMARY KEY (plan_version, objective_id, position));"
      "CREATE TABLE plan_plans (plan_version INTEGER NOT NULL REFERENCES plan_versions(version), "
      "position INTEGER NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, org_unit TEXT NOT NULL, "
      "owner TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (plan_version, id));"
      "CREATE TABLE plan_plan_items (plan_version INTEGER NOT NULL, plan_id TEXT NOT NULL, kind TEXT NOT NULL, "
      "position INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (plan_version, plan_id, kind, position));"
      "CREATE TABLE plan_plan_owners (plan_version INTEGER NOT NULL, plan_id TEXT NOT NULL, "
      "position INTEGER NOT NULL, indicator TEXT NOT NULL, owner TEXT NOT NULL, "
      "PRIMARY KEY (plan_version, plan_id, position));"
      "CREATE TABLE plan_targets (plan_version INTEGER NOT NULL REFERENCES plan_versions(version), "
      "position INTEGER NOT NULL, plan_id TEXT NOT NULL, indicator TEXT NOT NULL, org_unit TEXT NOT NULL, "
      "value REAL NOT NULL, by_date TEXT NOT NULL, per TEXT NOT NULL, owner TEXT NOT NULL, note TEXT NOT NULL, "
      "objective TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (plan_version, position));"
      "CREATE TABLE plan_stories (id INTEGER PRIMARY KEY, written_at TEXT NOT NULL, author TEXT NOT NULL, "
      "indicator TEXT NOT NULL, org_unit TEXT NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL, "
      "plan_version INTEGER NOT NULL);"
      "CREATE INDEX plan_stories_curve ON plan_stories (indicator, org_unit, id)",
      "creating the plan and story tables");
}

namespace sqlite {
namespace {

using Value = std::variant<std::string_view, int64_t, double>;

/// Binds values to ?1, ?2, ... and runs s once. Text is bound as given, ''
/// (never NULL) when empty, since every plan column is NOT NULL: a default
/// string_view has no data pointer, which SQLite would bind as NULL.
Status RunWith(Stmt& s, std::initializer_list<Value> values) {
  s.Reset();
  int i = 1;
  for (const Value& v : values) {
    if (const auto* t = std::get_if<std::string_view>(&v))
      s.BindText(i, t->empty() ? std::string_view("") : *t);
    else if (const auto* n = std::get_if<int64_t>(&v))
      s.BindInt(i, *n);
    else
      s.BindDouble(i, std::get<double>(v));
    ++i;
  }
  return s.Run();
}

/// Steps s (already bound) to its end, calling row(s) on each row.
template <typename F>
Status EachRow(Stmt& s, F row) {
  while (true) {
    Result<bool> more = s.Step();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    row(s);
  }
}

using plan_columns::JoinYears;
using plan_columns::SplitYears;
using plan_columns::TimeOf;

std::string Text(const Stmt& s, int col) { return std::string(s.Text(col)); }

Status SaveRows(Db& db, int64_t version, const PlanRecord& plan) {
  Result<Stmt> obj = db.Prepare(
      "INSERT INTO plan_objectives (plan_version, position, id, title, owner, perspective, description, line) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      "storing an objective");
  if (!obj.ok()) return obj.status();
  Result<Stmt> obj_ind = db.Prepare(
      "INSERT INTO plan_objective_indicators (plan_version, objective_id, position, indicator) "
      "VALUES (?1, ?2, ?3, ?4)",
      "storing an objective's indicators");
  if (!obj_ind.ok()) return obj_ind.status();
  Result<Stmt> pl = db.Prepare(
      "INSERT INTO plan_plans (plan_version, position, id, title, org_unit, owner, line) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "storing a plan");
  if (!pl.ok()) return pl.status();
  Result<Stmt> item = db.Prepare(
      "INSERT INTO plan_plan_items (plan_version, plan_id, kind, position, value) VALUES (?1, ?2, ?3, ?4, ?5)",
      "storing a plan's indicators");
  if (!item.ok()) return item.status();
  Result<Stmt> owner = db.Prepare(
      "INSERT INTO plan_plan_owners (plan_version, plan_id, position, indicator, owner) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      "storing a plan's indicator owners");
  if (!owner.ok()) return owner.status();
  Result<Stmt> target = db.Prepare(
      "INSERT INTO plan_targets (plan_version, position, plan_id, indicator, org_unit, value, by_date, per, "
      "owner, note, objective, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      "storing a target");
  if (!target.ok()) return target.status();
  int64_t pos = 0;
  for (const PlanObjectiveRow& o : plan.objectives) {
    GT_RETURN_IF_ERROR(
        RunWith(*obj, {version, pos++, o.id, o.title, o.owner, o.perspective, o.description, o.line}));
    int64_t k = 0;
    for (const std::string& ind : o.indicators)
      GT_RETURN_IF_ERROR(RunWith(*obj_ind, {version, std::string_view(o.id), k++, std::string_view(ind)}));
  }
  pos = 0;
  for (const PlanPlanRow& p : plan.plans) {
    GT_RETURN_IF_ERROR(RunWith(*pl, {version, pos++, p.id, p.title, p.org_unit, p.owner, p.line}));
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"objective", &p.objectives}, {"prime", &p.prime}, {"indicator", &p.indicators}};
    for (const auto& [kind, values] : lists) {
      int64_t k = 0;
      for (const std::string& v : *values)
        GT_RETURN_IF_ERROR(
            RunWith(*item, {version, std::string_view(p.id), std::string_view(kind), k++, std::string_view(v)}));
    }
    int64_t k = 0;
    for (const PlanIndicatorOwnerRow& o : p.owners)
      GT_RETURN_IF_ERROR(RunWith(
          *owner, {version, std::string_view(p.id), k++, std::string_view(o.indicator), std::string_view(o.owner)}));
  }
  pos = 0;
  for (const PlanTargetRow& t : plan.targets)
    GT_RETURN_IF_ERROR(RunWith(
        *target, {version, pos++, t.plan, t.indicator, t.org_unit, t.value, t.by, t.per, t.owner, t.note, t.objective,
                  t.line}));
  return Status::Ok();
}

constexpr const char* kVersionColumns = "SELECT version, loaded_at, loaded_by, source, sha256, title, years";

PlanVersionInfo ReadInfo(const Stmt& s) {
  PlanVersionInfo v;
  v.version = s.Int(0);
  v.loaded_at = TimeOf(s.Text(1));
  v.loaded_by = Text(s, 2);
  v.source = Text(s, 3);
  v.sha256 = Text(s, 4);
  v.title = Text(s, 5);
  v.years = SplitYears(s.Text(6));
  return v;
}

/// Prepares sql with ?1 bound to the plan version.
Result<Stmt> ForVersion(Db& db, std::string_view sql, std::string_view what, int64_t version) {
  Result<Stmt> s = db.Prepare(sql, what);
  if (s.ok()) s->BindInt(1, version);
  return s;
}

Status ReadRows(Db& db, int64_t version, PlanRecord& out) {
  Result<Stmt> o = ForVersion(db,
                              "SELECT id, title, owner, perspective, description, line FROM plan_objectives "
                              "WHERE plan_version = ?1 ORDER BY position",
                              "reading objectives", version);
  if (!o.ok()) return o.status();
  GT_RETURN_IF_ERROR(EachRow(*o, [&](const Stmt& r) {
    out.objectives.push_back({Text(r, 0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4), {}, r.Int(5)});
  }));
  Result<Stmt> oi = ForVersion(db,
                               "SELECT objective_id, indicator FROM plan_objective_indicators "
                               "WHERE plan_version = ?1 ORDER BY objective_id, position",
                               "reading objectives' indicators", version);
  if (!oi.ok()) return oi.status();
  GT_RETURN_IF_ERROR(EachRow(*oi, [&](const Stmt& r) {
    for (PlanObjectiveRow& obj : out.objectives)
      if (obj.id == r.Text(0)) obj.indicators.push_back(Text(r, 1));
  }));
  Result<Stmt> p = ForVersion(db,
                              "SELECT id, title, org_unit, owner, line FROM plan_plans WHERE plan_version = ?1 "
                              "ORDER BY position",
                              "reading plans", version);
  if (!p.ok()) return p.status();
  GT_RETURN_IF_ERROR(EachRow(*p, [&](const Stmt& r) {
    PlanPlanRow row;
    row.id = Text(r, 0), row.title = Text(r, 1), row.org_unit = Text(r, 2), row.owner = Text(r, 3);
    row.line = r.Int(4);
    out.plans.push_back(std::move(row));
  }));
  auto find_plan = [&](std::string_view id) -> PlanPlanRow* {
    for (PlanPlanRow& row : out.plans)
      if (row.id == id) return &row;
    return nullptr;
  };
  Result<Stmt> items = ForVersion(db,
                                  "SELECT plan_id, kind, value FROM plan_plan_items WHERE plan_version = ?1 "
                                  "ORDER BY plan_id, kind, position",
                                  "reading plans' indicators", version);
  if (!items.ok()) return items.status();
  GT_RETURN_IF_ERROR(EachRow(*items, [&](const Stmt& r) {
    PlanPlanRow* row = find_plan(r.Text(0));
    if (!row) return;
    const std::string_view kind = r.Text(1);
    std::vector<std::string>& list = kind == "objective" ? row->objectives
                                     : kind == "prime"   ? row->prime
                                                         : row->indicators;
    list.push_back(Text(r, 2));
  }));
  Result<Stmt> owners = ForVersion(db,
                                   "SELECT plan_id, indicator, owner FROM plan_plan_owners WHERE plan_version = ?1 "
                                   "ORDER BY plan_id, position",
                                   "reading plans' owners", version);
  if (!owners.ok()) return owners.status();
  GT_RETURN_IF_ERROR(EachRow(*owners, [&](const Stmt& r) {
    if (PlanPlanRow* row = find_plan(r.Text(0))) row->owners.push_back({Text(r, 1), Text(r, 2)});
  }));
  Result<Stmt> t = ForVersion(db,
                              "SELECT plan_id, indicator, org_unit, owner, note, value, by_date, per, line, objective "
                              "FROM plan_targets WHERE plan_version = ?1 ORDER BY position",
                              "reading targets", version);
  if (!t.ok()) return t.status();
  return EachRow(*t, [&](const Stmt& r) {
    PlanTargetRow row;
    row.plan = Text(r, 0), row.indicator = Text(r, 1), row.org_unit = Text(r, 2), row.owner = Text(r, 3);
    row.note = Text(r, 4);
    row.value = r.Double(5);
    row.by = Text(r, 6), row.per = Text(r, 7);
    row.line = r.Int(8);
    row.objective = Text(r, 9);
    out.targets.push_back(std::move(row));
  });
}

}  // namespace

Result<PlanVersionInfo> SavePlanVersion(Db& db, const PlanRecord& plan) {
  GT_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "storing the plan version"));
  auto save = [&]() -> Result<PlanVersionInfo> {
    Result<int64_t> next =
        db.QueryInt("SELECT coalesce(max(version), 0) + 1 FROM plan_versions", "numbering the plan version");
    if (!next.ok()) return next.status();
    PlanVersionInfo info = plan.info;
    info.version = *next;
    Result<Stmt> ins = db.Prepare(
        "INSERT INTO plan_versions (version, loaded_at, loaded_by, source, sha256, title, years, text) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        "storing the plan version");
    if (!ins.ok()) return ins.status();
    const std::string at = FormatTimestamp(info.loaded_at), years = JoinYears(info.years);
    GT_RETURN_IF_ERROR(RunWith(
        *ins, {info.version, at, info.loaded_by, info.source, info.sha256, info.title, years, plan.text}));
    GT_RETURN_IF_ERROR(SaveRows(db, info.version, plan));
    GT_RETURN_IF_ERROR(db.Exec("COMMIT", "storing the plan version"));
    return info;
  };
  Result<PlanVersionInfo> r = save();
  if (!r.ok()) (void)db.Exec("ROLLBACK");
  return r;
}

Result<std::vector<PlanVersionInfo>> PlanVersions(Db& db) {
  Result<Stmt> s =
      db.Prepare(std::string(kVersionColumns) + " FROM plan_versions ORDER BY version", "listing plan versions");
  if (!s.ok()) return s.status();
  std::vector<PlanVersionInfo> out;
  GT_RETURN_IF_ERROR(EachRow(*s, [&](const Stmt& r) { out.push_back(ReadInfo(r)); }));
  return out;
}

Result<std::optional<PlanRecord>> LoadPlanVersion(Db& db, int64_t version) {
  const std::string query = std::string(kVersionColumns) + ", text FROM plan_versions " +
                            (version > 0 ? "WHERE version = ?1" : "ORDER BY version DESC LIMIT 1");
  Result<Stmt> s = db.Prepare(query, "reading a plan version");
  if (!s.ok()) return s.status();
  if (version > 0) s->BindInt(1, version);
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<PlanRecord>();
  PlanRecord out;
  out.info = ReadInfo(*s);
  out.text = Text(*s, 7);
  GT_RETURN_IF_ERROR(ReadRows(db, out.info.version, out));
  return std::optional<PlanRecord>(std::move(out));
}

Result<int64_t> AddStory(Db& db, const StoryRecord& story) {
  Result<Stmt> s = db.Prepare(
      "INSERT INTO plan_stories (written_at, author, indicator, org_unit, section, text, plan_version) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "storing a story");
  if (!s.ok()) return s.status();
  const std::string at = FormatTimestamp(story.written_at);
  GT_RETURN_IF_ERROR(RunWith(
      *s, {at, story.author, story.indicator, story.org_unit, story.section, story.text, story.plan_version}));
  return db.LastInsertRowid();
}

Result<std::vector<StoryRecord>> Stories(Db& db, std::string_view indicator, std::string_view org_unit) {
  Result<Stmt> s = db.Prepare(
      "SELECT id, written_at, author, indicator, org_unit, section, text, plan_version FROM plan_stories "
      "WHERE (?1 = '' OR indicator = ?1) AND (?2 = '' OR org_unit = ?2) ORDER BY id",
      "reading stories");
  if (!s.ok()) return s.status();
  s->BindText(1, indicator.empty() ? std::string_view("") : indicator);
  s->BindText(2, org_unit.empty() ? std::string_view("") : org_unit);
  std::vector<StoryRecord> out;
  GT_RETURN_IF_ERROR(EachRow(*s, [&](const Stmt& r) {
    StoryRecord st;
    st.id = r.Int(0);
    st.written_at = TimeOf(r.Text(1));
    st.author = Text(r, 2), st.indicator = Text(r, 3), st.org_unit = Text(r, 4), st.section = Text(r, 5);
    st.text = Text(r, 6);
    st.plan_version = r.Int(7);
    out.push_back(std::move(st));
  }));
  return out;
}

}  // namespace sqlite
}  // namespace goldthread
