#pragma once
// Test helper: two snapshots hold the same values, bit for bit: every
// table's rows, every column (doubles compared by their bits), batches,
// person indexes, ids, the string pool, the org tree and as_of.

#include <gtest/gtest.h>

#include <cstring>

#include "model/snapshot.h"

namespace goldthread {

inline void ExpectSameSnapshot(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.batch_ids(), b.batch_ids());
  EXPECT_EQ(a.as_of(), b.as_of());
  EXPECT_EQ(a.dangling_references(), b.dangling_references());
  ASSERT_EQ(a.strings().size(), b.strings().size());
  for (size_t i = 0; i < a.strings().size(); ++i)
    ASSERT_EQ(a.strings().Get(static_cast<int32_t>(i)), b.strings().Get(static_cast<int32_t>(i))) << i;
  for (size_t i = 0; i < a.strings().size(); ++i)
    ASSERT_EQ(b.strings().Find(a.strings().Get(static_cast<int32_t>(i))), static_cast<int32_t>(i));
  ASSERT_EQ(a.org_tree().size(), b.org_tree().size());
  for (int32_t u = 0; u < a.org_tree().size(); ++u) {
    EXPECT_EQ(a.OrgParent(u), b.OrgParent(u));
    EXPECT_EQ(a.org_tree().depth(u), b.org_tree().depth(u));
  }
  for (const TableSpec& spec : AllTables()) {
    const TableData& x = a.table(spec.id);
    const TableData& y = b.table(spec.id);
    ASSERT_EQ(x.rows, y.rows) << spec.name;
    ASSERT_EQ(x.person_start.size(), y.person_start.size()) << spec.name;
    for (int64_t p = 0; p < x.person_start.size(); ++p) ASSERT_EQ(x.person_start[p], y.person_start[p]);
    for (int64_t r = 0; r < x.rows; ++r) ASSERT_EQ(x.batch[r], y.batch[r]) << spec.name << " row " << r;
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      const Column& c = x.columns[f];
      const Column& d = y.columns[f];
      ASSERT_EQ(c.type, d.type);
      EXPECT_EQ(c.i32.encoding(), d.i32.encoding()) << spec.name << "." << spec.fields[f].name;
      EXPECT_EQ(c.f64.scale(), d.f64.scale());
      for (int64_t r = 0; r < x.rows; ++r) {
        const std::string where = std::string(spec.name) + "." + std::string(spec.fields[f].name) + " row " +
                                  std::to_string(r);
        if (c.type == FieldType::kId) {
          ASSERT_EQ(c.ids.Get(r), d.ids.Get(r)) << where;
          ASSERT_EQ(d.ids.Find(c.ids.Get(r)), c.ids.Find(c.ids.Get(r))) << where;
        } else if (c.type == FieldType::kAmount || c.type == FieldType::kScore) {
          double u = c.f64[r], v = d.f64[r];
          ASSERT_EQ(std::memcmp(&u, &v, sizeof u), 0) << where;  // NOLINT(bugprone-suspicious-memory-comparison)
        } else {
          ASSERT_EQ(c.i32[r], d.i32[r]) << where;
        }
      }
    }
  }
}

}  // namespace goldthread
