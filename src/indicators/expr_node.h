#pragma once
// The node tree of a compiled expression: shared by the compiler (expr.cc)
// and the evaluator (eval.cc) only. Not part of the public interface.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "model/schema.h"

namespace goldthread::indicators {

// kRecord: a reference to a record (a row of Node::record's table): a
// reference field (request_id, org_unit_id), or a record's own id.
enum class Ty : uint8_t { kBool, kNum, kDate, kCode, kYesNo, kText, kStr, kNull, kRange, kRecord };

enum class Op : uint8_t {
  kConst, kTextLit, kField, kRefField, kPersonField, kPeriodStart, kPeriodEnd, kLet, kRowId,
  kAnd, kOr, kNot, kEq, kNe, kLt, kLe, kGt, kGe, kInList, kInRange, kBetween, kIsNull, kNotNull,
  kAdd, kSub, kMul, kDiv, kNeg,
  kExists, kCount, kSum, kMax, kMin, kWeekCount, kWeekSum,
  kLatest, kFirst, kMedian, kPercentile,  // scans: kids[2] of latest/first is the order date (or null)
  kActiveAt, kActiveIn, kAgeAt, kAnswer, kWeekStart, kAgeLow,
  kHasGroup, kAddMonths,
  kPeriodRange, kDaysBefore, kDaysAfter, kMonthsBefore, kMonthsAfter,
};

/// A bound on a scanned table's timeline date, found in a conjunct of the
/// scan's condition; evaluated once per scan to narrow the rows.
struct DateBound {
  enum class Kind : uint8_t { kLow, kHigh, kRange } kind;
  using enum Kind;
  const struct Node* node;  // value (kLow/kHigh) or range node (kRange)
  int adjust;               // added to a kLow/kHigh value (strict comparisons)
};

struct Node {
  Op op = Op::kConst;
  Ty ty = Ty::kNum;
  int height = 1;              // levels below and including this node (a let counts its own)
  int depth = 0;               // the scope depth a field is read at; a scan's row depth
  TableId table = kNoTable;    // the field's table; the scanned table
  int field = -1;              // field index; ref column for kRefField; start field for active_*
  int field2 = -1;             // target field for kRefField; end field for active_*
  TableId table2 = kNoTable;   // target table for kRefField
  TableId record = kNoTable;   // Ty::kRecord: the table of the record referred to
  double num = 0;              // constant; text literal slot; let index
  std::span<const std::string_view> codes;  // for kCode values
  std::vector<double> list;    // kInList constants (text: slots)
  bool list_text = false;
  std::vector<std::unique_ptr<Node>> kids;
  std::vector<DateBound> bounds;  // scans: kids[0] is the condition (or null), kids[1] the value
};

}  // namespace goldthread::indicators
