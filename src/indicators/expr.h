#pragma once
// The condition language of indicator definitions (docs/indicators.md):
// small expressions over a person's timeline, compiled once into a tree of
// typed nodes and evaluated per period x person against a Snapshot.
//
//   term = 'long' and active_at(period_end)
//   exists(reviews, completed_on in days_before(period_end, 365))
//   completed_on <= request_id.received_on + threshold_days
//
// Compilation checks names and types against the canonical schema
// (model/schema.h), so a misspelt field fails when the definition loads,
// not half-way through a computation. Errors carry the offset of the token
// in the expression text; definition.cc turns it into file:line:col.
//
// Thread-safety: a compiled Expr is immutable; Eval may run on many threads.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "core/text.h"
#include "model/schema.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::indicators {

struct Node;       // expr_node.h
struct DateBound;  // expr_node.h
struct CompileEnv;
struct ExprError;
struct EvalContext;

/// A compiled expression. Cheap to move; owns its node tree.
class Expr {
 public:
  Expr();
  Expr(Expr&&) noexcept;
  Expr& operator=(Expr&&) noexcept;
  ~Expr();
  bool valid() const { return root_ != nullptr; }
  const Node* root() const { return root_.get(); }
  bool is_date() const;
  /// Levels of the tree, counting those of the lets it uses (<= kMaxExprDepth).
  int height() const;

 private:
  friend class Compiler;
  friend bool TryCompile(std::string_view, const std::vector<TableId>&, TableId, bool, CompileEnv&, Expr&,
                         ExprError&);
  friend std::pair<int64_t, int64_t> CandidateRows(const Expr&, TableId, EvalContext&, int);
  std::unique_ptr<Node> root_;
  // Bounds on the scope table's timeline date, when the expression is a
  // condition scanned over a person's rows (see CandidateRows).
  std::vector<DateBound> scan_bounds_;
};

/// How deep an expression may nest: levels of parentheses, operators,
/// function calls and scans, a [let] counting the levels of its own
/// expression. Every walk over a compiled tree (the evaluators, compiled
/// conditions, the engine's planner) recurses once per level, so a deeper
/// expression is refused when it is compiled, with its position.
inline constexpr int kMaxExprDepth = 256;

/// What an expression may refer to while compiling.
struct CompileEnv {
  /// Numeric parameters of the definition ([parameters]): usable by name.
  std::map<std::string, double, std::less<>> parameters;
  /// Names of [let] bindings, in order; a reference evaluates lets[i] in
  /// the case record's scope.
  std::vector<std::string> lets;
  std::vector<bool> let_is_date;  // parallel to lets
  std::vector<int> let_heights;   // parallel to lets: Expr::height()
  /// Text literals compared with text fields; resolved per snapshot.
  std::vector<std::string>* text_literals = nullptr;
};

/// A compile error: where (byte offset in the expression text) and what.
struct ExprError {
  size_t offset = 0;
  std::string message;
};

/// Compiles text as a condition or value evaluated on a record of `scope`
/// (the innermost table; enclosing records are reachable as outer.field).
/// outer_scopes lists the enclosing tables, outermost first (may be empty).
/// want_bool: the expression must be a condition. On failure returns false
/// and fills err.
bool TryCompile(std::string_view text, const std::vector<TableId>& outer_scopes, TableId scope,
                bool want_bool, CompileEnv& env, Expr& out, ExprError& err);

/// The most scopes an expression has: the case record, the numerator's
/// record, and the records of nested scans (ctx.rows has one per scope).
inline constexpr int kMaxScopes = 8;

struct LetCache;  // eval_internal.h

/// The state an expression is evaluated in.
struct EvalContext {
  const Snapshot* snap = nullptr;
  Period period;
  int32_t person = -1;             // -1: a record with no person
  int64_t rows[kMaxScopes] = {};   // the record at each scope depth; rows[0] is the case record
  const std::vector<int32_t>* text_ids = nullptr;  // text literal -> pool index (-2 absent)
  const std::vector<Expr>* lets = nullptr;         // the case record's [let] bindings
  /// Keeps each let's value for the case (rows[0], person, period) it was
  /// computed for; null: every use evaluates the let again. Same figures.
  LetCache* let_cache = nullptr;
  /// Scans narrow a person's rows by binary search on their condition's
  /// date bounds (false: every row is tried). Same figures.
  bool narrow_scans = true;
};

/// Evaluates at depth (the index into ctx.rows of the innermost record).
/// Returns false for a false condition or an unknown (null) value.
bool EvalBool(const Expr& e, EvalContext& ctx, int depth);
/// A value; sets null when unknown.
double EvalNumber(const Expr& e, EvalContext& ctx, int depth, bool& null);

/// Rows [begin, end) of the person's rows in table that can satisfy cond,
/// narrowed by binary search when cond constrains the table's timeline date
/// (e.g. `received_on in period`). depth is cond's scope depth.
std::pair<int64_t, int64_t> CandidateRows(const Expr& cond, TableId table, EvalContext& ctx,
                                          int depth);

/// Lower-case names of the functions the language knows, for hints.
const std::vector<std::string_view>& FunctionNames();

// EditDistance and ClosestName, for hints: core/text.h.

}  // namespace goldthread::indicators
