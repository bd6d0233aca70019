#pragma once
// Conditions compiled for speed (internal to the indicator engine): the
// node tree of a condition turned into a small tree of typed checks, with
// field reads bound to their columns, text literals resolved, and values
// of the period alone computed once per period. Parts of other shapes are
// evaluated as nodes (eval.cc).
//
// Thread-safety: immutable once compiled; Eval may run on many threads.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/period.h"
#include "indicators/eval_internal.h"

namespace goldthread::indicators {

/// A condition compiled for speed when it is built from the common shapes
/// (a field compared with a constant or a value of the period, a code list,
/// is [not] null, a date in a range of the period, and/or/not, arithmetic);
/// any other part is evaluated as a node. Gives exactly what EvalNodeBool
/// gives, for the snapshot, periods and text literals it was compiled with.
class FastCond {
 public:
  FastCond();
  FastCond(FastCond&&) noexcept;
  FastCond& operator=(FastCond&&) noexcept;
  ~FastCond();
  /// compiled = false: the whole condition is evaluated as a node (what
  /// the compiled form is checked against).
  static FastCond Compile(const Node* n, const Snapshot& snap, const std::vector<Period>& periods,
                          const std::vector<int32_t>& text_ids, bool compiled = true);
  /// c: the context of period k (its rows and person set).
  bool Eval(EvalContext& c, size_t k) const;
  /// Whether any part fell back to node evaluation.
  bool interpreted() const;

  struct Operand;
  struct Cond;

 private:
  std::unique_ptr<Cond> cond_;
};

}  // namespace goldthread::indicators
