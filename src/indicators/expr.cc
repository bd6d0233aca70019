#include "indicators/expr.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "indicators/eval_internal.h"
#include "indicators/expr_node.h"

namespace goldthread::indicators {

namespace {
constexpr int kMaxScanDepth = 6;
static_assert(kMaxScanDepth < kMaxScopes);
}  // namespace

Expr::Expr() = default;
Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(Expr&&) noexcept = default;
Expr::~Expr() = default;
bool Expr::is_date() const { return root_ && root_->ty == Ty::kDate; }
int Expr::height() const { return root_ ? root_->height : 0; }

const std::vector<std::string_view>& FunctionNames() {
  static const std::vector<std::string_view> kNames = {
      "exists", "count", "sum", "max", "min", "week_count", "week_sum", "active_at", "active_in",
      "age_at", "answer", "week_start", "age_low", "between", "days_before", "days_after",
      "latest", "first", "median", "percentile", "has_group", "months_before", "months_after", "add_months"};
  return kNames;
}

namespace {

//===----------------------------------------------------------------------===//
// Lexer
//===----------------------------------------------------------------------===//

enum class Tok { kEnd, kIdent, kNumber, kString, kOp, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;  // identifier, operator, or the string's contents
  size_t offset = 0;
  double number = 0;
};

std::vector<Token> Lex(std::string_view s, ExprError& err, bool& ok) {
  std::vector<Token> out;
  size_t i = 0;
  ok = true;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    Token t;
    t.offset = i;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      t.kind = Tok::kIdent;
      t.text = s.substr(i, j - i);
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      // Digits, then optionally '.' and digits.
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '.') {
        size_t k = j + 1;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
        if (k == j + 1 || (k < s.size() && s[k] == '.')) {
          while (k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || s[k] == '.')) ++k;
          err = {i, "malformed number '" + std::string(s.substr(i, k - i)) + "' (expected digits, or digits.digits)"};
          ok = false;
          return out;
        }
        j = k;
      }
      t.kind = Tok::kNumber;
      t.text = s.substr(i, j - i);
      t.number = std::strtod(std::string(t.text).c_str(), nullptr);
      if (!std::isfinite(t.number)) {
        err = {i, "number too large (" + std::to_string(t.text.size()) + " digits)"};
        ok = false;
        return out;
      }
      i = j;
    } else if (c == '\'') {
      size_t j = s.find('\'', i + 1);
      if (j == std::string_view::npos) {
        err = {i, "unterminated string (expected a closing ')"};
        ok = false;
        return out;
      }
      t.kind = Tok::kString;
      t.text = s.substr(i + 1, j - i - 1);
      i = j + 1;
    } else {
      static constexpr std::string_view kTwo[] = {"<=", ">=", "!=", "<>", "==", "&&", "||"};
      t.kind = Tok::kOp;
      t.text = s.substr(i, 1);
      for (std::string_view two : kTwo)
        if (s.substr(i, 2) == two) t.text = s.substr(i, 2);
      if (t.text == "==" || t.text == "&&" || t.text == "||") {
        // What SQL, DAX or C habits write: say what this language writes.
        const char* use = t.text == "==" ? "=" : t.text == "&&" ? "and" : "or";
        err = {i, "'" + std::string(t.text) + "' is not an operator here: use '" + use + "'" +
                      (t.text == "==" ? " to compare (x = 1)" : "")};
        ok = false;
        return out;
      }
      if (c == '"') {
        err = {i, "strings are written in single quotes here ('long', not \"long\")"};
        ok = false;
        return out;
      }
      if (t.text.size() == 1 && std::string_view("=<>+-*/(),.").find(c) == std::string_view::npos) {
        err = {i, std::string("unexpected character '") + c + "'"};
        ok = false;
        return out;
      }
      i += t.text.size();
    }
    out.push_back(t);
  }
  Token end;
  end.offset = s.size();
  out.push_back(end);
  return out;
}

std::string_view TyName(Ty t) {
  switch (t) {
    case Ty::kBool: return "condition";
    case Ty::kNum: return "number";
    case Ty::kDate: return "date";
    case Ty::kCode: return "code";
    case Ty::kYesNo: return "Y/N";
    case Ty::kText: return "text";
    case Ty::kStr: return "string";
    case Ty::kNull: return "null";
    case Ty::kRange: return "date range";
    case Ty::kRecord: return "record reference";
  }
  return "?";
}

Ty TyOfField(FieldType f) {
  switch (f) {
    case FieldType::kDate:
    case FieldType::kBirthDate:
    case FieldType::kMonth: return Ty::kDate;
    case FieldType::kCode: return Ty::kCode;
    case FieldType::kYesNo: return Ty::kYesNo;
    case FieldType::kText: return Ty::kText;
    case FieldType::kRef: return Ty::kRecord;  // a row of the referenced table; navigated with '.'
    default: return Ty::kNum;
  }
}

// Tables with a start and an end date: what "active" means for each.
struct Interval {
  TableId table;
  std::string_view start, end;
};
constexpr Interval kIntervals[] = {
    {TableId::kServices, "start_on", "end_on"},
    {TableId::kPersonalBudgets, "start_on", "end_on"},
    {TableId::kCareLinks, "start_date", "end_date"},
    {TableId::kHospitalEpisodes, "admitted_on", "discharged_on"},
};

using NodeP = std::unique_ptr<Node>;

}  // namespace

//===----------------------------------------------------------------------===//
// Compiler: recursive descent, typing as it goes
//===----------------------------------------------------------------------===//

class Compiler {
 public:
  Compiler(std::vector<Token> toks, std::vector<TableId> scopes, CompileEnv& env, ExprError& err)
      : toks_(std::move(toks)), scopes_(std::move(scopes)), env_(env), err_(err) {}

  bool Run(bool want_bool, Expr& out) {
    NodeP n = ParseOr();
    if (!n) return false;
    if (Peek().kind != Tok::kEnd) return Fail(Peek().offset, "unexpected '" + std::string(Peek().text) + "'");
    if (want_bool && n->ty != Ty::kBool)
      return Fail(0, "expected a condition, got a " + std::string(TyName(n->ty)));
    if (!want_bool && n->ty != Ty::kNum && n->ty != Ty::kDate)
      return Fail(0, "expected a number, got a " + std::string(TyName(n->ty)));
    out.root_ = std::move(n);
    return true;
  }

 private:
  const Token& Peek(int ahead = 0) const {
    size_t i = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  const Token& Next() { return toks_[std::min(pos_++, toks_.size() - 1)]; }
  bool IsOp(std::string_view op) const { return Peek().kind == Tok::kOp && Peek().text == op; }
  bool IsWord(std::string_view w) const { return Peek().kind == Tok::kIdent && Peek().text == w; }
  bool Fail(size_t offset, std::string msg) {
    if (!failed_) err_ = {offset, std::move(msg)};
    failed_ = true;
    return false;
  }
  NodeP FailN(size_t offset, std::string msg) {
    Fail(offset, std::move(msg));
    return nullptr;
  }
  bool Expect(std::string_view op) {
    if (IsOp(op)) {
      Next();
      return true;
    }
    std::string got = Peek().kind == Tok::kEnd ? "end of expression" : "'" + std::string(Peek().text) + "'";
    return Fail(Peek().offset, "expected '" + std::string(op) + "', got " + got);
  }
  int depth() const { return static_cast<int>(scopes_.size()) - 1; }
  TableId scope() const { return scopes_.back(); }

  static NodeP Make(Op op, Ty ty) {
    auto n = std::make_unique<Node>();
    n->op = op;
    n->ty = ty;
    return n;
  }
  NodeP Unary(Op op, Ty ty, NodeP a) {
    NodeP n = Make(op, ty);
    n->kids.push_back(std::move(a));
    return Done(std::move(n));
  }
  NodeP Binary(Op op, Ty ty, NodeP a, NodeP b) {
    NodeP n = Make(op, ty);
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return Done(std::move(n));
  }

  // Depth: the tree's height is checked as each node with children is made
  // (a chain of 'and' or '+' is built without recursion, but every walk
  // over it recurses), the parser's own recursion as it descends.
  static std::string TooDeep() {
    return "expression nested too deeply (at most " + std::to_string(kMaxExprDepth) +
           " levels of parentheses, operators, function calls and lets)";
  }
  size_t Here() const { return toks_[pos_ > 0 ? std::min(pos_ - 1, toks_.size() - 1) : 0].offset; }
  NodeP Done(NodeP n) {
    int below = 0;
    for (const NodeP& k : n->kids)
      if (k) below = std::max(below, k->height);
    n->height = std::max(n->height, below + 1);
    if (n->height > kMaxExprDepth) return FailN(Here(), TooDeep());
    return n;
  }
  class Nesting {
   public:
    explicit Nesting(Compiler& c) : c_(c) { ++c_.nesting_; }
    ~Nesting() { --c_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    bool too_deep() const { return c_.nesting_ > kMaxExprDepth; }

   private:
    Compiler& c_;
  };

  NodeP ParseOr() {
    Nesting nest(*this);
    if (nest.too_deep()) return FailN(Peek().offset, TooDeep());
    NodeP a = ParseAnd();
    while (a && IsWord("or")) {
      size_t at = Next().offset;
      NodeP b = ParseAnd();
      if (!b) return nullptr;
      if (!RequireBool(*a, at, "or") || !RequireBool(*b, at, "or")) return nullptr;
      a = Binary(Op::kOr, Ty::kBool, std::move(a), std::move(b));
    }
    return a;
  }
  NodeP ParseAnd() {
    NodeP a = ParseNot();
    while (a && IsWord("and")) {
      size_t at = Next().offset;
      NodeP b = ParseNot();
      if (!b) return nullptr;
      if (!RequireBool(*a, at, "and") || !RequireBool(*b, at, "and")) return nullptr;
      a = Binary(Op::kAnd, Ty::kBool, std::move(a), std::move(b));
    }
    return a;
  }
  NodeP ParseNot() {
    if (IsWord("not")) {
      Nesting nest(*this);
      if (nest.too_deep()) return FailN(Peek().offset, TooDeep());
      size_t at = Next().offset;
      NodeP a = ParseNot();
      if (!a || !RequireBool(*a, at, "not")) return nullptr;
      return Unary(Op::kNot, Ty::kBool, std::move(a));
    }
    return ParseCmp();
  }
  bool RequireBool(const Node& n, size_t at, std::string_view op) {
    if (n.ty == Ty::kBool) return true;
    return Fail(at, "'" + std::string(op) + "' needs conditions on both sides, got a " + std::string(TyName(n.ty)));
  }

  // Makes the two sides of a comparison comparable: resolves string
  // literals against a code list, Y/N, or the text pool.
  bool Unify(NodeP& a, NodeP& b, size_t at) {
    if (a->ty == Ty::kNull || b->ty == Ty::kNull)
      return Fail(at, "cannot compare with null (use 'is null' or 'is not null')");
    if (a->ty == Ty::kStr && b->ty != Ty::kStr) return Unify(b, a, at);
    if (b->ty == Ty::kStr) {
      if (!ResolveLiteral(*a, *b)) return false;
      return true;
    }
    if (a->ty == b->ty) {
      if (a->ty == Ty::kCode && a->codes.data() != b->codes.data())
        return Fail(at, "cannot compare codes of different lists");
      if (a->ty == Ty::kRecord && a->record != b->record)
        return Fail(at, "cannot compare a reference to " + std::string(Table(a->record).name) +
                            " with a reference to " + std::string(Table(b->record).name));
      return true;
    }
    return Fail(at, "cannot compare " + std::string(TyName(a->ty)) + " with " + std::string(TyName(b->ty)));
  }
  // Turns the string literal lit into a constant comparable with value.
  bool ResolveLiteral(const Node& value, Node& lit) {
    std::string_view s = literal_text_[&lit];
    size_t at = literal_offset_[&lit];
    switch (value.ty) {
      case Ty::kCode: {
        for (size_t i = 0; i < value.codes.size(); ++i)
          if (value.codes[i] == s) {
            lit.op = Op::kConst, lit.ty = Ty::kCode, lit.num = static_cast<double>(i), lit.codes = value.codes;
            return true;
          }
        std::vector<std::string_view> cands(value.codes.begin(), value.codes.end());
        std::string hint = ClosestName(s, cands);
        std::string msg = "unknown code '" + std::string(s) + "'";
        if (!hint.empty()) return Fail(at, msg + " (did you mean '" + hint + "'?)");
        std::string all;
        for (std::string_view c : value.codes) all += (all.empty() ? "" : ", ") + std::string(c);
        return Fail(at, msg + " (expected one of: " + all + ")");
      }
      case Ty::kYesNo:
        if (s != "Y" && s != "N") return Fail(at, "a Y/N field is compared with 'Y' or 'N', not '" + std::string(s) + "'");
        lit.op = Op::kConst, lit.ty = Ty::kYesNo, lit.num = s == "Y" ? 1 : 0;
        return true;
      case Ty::kText: {
        lit.op = Op::kTextLit, lit.ty = Ty::kText, lit.num = static_cast<double>(TextSlot(s));
        return true;
      }
      default:
        return Fail(at, "cannot compare " + std::string(TyName(value.ty)) + " with a string");
    }
  }
  int TextSlot(std::string_view s) {
    std::vector<std::string>& lits = *env_.text_literals;
    for (size_t i = 0; i < lits.size(); ++i)
      if (lits[i] == s) return static_cast<int>(i);
    lits.emplace_back(s);
    return static_cast<int>(lits.size() - 1);
  }

  NodeP ParseCmp() {
    NodeP a = ParseAdd();
    if (!a) return nullptr;
    static constexpr std::pair<std::string_view, Op> kCmps[] = {
        {"=", Op::kEq}, {"!=", Op::kNe}, {"<>", Op::kNe}, {"<", Op::kLt},
        {"<=", Op::kLe}, {">", Op::kGt}, {">=", Op::kGe}};
    for (auto [text, op] : kCmps) {
      if (!IsOp(text)) continue;
      size_t at = Next().offset;
      NodeP b = ParseAdd();
      if (!b) return nullptr;
      if (!Unify(a, b, at)) return nullptr;
      if (op != Op::kEq && op != Op::kNe && a->ty != Ty::kNum && a->ty != Ty::kDate)
        return FailN(at, "'" + std::string(text) + "' orders numbers and dates, not " + std::string(TyName(a->ty)) + "s");
      return Binary(op, Ty::kBool, std::move(a), std::move(b));
    }
    if (IsWord("is")) {
      Next();
      bool negate = false;
      if (IsWord("not")) Next(), negate = true;
      if (!IsWord("null")) return FailN(Peek().offset, "expected 'null' after 'is'");
      Next();
      return Unary(negate ? Op::kNotNull : Op::kIsNull, Ty::kBool, std::move(a));
    }
    if (IsWord("in")) {
      size_t at = Next().offset;
      if (IsWord("period")) {
        Next();
        if (a->ty != Ty::kDate) return FailN(at, "'in period' needs a date, got a " + std::string(TyName(a->ty)));
        return Binary(Op::kInRange, Ty::kBool, std::move(a), Make(Op::kPeriodRange, Ty::kRange));
      }
      if (IsOp("(")) return ParseInList(std::move(a), at);
      NodeP r = ParseAdd();
      if (!r) return nullptr;
      if (r->ty != Ty::kRange)
        return FailN(at, "'in' takes a list (a, b), 'period', days_before(date, n), days_after(date, n), "
                         "months_before(date, n) or months_after(date, n)");
      if (a->ty != Ty::kDate) return FailN(at, "'in' a date range needs a date, got a " + std::string(TyName(a->ty)));
      return Binary(Op::kInRange, Ty::kBool, std::move(a), std::move(r));
    }
    return a;
  }

  NodeP ParseInList(NodeP a, size_t at) {
    Next();  // (
    NodeP n = Make(Op::kInList, Ty::kBool);
    while (true) {
      const Token& t = Next();
      if (t.kind == Tok::kNumber) {
        if (a->ty != Ty::kNum) return FailN(t.offset, "a list of numbers needs a number, got a " + std::string(TyName(a->ty)));
        n->list.push_back(t.number);
      } else if (t.kind == Tok::kString) {
        NodeP lit = Make(Op::kConst, Ty::kStr);
        literal_text_[lit.get()] = t.text;
        literal_offset_[lit.get()] = t.offset;
        if (!ResolveLiteral(*a, *lit)) return nullptr;
        n->list.push_back(lit->num);
        n->list_text = lit->op == Op::kTextLit;
      } else {
        return FailN(t.offset, "expected a number or a 'string' in the list");
      }
      if (IsOp(",")) { Next(); continue; }
      if (!Expect(")")) return nullptr;
      break;
    }
    n->kids.push_back(std::move(a));
    return Done(std::move(n));
  }

  // The value of a node built of constants and arithmetic alone.
  static bool Constant(const Node& n, double& out) {
    double a = 0, b = 0;
    switch (n.op) {
      case Op::kConst:
        if (n.ty != Ty::kNum) return false;
        out = n.num;
        return true;
      case Op::kNeg:
        if (!Constant(*n.kids[0], a)) return false;
        out = -a;
        return true;
      case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: {
        if (!Constant(*n.kids[0], a) || !Constant(*n.kids[1], b)) return false;
        bool null = false;
        out = Arith(n.op, a, b, null);
        return !null;
      }
      default:
        return false;
    }
  }

  NodeP ParseAdd() {
    NodeP a = ParseMul();
    while (a && (IsOp("+") || IsOp("-"))) {
      bool plus = Peek().text == "+";
      size_t at = Next().offset;
      NodeP b = ParseMul();
      if (!b) return nullptr;
      Ty ty;
      if (a->ty == Ty::kNum && b->ty == Ty::kNum) ty = Ty::kNum;
      else if (a->ty == Ty::kDate && b->ty == Ty::kNum) ty = Ty::kDate;
      else if (plus && a->ty == Ty::kNum && b->ty == Ty::kDate) ty = Ty::kDate;
      else if (!plus && a->ty == Ty::kDate && b->ty == Ty::kDate) ty = Ty::kNum;
      else
        return FailN(at, "cannot " + std::string(plus ? "add " : "subtract ") + std::string(TyName(b->ty)) +
                             (plus ? " to " : " from ") + std::string(TyName(a->ty)));
      a = Binary(plus ? Op::kAdd : Op::kSub, ty, std::move(a), std::move(b));
    }
    return a;
  }
  NodeP ParseMul() {
    NodeP a = ParseUnary();
    while (a && (IsOp("*") || IsOp("/"))) {
      bool mul = Peek().text == "*";
      size_t at = Next().offset;
      const size_t divisor_at = Peek().offset;
      NodeP b = ParseUnary();
      if (!b) return nullptr;
      if (a->ty != Ty::kNum || b->ty != Ty::kNum)
        return FailN(at, "'" + std::string(mul ? "*" : "/") + "' needs numbers");
      // A divisor that is 0 whatever the data (a literal, a parameter, or
      // arithmetic of them) would make every such value unknown.
      double divisor = 1;
      if (!mul && Constant(*b, divisor) && divisor == 0) {
        auto p = parameter_of_.find(b.get());
        return FailN(divisor_at, p != parameter_of_.end()
                                     ? "division by zero: parameter '" + std::string(p->second) + "' is 0"
                                     : std::string("division by zero: the divisor is always 0"));
      }
      a = Binary(mul ? Op::kMul : Op::kDiv, Ty::kNum, std::move(a), std::move(b));
    }
    return a;
  }
  NodeP ParseUnary() {
    if (IsOp("-")) {
      Nesting nest(*this);
      if (nest.too_deep()) return FailN(Peek().offset, TooDeep());
      size_t at = Next().offset;
      NodeP a = ParseUnary();
      if (!a) return nullptr;
      if (a->ty != Ty::kNum) return FailN(at, "'-' needs a number");
      return Unary(Op::kNeg, Ty::kNum, std::move(a));
    }
    return ParsePrimary();
  }

  NodeP ParsePrimary() {
    const Token& t = Next();
    switch (t.kind) {
      case Tok::kNumber: {
        NodeP n = Make(Op::kConst, Ty::kNum);
        n->num = t.number;
        return n;
      }
      case Tok::kString: {
        NodeP n = Make(Op::kConst, Ty::kStr);
        literal_text_[n.get()] = t.text;
        literal_offset_[n.get()] = t.offset;
        return n;
      }
      case Tok::kOp:
        if (t.text == "(") {
          NodeP n = ParseOr();
          if (!n || !Expect(")")) return nullptr;
          return n;
        }
        return FailN(t.offset, "unexpected '" + std::string(t.text) + "'");
      case Tok::kEnd: return FailN(t.offset, "unexpected end of expression");
      case Tok::kBad: return nullptr;
      case Tok::kIdent: break;
    }
    if (t.text == "null") return Make(Op::kConst, Ty::kNull);
    if (t.text == "and" || t.text == "or" || t.text == "in" || t.text == "is") {
      // "a and and b", "and b", "x = or": the keyword stands where a value
      // should be, so something is missing (or doubled) before it.
      const size_t i = pos_ >= 2 ? pos_ - 2 : 0;
      const std::string before = pos_ >= 2 ? " after '" + std::string(toks_[i].text) + "'" : "";
      return FailN(t.offset, "expected a condition or value" + before + ", got the keyword '" +
                                 std::string(t.text) + "' (is something missing or written twice?)");
    }
    if (IsOp("(")) return ParseCall(t);
    return ParseName(t);
  }

  // outer.x, person.x, period_start, a parameter, a let, field, ref.field.
  NodeP ParseName(const Token& first) {
    int d = depth();
    Token t = first;
    while (t.text == "outer") {
      if (!Expect(".")) return nullptr;
      if (d == 0) return FailN(t.offset, "'outer' used where there is no enclosing record");
      --d;
      t = Next();
      if (t.kind != Tok::kIdent) return FailN(t.offset, "expected a field name after 'outer.'");
    }
    if (d == depth()) {
      if (t.text == "period_start") return Make(Op::kPeriodStart, Ty::kDate);
      if (t.text == "period_end") return Make(Op::kPeriodEnd, Ty::kDate);
      if (t.text == "person") {
        if (!Expect(".")) return nullptr;
        const Token& f = Next();
        return FieldNode(TableId::kPeople, f, 0, Op::kPersonField);
      }
      if (auto it = env_.parameters.find(t.text); it != env_.parameters.end()) {
        NodeP n = Make(Op::kConst, Ty::kNum);
        n->num = it->second;
        parameter_of_[n.get()] = it->first;
        return n;
      }
      for (size_t i = 0; i < env_.lets.size(); ++i)
        if (env_.lets[i] == t.text) {
          NodeP n = Make(Op::kLet, Ty::kNum);
          n->num = static_cast<double>(i);
          n->ty = i < env_.let_is_date.size() && env_.let_is_date[i] ? Ty::kDate : Ty::kNum;
          // Evaluating the let walks its own tree from here.
          n->height = 1 + (i < env_.let_heights.size() ? env_.let_heights[i] : 0);
          return Done(std::move(n));
        }
    }
    NodeP n = FieldNode(scopes_[d], t, d, Op::kField);
    if (!n) return nullptr;
    if (IsOp(".")) {
      const FieldSpec& spec = Table(scopes_[d]).fields[n->field];
      size_t at = Next().offset;
      if (spec.type != FieldType::kRef)
        return FailN(at, "'" + std::string(spec.name) + "' is not a reference, so it has no fields");
      if (spec.ref != TableId::kRequests && spec.ref != TableId::kServices)
        return FailN(at, "cannot follow '" + std::string(spec.name) + "' (only request_id and service_id lead to a record)");
      const Token& f = Next();
      NodeP target = FieldNode(spec.ref, f, d, Op::kRefField);
      if (!target) return nullptr;
      target->table2 = spec.ref;
      target->field2 = target->field;
      target->table = scopes_[d];
      target->field = n->field;
      return target;
    }
    return n;
  }

  NodeP FieldNode(TableId table, const Token& t, int d, Op op) {
    const TableSpec& spec = Table(table);
    int f = t.kind == Tok::kIdent ? spec.FieldIndex(t.text) : -1;
    if (f < 0) {
      std::vector<std::string_view> cands;
      for (const FieldSpec& fs : spec.fields) cands.push_back(fs.name);
      if (op == Op::kField && d == depth()) {
        cands.push_back("period_start");
        cands.push_back("period_end");
        for (const auto& [k, v] : env_.parameters) cands.push_back(k);
        for (const auto& l : env_.lets) cands.push_back(l);
      }
      std::string hint = ClosestName(t.text, cands);
      std::string msg = "unknown field '" + std::string(t.text) + "' in table " + std::string(spec.name);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      return FailN(t.offset, msg);
    }
    const FieldSpec& fs = spec.fields[f];
    // A record's own id refers to the record itself (compared with = and !=,
    // as in episode_id != outer.episode_id), where it alone identifies one.
    if (fs.type == FieldType::kId && op == Op::kField && spec.key.size() == 1) {
      NodeP n = Make(Op::kRowId, Ty::kRecord);
      n->table = table, n->field = f, n->depth = d, n->record = table;
      return n;
    }
    if (fs.type == FieldType::kId || fs.type == FieldType::kCodeSet || fs.type == FieldType::kTimestamp)
      return FailN(t.offset, "field '" + std::string(fs.name) + "' (" + std::string(FieldTypeName(fs.type)) +
                                 ") cannot be used in conditions");
    NodeP n = Make(op, TyOfField(fs.type));
    n->table = table;
    n->field = f;
    n->depth = d;
    n->codes = fs.codes;
    if (fs.type == FieldType::kRef) n->record = fs.ref;
    return n;
  }

  // Reads "(" already peeked; returns the arguments' start offsets too.
  NodeP ParseCall(const Token& name) {
    Next();  // (
    std::string_view fn = name.text;
    // An unknown name is reported before its arguments are read, which
    // would otherwise fail first (median(reviews, ...) is no field 'reviews').
    const std::vector<std::string_view>& names = FunctionNames();
    if (std::find(names.begin(), names.end(), fn) == names.end()) {
      std::string hint = ClosestName(fn, names);
      std::string all;
      for (std::string_view f : names) all += (all.empty() ? "" : ", ") + std::string(f);
      return FailN(name.offset, "unknown function '" + std::string(fn) + "'" +
                                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                    "; the functions are: " + all);
    }
    auto arg_count_error = [&](std::string_view usage) {
      return FailN(name.offset, "wrong arguments to " + std::string(fn) + "(): expected " + std::string(usage));
    };
    // A group is named in quotes: has_group(bme) is no field 'bme'.
    if (fn == "has_group" && (Peek().kind != Tok::kString || Peek(1).kind != Tok::kOp || Peek(1).text != ")"))
      return arg_count_error("has_group('bme')");
    if (fn == "exists" || fn == "count" || fn == "sum" || fn == "max" || fn == "min" || fn == "latest" ||
        fn == "first" || fn == "median" || fn == "percentile") {
      const Token& tt = Next();
      const TableSpec* spec = tt.kind == Tok::kIdent ? FindTable(tt.text) : nullptr;
      if (!spec) {
        std::vector<std::string_view> cands;
        for (const TableSpec& ts : AllTables()) cands.push_back(ts.name);
        std::string hint = ClosestName(tt.text, cands);
        return FailN(tt.offset, "unknown table '" + std::string(tt.text) + "'" +
                                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      if (spec->person_field < 0 || spec->id == TableId::kPeople)
        return FailN(tt.offset, "table " + std::string(spec->name) + " is not on a person's timeline");
      bool has_value = fn != "exists" && fn != "count";
      Op op = fn == "exists" ? Op::kExists : fn == "count" ? Op::kCount : fn == "sum" ? Op::kSum
              : fn == "max" ? Op::kMax : fn == "min" ? Op::kMin : fn == "latest" ? Op::kLatest
              : fn == "first" ? Op::kFirst : fn == "median" ? Op::kMedian : Op::kPercentile;
      return ParseScan(op, spec->id, has_value, fn, depth() + 1);
    }
    if (fn == "week_count" || fn == "week_sum") {
      const TableSpec& spec = Table(scope());
      if (spec.date_field < 0 || spec.person_field < 0 || scope() == TableId::kPeople)
        return FailN(name.offset, std::string(fn) + "() needs a record on a person's timeline");
      return ParseScan(fn == "week_count" ? Op::kWeekCount : Op::kWeekSum, scope(), fn == "week_sum", fn,
                       depth() + 1, /*table_given=*/false);
    }
    std::vector<NodeP> args;
    std::vector<size_t> offsets;
    if (!IsOp(")")) {
      while (true) {
        offsets.push_back(Peek().offset);
        NodeP a = ParseOr();
        if (!a) return nullptr;
        args.push_back(std::move(a));
        if (IsOp(",")) { Next(); continue; }
        break;
      }
    }
    if (!Expect(")")) return nullptr;
    auto want = [&](size_t i, Ty ty, std::string_view what) {
      if (args[i]->ty == ty) return true;
      if (ty == Ty::kText && args[i]->ty == Ty::kStr) return true;
      return Fail(offsets[i], std::string(fn) + "() argument " + std::to_string(i + 1) + " must be " +
                                  std::string(what) + ", got a " + std::string(TyName(args[i]->ty)));
    };
    if (fn == "active_at" || fn == "active_in") {
      size_t n_args = fn == "active_at" ? 1 : 2;
      if (args.size() != n_args) return arg_count_error(fn == "active_at" ? "active_at(date)" : "active_in(start, end)");
      for (size_t i = 0; i < n_args; ++i)
        if (!want(i, Ty::kDate, "a date")) return nullptr;
      const Interval* iv = nullptr;
      for (const Interval& x : kIntervals)
        if (x.table == scope()) iv = &x;
      if (!iv)
        return FailN(name.offset, std::string(fn) + "() needs a record with start and end dates; table " +
                                      std::string(Table(scope()).name) + " has none");
      NodeP n = Make(fn == "active_at" ? Op::kActiveAt : Op::kActiveIn, Ty::kBool);
      n->table = scope();
      n->depth = depth();
      n->field = Table(scope()).FieldIndex(iv->start);
      n->field2 = Table(scope()).FieldIndex(iv->end);
      for (NodeP& a : args) n->kids.push_back(std::move(a));
      return Done(std::move(n));
    }
    if (fn == "age_at" || fn == "week_start") {
      if (args.size() != 1) return arg_count_error(std::string(fn) + "(date)");
      if (!want(0, Ty::kDate, "a date")) return nullptr;
      return Unary(fn == "age_at" ? Op::kAgeAt : Op::kWeekStart, fn == "age_at" ? Ty::kNum : Ty::kDate,
                   std::move(args[0]));
    }
    if (fn == "age_low") {
      if (args.size() != 1) return arg_count_error("age_low(text)");
      if (!want(0, Ty::kText, "text")) return nullptr;
      return Unary(Op::kAgeLow, Ty::kNum, std::move(args[0]));
    }
    if (fn == "answer") {
      if (args.size() != 1 || args[0]->ty != Ty::kStr) return arg_count_error("answer('item')");
      if (scope() != TableId::kSurveyResponses)
        return FailN(name.offset, "answer() is used on a survey_responses record");
      NodeP n = Make(Op::kAnswer, Ty::kNum);
      n->depth = depth();
      n->num = TextSlot(literal_text_[args[0].get()]);
      return n;
    }
    if (fn == "between") {
      if (args.size() != 3) return arg_count_error("between(value, low, high)");
      for (int i = 1; i < 3; ++i)
        if (!Unify(args[0], args[i], offsets[i])) return nullptr;
      if (args[0]->ty != Ty::kNum && args[0]->ty != Ty::kDate) return arg_count_error("numbers or dates");
      NodeP n = Make(Op::kBetween, Ty::kBool);
      for (NodeP& a : args) n->kids.push_back(std::move(a));
      return Done(std::move(n));
    }
    if (fn == "days_before" || fn == "days_after" || fn == "months_before" || fn == "months_after") {
      const bool days = fn.starts_with("days");
      if (args.size() != 2) return arg_count_error(std::string(fn) + "(date, n)");
      if (!want(0, Ty::kDate, "a date") || !want(1, Ty::kNum, days ? "a number of days" : "a number of months"))
        return nullptr;
      const Op op = fn == "days_before" ? Op::kDaysBefore : fn == "days_after" ? Op::kDaysAfter
                    : fn == "months_before" ? Op::kMonthsBefore : Op::kMonthsAfter;
      return Binary(op, Ty::kRange, std::move(args[0]), std::move(args[1]));
    }
    if (fn == "add_months") {
      if (args.size() != 2) return arg_count_error("add_months(date, n)");
      if (!want(0, Ty::kDate, "a date") || !want(1, Ty::kNum, "a number of months")) return nullptr;
      return Binary(Op::kAddMonths, Ty::kDate, std::move(args[0]), std::move(args[1]));
    }
    if (fn == "has_group") {
      // A flag of the person's people.csv groups (bme, lgbt, ...).
      if (args.size() != 1 || args[0]->ty != Ty::kStr) return arg_count_error("has_group('bme')");
      const TableSpec& people = Table(TableId::kPeople);
      const int f = people.FieldIndex("groups");
      const std::span<const std::string_view> codes = people.fields[f].codes;
      const std::string_view g = literal_text_[args[0].get()];
      for (size_t i = 0; i < codes.size(); ++i)
        if (codes[i] == g) {
          NodeP n = Make(Op::kHasGroup, Ty::kBool);
          n->table = TableId::kPeople, n->field = f, n->num = static_cast<double>(i);
          return n;
        }
      std::vector<std::string_view> cands(codes.begin(), codes.end());
      const std::string hint = ClosestName(g, cands);
      std::string all;
      for (std::string_view c : codes) all += (all.empty() ? "" : ", ") + std::string(c);
      return FailN(offsets[0], "unknown group '" + std::string(g) + "'" +
                                   (hint.empty() ? " (expected one of: " + all + ")" : " (did you mean '" + hint + "'?)"));
    }
    return FailN(name.offset, "function '" + std::string(fn) + "' is not handled");  // FunctionNames() and this list agree
  }

  // exists(table, cond) and kin; the table name was consumed (or is implied).
  NodeP ParseScan(Op op, TableId table, bool has_value, std::string_view fn, int scan_depth,
                  bool table_given = true) {
    // EvalContext::rows holds one record per scope (kMaxScopes): the case's,
    // the numerator's and those of the scans within.
    if (scan_depth > kMaxScanDepth) return FailN(Here(), "conditions nest at most 6 deep");
    scopes_.push_back(table);
    NodeP n = Make(op, op == Op::kExists ? Ty::kBool : Ty::kNum);
    n->table = table;
    n->depth = scan_depth;
    NodeP cond, value;
    bool need_comma = table_given;
    if (has_value) {
      if (need_comma && !Expect(",")) return PopNull();
      size_t at = Peek().offset;
      value = ParseAdd();
      if (!value) return PopNull();
      const bool pick = op == Op::kLatest || op == Op::kFirst;  // reads one record's value, of any kind
      const bool numbers_only = op == Op::kMedian || op == Op::kPercentile;
      if (pick ? (value->ty == Ty::kBool || value->ty == Ty::kStr || value->ty == Ty::kNull || value->ty == Ty::kRange)
               : numbers_only ? value->ty != Ty::kNum : value->ty != Ty::kNum && value->ty != Ty::kDate)
        return PopFail(at, std::string(fn) + "() " +
                               (pick ? "reads a field or value of the record" : numbers_only ? "takes numbers" :
                                "sums or compares numbers or dates") +
                               ", got a " + std::string(TyName(value->ty)));
      if (op == Op::kMax || op == Op::kMin || pick)
        n->ty = value->ty, n->codes = value->codes, n->record = value->record;
      need_comma = true;
      if (op == Op::kPercentile) {
        // percentile(table, value, p, condition): p a constant from 0 to 100.
        if (!Expect(",")) return PopNull();
        const size_t p_at = Peek().offset;
        NodeP p = ParseAdd();
        if (!p) return PopNull();
        double pv = -1;
        if (!Constant(*p, pv) || !(pv >= 0 && pv <= 100))
          return PopFail(p_at, "percentile() takes a number from 0 to 100 (a constant or parameter) after the value");
        n->num = pv;
      }
    }
    if (need_comma ? IsOp(",") : !IsOp(")")) {
      if (need_comma) Next();
      size_t at = Peek().offset;
      cond = ParseOr();
      if (!cond) return PopNull();
      if (cond->ty != Ty::kBool) return PopFail(at, std::string(fn) + "() takes a condition, got a " + std::string(TyName(cond->ty)));
    }
    NodeP order;
    if ((op == Op::kLatest || op == Op::kFirst) && cond && IsOp(",")) {
      // latest(table, value, condition, date): ordered by that date of the
      // record instead of the table's timeline date.
      Next();
      const size_t at = Peek().offset;
      order = ParseAdd();
      if (!order) return PopNull();
      if (order->ty != Ty::kDate)
        return PopFail(at, std::string(fn) + "() orders records by a date, got a " + std::string(TyName(order->ty)));
    }
    if (!Expect(")")) return PopNull();
    scopes_.pop_back();
    n->kids.push_back(std::move(cond));
    n->kids.push_back(std::move(value));
    if (order) n->kids.push_back(std::move(order));
    return Done(std::move(n));
  }
  NodeP PopNull() {
    scopes_.pop_back();
    return nullptr;
  }
  NodeP PopFail(size_t at, std::string msg) {
    scopes_.pop_back();
    return FailN(at, std::move(msg));
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::vector<TableId> scopes_;
  CompileEnv& env_;
  ExprError& err_;
  bool failed_ = false;
  int nesting_ = 0;
  std::map<const Node*, std::string_view> parameter_of_;  // constants that are parameters
  std::map<const Node*, std::string_view> literal_text_;
  std::map<const Node*, size_t> literal_offset_;
};

namespace {

// Whether n can be evaluated without the record at depth d (or deeper).
bool Independent(const Node* n, int d) {
  if (!n) return true;
  switch (n->op) {
    case Op::kField:
    case Op::kRefField:
    case Op::kRowId:
    case Op::kActiveAt:
    case Op::kActiveIn:
    case Op::kAnswer:
      if (n->depth >= d) return false;
      break;
    case Op::kLet:
      if (d == 0) return false;
      break;
    case Op::kExists: case Op::kCount: case Op::kSum: case Op::kMax: case Op::kMin:
    case Op::kWeekCount: case Op::kWeekSum: case Op::kLatest: case Op::kFirst: case Op::kMedian:
    case Op::kPercentile:
      return false;  // conservative: a nested scan may read outer records
    default: break;
  }
  for (const auto& k : n->kids)
    if (!Independent(k.get(), d)) return false;
  return true;
}

bool IsTimelineField(const Node* n, int d, TableId table) {
  return n && n->op == Op::kField && n->depth == d && n->table == table &&
         n->field == Table(table).date_field;
}

void CollectBounds(const Node* c, int d, TableId table, std::vector<DateBound>& out) {
  if (!c) return;
  if (c->op == Op::kAnd) {
    CollectBounds(c->kids[0].get(), d, table, out);
    CollectBounds(c->kids[1].get(), d, table, out);
    return;
  }
  auto cmp = [&](const Node* f, const Node* v, Op op, bool flipped) {
    if (!IsTimelineField(f, d, table) || !Independent(v, d)) return;
    if (flipped) {  // v op f  ==  f op' v
      op = op == Op::kLt ? Op::kGt : op == Op::kLe ? Op::kGe : op == Op::kGt ? Op::kLt : op == Op::kGe ? Op::kLe : op;
    }
    switch (op) {
      case Op::kEq: out.push_back({DateBound::kLow, v, 0}); out.push_back({DateBound::kHigh, v, 0}); break;
      case Op::kGe: out.push_back({DateBound::kLow, v, 0}); break;
      case Op::kGt: out.push_back({DateBound::kLow, v, 1}); break;
      case Op::kLe: out.push_back({DateBound::kHigh, v, 0}); break;
      case Op::kLt: out.push_back({DateBound::kHigh, v, -1}); break;
      default: break;
    }
  };
  switch (c->op) {
    case Op::kEq: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
      if (c->kids[0]->ty != Ty::kDate) return;
      cmp(c->kids[0].get(), c->kids[1].get(), c->op, false);
      cmp(c->kids[1].get(), c->kids[0].get(), c->op, true);
      break;
    case Op::kInRange:
      if (IsTimelineField(c->kids[0].get(), d, table) && Independent(c->kids[1].get(), d))
        out.push_back({DateBound::kRange, c->kids[1].get(), 0});
      break;
    case Op::kBetween:
      if (IsTimelineField(c->kids[0].get(), d, table) && Independent(c->kids[1].get(), d) &&
          Independent(c->kids[2].get(), d)) {
        out.push_back({DateBound::kLow, c->kids[1].get(), 0});
        out.push_back({DateBound::kHigh, c->kids[2].get(), 0});
      }
      break;
    case Op::kActiveAt:
      // Active at a date means started on or before it.
      if (c->depth == d && c->table == table && c->field == Table(table).date_field &&
          Independent(c->kids[0].get(), d))
        out.push_back({DateBound::kHigh, c->kids[0].get(), 0});
      break;
    default: break;
  }
}

void AttachBounds(Node* n) {
  if (!n) return;
  for (auto& k : n->kids) AttachBounds(k.get());
  switch (n->op) {
    case Op::kExists: case Op::kCount: case Op::kSum: case Op::kMax: case Op::kMin:
    case Op::kLatest: case Op::kFirst: case Op::kMedian: case Op::kPercentile:
      CollectBounds(n->kids[0].get(), n->depth, n->table, n->bounds);
      break;
    default: break;
  }
}

}  // namespace

bool TryCompile(std::string_view text, const std::vector<TableId>& outer_scopes, TableId scope, bool want_bool,
                CompileEnv& env, Expr& out, ExprError& err) {
  bool ok = false;
  std::vector<Token> toks = Lex(text, err, ok);
  if (!ok) return false;
  std::vector<TableId> scopes = outer_scopes;
  scopes.push_back(scope);
  std::vector<std::string> scratch;
  if (!env.text_literals) env.text_literals = &scratch;
  Compiler c(std::move(toks), std::move(scopes), env, err);
  bool result = c.Run(want_bool, out);
  if (env.text_literals == &scratch) env.text_literals = nullptr;
  if (!result) return false;
  AttachBounds(out.root_.get());
  out.scan_bounds_.clear();
  if (want_bool && Table(scope).date_field >= 0)
    CollectBounds(out.root(), static_cast<int>(outer_scopes.size()), scope, out.scan_bounds_);
  return true;
}

}  // namespace goldthread::indicators
