// The PostgreSQL store's plan and story tables (issue 11): schema version
// 4, the twin of sqlite_plans.cc's MigrateTo4, and the Store methods of
// store.h's "Plans and stories" block. The tables and columns are
// sqlite_plans.h's, in PostgreSQL's types (a target's value is double
// precision, so it reads back bit-identical); every value is a parameter.

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "store/pg_migrations.h"
#include "store/plan_columns.h"
#include "store/pg_store_impl.h"

namespace goldthread {
namespace {

using pg::Params;

using plan_columns::JoinYears;
using plan_columns::SplitYears;
using plan_columns::TimeOf;

/// A double as text that parses back to the same double (fmt's shortest
/// round-trip form), and back.
std::string DoubleText(double v) { return fmt::format("{}", v); }
double DoubleOf(std::string_view text) {
  double v = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

constexpr const char* kVersionColumns = "SELECT version, loaded_at, loaded_by, source, sha256, title, years";

PlanVersionInfo ReadInfo(const pg::Rows& r, int row) {
  PlanVersionInfo v;
  v.version = r.Int(row, 0);
  v.loaded_at = TimeOf(r.Text(row, 1));
  v.loaded_by = r.Text(row, 2);
  v.source = r.Text(row, 3);
  v.sha256 = r.Text(row, 4);
  v.title = r.Text(row, 5);
  v.years = SplitYears(r.Text(row, 6));
  return v;
}

Status SaveRows(pg::Conn& db, int64_t version, const PlanRecord& plan) {
  constexpr std::string_view kWhat = "storing the plan version";
  int64_t pos = 0;
  for (const PlanObjectiveRow& o : plan.objectives) {
    GT_RETURN_IF_ERROR(db.Run(
        "INSERT INTO plan_objectives (plan_version, position, id, title, owner, perspective, description, line) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Params().Int(version).Int(pos++).Text(o.id).Text(o.title).Text(o.owner).Text(o.perspective).Text(
            o.description).Int(o.line),
        kWhat));
    int64_t k = 0;
    for (const std::string& ind : o.indicators)
      GT_RETURN_IF_ERROR(db.Run("INSERT INTO plan_objective_indicators (plan_version, objective_id, position, "
                                "indicator) VALUES ($1, $2, $3, $4)",
                                Params().Int(version).Text(o.id).Int(k++).Text(ind), kWhat));
  }
  pos = 0;
  for (const PlanPlanRow& p : plan.plans) {
    GT_RETURN_IF_ERROR(db.Run("INSERT INTO plan_plans (plan_version, position, id, title, org_unit, owner, line) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                              Params().Int(version).Int(pos++).Text(p.id).Text(p.title).Text(p.org_unit).Text(
                                  p.owner).Int(p.line),
                              kWhat));
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"objective", &p.objectives}, {"prime", &p.prime}, {"indicator", &p.indicators}};
    for (const auto& [kind, values] : lists) {
      int64_t k = 0;
      for (const std::string& v : *values)
        GT_RETURN_IF_ERROR(db.Run("INSERT INTO plan_plan_items (plan_version, plan_id, kind, position, value) "
                                  "VALUES ($1, $2, $3, $4, $5)",
                                  Params().Int(version).Text(p.id).Text(kind).Int(k++).Text(v), kWhat));
    }
    int64_t k = 0;
    for (const PlanIndicatorOwnerRow& o : p.owners)
      GT_RETURN_IF_ERROR(db.Run("INSERT INTO plan_plan_owners (plan_version, plan_id, position, indicator, owner) "
                                "VALUES ($1, $2, $3, $4, $5)",
                                Params().Int(version).Text(p.id).Int(k++).Text(o.indicator).Text(o.owner), kWhat));
  }
  pos = 0;
  for (const PlanTargetRow& t : plan.targets)
    GT_RETURN_IF_ERROR(db.Run(
        "INSERT INTO plan_targets (plan_version, position, plan_id, indicator, org_unit, value, by_date, per, "
        "owner, note, objective, line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        Params()
            .Int(version)
            .Int(pos++)
            .Text(t.plan)
            .Text(t.indicator)
            .Text(t.org_unit)
            .Text(DoubleText(t.value))
            .Text(t.by)
            .Text(t.per)
            .Text(t.owner)
            .Text(t.note)
            .Text(t.objective)
            .Int(t.line),
        kWhat));
  return Status::Ok();
}

Status ReadRows(pg::Conn& db, int64_t version, PlanRecord& out) {
  auto query = [&](std::string_view sql, std::string_view what) {
    return db.Exec(sql, Params().Int(version), what);
  };
  Result<pg::Rows> o = query(
      "SELECT id, title, owner, perspective, description, line FROM plan_objectives WHERE plan_version = $1 "
      "ORDER BY position",
      "reading objectives");
  if (!o.ok()) return o.status();
  for (int i = 0; i < o->size(); ++i)
    out.objectives.push_back({std::string(o->Text(i, 0)), std::string(o->Text(i, 1)), std::string(o->Text(i, 2)),
                              std::string(o->Text(i, 3)), std::string(o->Text(i, 4)), {}, o->Int(i, 5)});
  Result<pg::Rows> oi = query(
      "SELECT objective_id, indicator FROM plan_objective_indicators WHERE plan_version = $1 "
      "ORDER BY objective_id, position",
      "reading objectives' indicators");
  if (!oi.ok()) return oi.status();
  for (int i = 0; i < oi->size(); ++i)
    for (PlanObjectiveRow& obj : out.objectives)
      if (obj.id == oi->Text(i, 0)) obj.indicators.emplace_back(oi->Text(i, 1));
  Result<pg::Rows> p = query(
      "SELECT id, title, org_unit, owner, line FROM plan_plans WHERE plan_version = $1 ORDER BY position",
      "reading plans");
  if (!p.ok()) return p.status();
  for (int i = 0; i < p->size(); ++i) {
    PlanPlanRow row;
    row.id = p->Text(i, 0), row.title = p->Text(i, 1), row.org_unit = p->Text(i, 2), row.owner = p->Text(i, 3);
    row.line = p->Int(i, 4);
    out.plans.push_back(std::move(row));
  }
  auto find_plan = [&](std::string_view id) -> PlanPlanRow* {
    for (PlanPlanRow& row : out.plans)
      if (row.id == id) return &row;
    return nullptr;
  };
  Result<pg::Rows> items = query(
      "SELECT plan_id, kind, value FROM plan_plan_items WHERE plan_version = $1 ORDER BY plan_id, kind, position",
      "reading plans' indicators");
  if (!items.ok()) return items.status();
  for (int i = 0; i < items->size(); ++i) {
    PlanPlanRow* row = find_plan(items->Text(i, 0));
    if (!row) continue;
    const std::string_view kind = items->Text(i, 1);
    std::vector<std::string>& list = kind == "objective" ? row->objectives
                                     : kind == "prime"   ? row->prime
                                                         : row->indicators;
    list.emplace_back(items->Text(i, 2));
  }
  Result<pg::Rows> owners = query(
      "SELECT plan_id, indicator, owner FROM plan_plan_owners WHERE plan_version = $1 ORDER BY plan_id, position",
      "reading plans' owners");
  if (!owners.ok()) return owners.status();
  for (int i = 0; i < owners->size(); ++i)
    if (PlanPlanRow* row = find_plan(owners->Text(i, 0)))
      row->owners.push_back({std::string(owners->Text(i, 1)), std::string(owners->Text(i, 2))});
  Result<pg::Rows> t = query(
      "SELECT plan_id, indicator, org_unit, owner, note, value, by_date, per, line, objective FROM plan_targets "
      "WHERE plan_version = $1 ORDER BY position",
      "reading targets");
  if (!t.ok()) return t.status();
  for (int i = 0; i < t->size(); ++i) {
    PlanTargetRow row;
    row.plan = t->Text(i, 0), row.indicator = t->Text(i, 1), row.org_unit = t->Text(i, 2);
    row.owner = t->Text(i, 3), row.note = t->Text(i, 4);
    row.value = DoubleOf(t->Text(i, 5));
    row.by = t->Text(i, 6), row.per = t->Text(i, 7);
    row.line = t->Int(i, 8);
    row.objective = t->Text(i, 9);
    out.targets.push_back(std::move(row));
  }
  return Status::Ok();
}

}  // namespace

Status PgMigrateTo4(pg::Conn& db) {
  constexpr const char* kWhat = "creating the plan and story tables";
  for (const char* sql : {
           "CREATE TABLE plan_versions (version bigint PRIMARY KEY, loaded_at text NOT NULL, "
           "loaded_by text NOT NULL, source text NOT NULL, sha256 text NOT NULL, title text NOT NULL, "
           "years text NOT NULL, text text NOT NULL)",
           "CREATE TABLE plan_objectives (plan_version bigint NOT NULL REFERENCES plan_versions (version), "
           "position bigint NOT NULL, id text NOT NULL, title text NOT NULL, owner text NOT NULL, "
           "perspective text NOT NULL, description text NOT NULL, line bigint NOT NULL, "
           "PRIMARY KEY (plan_version, id))",
           "CREATE TABLE plan_objective_indicators (plan_version bigint NOT NULL, objective_id text NOT NULL, "
           "position bigint NOT NULL, indicator text NOT NULL, PRIMARY KEY (plan_version, objective_id, position))",
           "CREATE TABLE plan_plans (plan_version bigint NOT NULL REFERENCES plan_versions (version), "
           "position bigint NOT NULL, id text NOT NULL, title text NOT NULL, org_unit text NOT NULL, "
           "owner text NOT NULL, line bigint NOT NULL, PRIMARY KEY (plan_version, id))",
           "CREATE TABLE plan_plan_items (plan_version bigint NOT NULL, plan_id text NOT NULL, kind text NOT NULL, "
           "position bigint NOT NULL, value text NOT NULL, PRIMARY KEY (plan_version, plan_id, kind, position))",
           "CREATE TABLE plan_plan_owners (plan_version bigint NOT NULL, plan_id text NOT NULL, "
           "position bigint NOT NULL, indicator text NOT NULL, owner text NOT NULL, "
           "PRIMARY KEY (plan_version, plan_id, position))",
           "CREATE TABLE plan_targets (plan_version bigint NOT NULL REFERENCES plan_versions (version), "
           "position bigint NOT NULL, plan_id text NOT NULL, indicator text NOT NULL, org_unit text NOT NULL, "
           "value double precision NOT NULL, by_date text NOT NULL, per text NOT NULL, owner text NOT NULL, "
           "note text NOT NULL, objective text NOT NULL, line bigint NOT NULL, PRIMARY KEY (plan_version, position))",
           "CREATE TABLE plan_stories (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
           "written_at text NOT NULL, author text NOT NULL, indicator text NOT NULL, org_unit text NOT NULL, "
           "section text NOT NULL, text text NOT NULL, plan_version bigint NOT NULL)",
           "CREATE INDEX plan_stories_curve ON plan_stories (indicator, org_unit, id)",
       })
    GT_RETURN_IF_ERROR(db.Run(sql, kWhat));
  return Status::Ok();
}

Result<PlanVersionInfo> PgStore::SavePlanVersion(const PlanRecord& plan) {
  if (batch_open_ || read_open_)
    return Status::Internal("store '" + label_ + "': a plan cannot be stored inside a batch or a read view");
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  constexpr std::string_view kWhat = "storing the plan version";
  GT_RETURN_IF_ERROR((*db)->Run("BEGIN", kWhat));
  auto save = [&]() -> Result<PlanVersionInfo> {
    // Two plan loads at once number their versions one after the other.
    GT_RETURN_IF_ERROR(AcquireLock(kLockPlans, kWhat));
    Result<int64_t> next =
        (*db)->QueryInt("SELECT coalesce(max(version), 0) + 1 FROM plan_versions", Params(), kWhat);
    if (!next.ok()) return next.status();
    PlanVersionInfo info = plan.info;
    info.version = *next;
    GT_RETURN_IF_ERROR((*db)->Run(
        "INSERT INTO plan_versions (version, loaded_at, loaded_by, source, sha256, title, years, text) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Params()
            .Int(info.version)
            .Text(FormatTimestamp(info.loaded_at))
            .Text(info.loaded_by)
            .Text(info.source)
            .Text(info.sha256)
            .Text(info.title)
            .Text(JoinYears(info.years))
            .Text(plan.text),
        kWhat));
    GT_RETURN_IF_ERROR(SaveRows(**db, info.version, plan));
    GT_RETURN_IF_ERROR((*db)->Run("COMMIT", kWhat));
    return info;
  };
  Result<PlanVersionInfo> r = save();
  if (!r.ok()) (void)(*db)->Run("ROLLBACK", kWhat);
  return r;
}

Result<std::vector<PlanVersionInfo>> PgStore::PlanVersions() {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  Result<pg::Rows> r =
      (*db)->Exec(std::string(kVersionColumns) + " FROM plan_versions ORDER BY version", "listing plan versions");
  if (!r.ok()) return r.status();
  std::vector<PlanVersionInfo> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(ReadInfo(*r, i));
  return out;
}

Result<std::optional<PlanRecord>> PgStore::LoadPlanVersion(int64_t version) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  constexpr std::string_view kWhat = "reading a plan version";
  // One snapshot for the version's rows, as SQLite's single connection gives.
  const bool own = !read_open_ && !batch_open_ && !building_;
  if (own) GT_RETURN_IF_ERROR((*db)->Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", kWhat));
  auto load = [&]() -> Result<std::optional<PlanRecord>> {
    Result<pg::Rows> r =
        version > 0 ? (*db)->Exec(std::string(kVersionColumns) + ", text FROM plan_versions WHERE version = $1",
                                  Params().Int(version), kWhat)
                    : (*db)->Exec(std::string(kVersionColumns) +
                                      ", text FROM plan_versions ORDER BY version DESC LIMIT 1",
                                  kWhat);
    if (!r.ok()) return r.status();
    if (r->size() == 0) return std::optional<PlanRecord>();
    PlanRecord out;
    out.info = ReadInfo(*r, 0);
    out.text = r->Text(0, 7);
    GT_RETURN_IF_ERROR(ReadRows(**db, out.info.version, out));
    return std::optional<PlanRecord>(std::move(out));
  };
  Result<std::optional<PlanRecord>> out = load();
  if (own) {
    Status end = (*db)->Run(out.ok() ? "COMMIT" : "ROLLBACK", kWhat);
    if (out.ok() && !end.ok()) return end;
  }
  return out;
}

Result<int64_t> PgStore::AddStory(const StoryRecord& story) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  return (*db)->QueryInt(
      "INSERT INTO plan_stories (written_at, author, indicator, org_unit, section, text, plan_version) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      Params()
          .Text(FormatTimestamp(story.written_at))
          .Text(story.author)
          .Text(story.indicator)
          .Text(story.org_unit)
          .Text(story.section)
          .Text(story.text)
          .Int(story.plan_version),
      "storing a story");
}

Result<std::vector<StoryRecord>> PgStore::Stories(std::string_view indicator, std::string_view org_unit) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  Result<pg::Rows> r = (*db)->Exec(
      "SELECT id, written_at, author, indicator, org_unit, section, text, plan_version FROM plan_stories "
      "WHERE ($1 = '' OR indicator = $1) AND ($2 = '' OR org_unit = $2) ORDER BY id",
      Params().Text(indicator).Text(org_unit), "reading stories");
  if (!r.ok()) return r.status();
  std::vector<StoryRecord> out;
  for (int i = 0; i < r->size(); ++i) {
    StoryRecord st;
    st.id = r->Int(i, 0);
    st.written_at = TimeOf(r->Text(i, 1));
    st.author = r->Text(i, 2), st.indicator = r->Text(i, 3), st.org_unit = r->Text(i, 4);
    st.section = r->Text(i, 5), st.text = r->Text(i, 6);
    st.plan_version = r->Int(i, 7);
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace goldthread
