#include "indicators/figures_digest.h"

#include <bit>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/sha256.h"
#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

// Fixed-width little-endian fields, so the digest does not depend on the
// machine's byte order or on struct padding.
class Hasher {
 public:
  void U64(uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    h_.Update(b, 8);
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void F64(double v) { U64(std::bit_cast<uint64_t>(v)); }
  void Opt(const std::optional<double>& v) {
    U64(v.has_value() ? 1 : 0);
    if (v) F64(*v);
  }
  void Str(std::string_view s) {
    U64(s.size());
    h_.Update(s);
  }
  std::string Hex() { return h_.HexDigest(); }

 private:
  Sha256 h_;
};

}  // namespace

std::map<std::string, std::string> FiguresDigests(const ComputeResult& result, const Snapshot& snap) {
  std::map<std::string, std::string> out;
  for (const IndicatorResult& ir : result.indicators) {
    Hasher h;
    h.Str(ir.def->id);
    h.I64(ir.def->version);
    h.U64(result.periods.size());
    for (const Period& p : result.periods) h.I64(p.start), h.I64(p.end);
    h.U64(ir.groups.size());
    for (const std::string& g : ir.groups) h.Str(g);
    h.U64(ir.figures.size());
    for (const Figure& f : ir.figures) {
      h.Str(snap.OrgUnitId(f.org_unit));
      h.I64(f.period), h.I64(f.group);
      h.F64(f.numerator);
      h.Opt(f.denominator), h.Opt(f.value), h.Opt(f.ci_low), h.Opt(f.ci_high);
      h.I64(f.claimed);
      h.U64(f.failing.size());
      for (int64_t x : f.failing) h.I64(x);
    }
    out[ir.def->id] = h.Hex();
  }
  return out;
}

std::string FiguresDigestsJson(const ComputeResult& result, const Snapshot& snap) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, hex] : FiguresDigests(result, snap)) j[id] = hex;
  return j.dump();
}

}  // namespace goldthread::indicators
