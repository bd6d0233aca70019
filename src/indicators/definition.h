#pragma once
// Indicator definitions: TOML files (docs/indicators.md) parsed with toml++
// and compiled once into expressions (expr.h). Errors read
// "file:line:col: message", with a hint where one helps:
//   indicators/x.toml:7:12: unknown field 'recieved_on' in table requests (did you mean 'received_on'?)
//
// A Definition is immutable after loading; share it freely across threads.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "indicators/expr.h"
#include "model/schema.h"

namespace goldthread::indicators {

enum class Unit { kPercent, kRatePer100k, kCount, kMean, kDays };
enum class Polarity { kUp, kDown };
enum class Oba { kHowMuch, kHowWell, kBetterOff };
enum class Kind { kFlow, kSnapshot };
enum class Cut { kAgeBand, kSex, kEthnicity, kPrimarySupportReason, kCarerGroup };
/// What a mean/days figure reports of its cases' values.
enum class Statistic { kMean, kMedian, kPercentile };
/// How a derived indicator's figure comes from its two components' (a, b).
enum class DerivedOp { kRatio, kDifference };

std::string_view UnitName(Unit u);
std::string_view PolarityName(Polarity p);
std::string_view ObaName(Oba o);
std::string_view KindName(Kind k);
std::string_view CutName(Cut c);
std::string_view StatisticName(Statistic s);
std::string_view DerivedOpName(DerivedOp op);

/// One way into the population: records of a table meeting a condition.
/// Everything evaluated on the case record is compiled per branch, since
/// each branch's case record is of its own table.
struct Branch {
  TableId table = kNoTable;
  Expr where;               // scope: [table]
  std::vector<Expr> lets;   // scope: [table]
  Expr value;               // mean/days: scope [table]
  Expr num_where;           // scope: [table] or [table, numerator_from]
  Expr num_claimed;         // optional; same scope
  std::vector<Expr> criteria;  // same scope, parallel to Definition::criteria
  /// Record unit: fields of the table that identify one case among its
  /// rows (one case per person and distinct values).
  std::vector<int> distinct;
  /// The day the age_band cut takes a case's age on (age_on, a date on the
  /// case record); when not given, see Definition::AgeDayOf.
  Expr age_on;  // scope: [table]
};

/// [derived]: an indicator defined from two others, its figures computed
/// from theirs period by period, org unit by org unit, group by group
/// (indicators/derived.h; docs/indicators.md, "Indicators from
/// indicators").
struct Derived {
  DerivedOp op = DerivedOp::kRatio;
  std::vector<std::string> of;     // the components' ids: a, then b
  std::vector<std::string> of_at;  // "file:line:col" of each id, for messages
  std::string op_at;               // "file:line:col" of op
};

struct Definition {
  std::string file;  // as given to the loader, for messages
  std::string id, title, description;
  Unit unit = Unit::kPercent;
  Polarity polarity = Polarity::kUp;
  Oba oba = Oba::kHowWell;
  Kind kind = Kind::kFlow;
  int64_t version = 1;
  std::vector<Cut> cuts;
  /// Days after a period's end before its cases' outcomes can be known (a
  /// 91-day follow-up): until the data reach that far the period's figures
  /// are provisional, and are left out of SPC charts and funnels.
  int follow_up_days = 0;
  std::vector<std::string> links;  // ids of outcome indicators this process indicator should move
  /// Units mean and days: the mean of the cases' values (the default), their
  /// median, or their `percentile`-th percentile (0-100).
  Statistic statistic = Statistic::kMean;
  double percentile = 50;
  std::map<std::string, double, std::less<>> parameters;

  bool count_persons = true;        // population unit: "person" (once each) or "record"
  std::vector<Branch> branches;     // [population] or [[population]]
  bool has_numerator = false;
  TableId numerator_from = kNoTable;  // kNoTable: the numerator is a condition on the case record
  bool has_claimed = false;
  std::vector<std::string> criteria;  // names, in file order
  std::vector<std::string> let_names;
  /// rate_per_100k: the denominator. With rate_population null, the sum
  /// of rate_table's count column over the rows rate_where selects
  /// (populations.csv: of the latest year on or before the period's;
  /// carer_populations.csv: undated). Otherwise ([rate] from = ...) the
  /// cases of that count definition, counted in each org unit and group as
  /// a population is: its cuts and kind are this definition's, set by the
  /// engine.
  TableId rate_table = TableId::kPopulations;
  Expr rate_where;                  // which rows of rate_table are the denominator
  std::shared_ptr<const Definition> rate_population;
  double rate_per = 100000;         // also a derived ratio's multiplier: per x a / b
  /// Set for a [derived] definition, which has no population of its own
  /// (branches is empty); ResolveDerived (derived.h) checks its components
  /// and sets its cuts and follow_up_days from theirs.
  std::optional<Derived> derived;
  std::vector<std::string> text_literals;  // resolved against each snapshot's string pool
};

/// "per 100,000", "per 1,000", "per 2.5": a rate's multiplier in words.
std::string PerLabel(double per);

/// Parses and compiles one definition. file_name is used in messages only.
Result<Definition> ParseDefinition(std::string_view toml_text, std::string_view file_name);
/// The largest definition file read (1 MiB: the built-ins are 1-2 kB).
inline constexpr int64_t kMaxDefinitionBytes = int64_t{1} << 20;
/// Reads and parses a file; messages name the path as given. Refuses what
/// is not a regular file, and files over kMaxDefinitionBytes.
Result<Definition> LoadDefinitionFile(const std::string& path);
/// Every *.toml in dir, by file name. Fails on the first bad file, or on
/// an id defined twice ("b.toml: indicator 'x' is already defined in a.toml").
Result<std::vector<Definition>> LoadDefinitionDir(const std::string& dir);
/// Whether d's figures for period are provisional (follow_up_days) when the
/// data reach data_end; kNullDate: never.
bool IsProvisional(const Period& period, const Definition& d, Date data_end);

/// The folder of the built-in definitions: $GOLDTHREAD_INDICATORS when set,
/// else, for an installed goldthread, share/goldthread/indicators beside its
/// bin/ (found relative to the executable), and for a binary of the build
/// tree the source tree's indicators/ (builtin_dir.cc).
std::string BuiltInDir();
/// Appends extra's definitions to base; an id in both is an error.
Status MergeDefinitions(std::vector<Definition>& base, std::vector<Definition> extra);
/// The built-in definitions (BuiltInDir) and, when extra_dir is not empty,
/// a council's own from extra_dir: what `compute` and `check` run.
Result<std::vector<Definition>> LoadBuiltInAndLocal(const std::string& extra_dir);

}  // namespace goldthread::indicators
