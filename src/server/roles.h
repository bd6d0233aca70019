#pragma once
// Dashboard roles (shared/DESIGN.md section 8) and what each may see.
//   admin    all data, person-level everywhere; reads the access log
//   analyst  all data, person-level everywhere
//   manager  aggregates everywhere; person-level data of its own org subtree
//   viewer   aggregates only, under disclosure control

#include <string>
#include <string_view>

namespace goldthread::server {

enum class Role { kAdmin, kAnalyst, kManager, kViewer };

bool TryParseRole(std::string_view text, Role& out);
std::string_view RoleName(Role role);
/// "admin, analyst, manager or viewer": for messages.
std::string_view RoleNames();

/// May see the persons behind a figure (somewhere).
inline bool SeesPersonLevel(Role r) { return r != Role::kViewer; }
/// Sees person-level data of every org unit, not only its own subtree.
inline bool SeesEveryUnit(Role r) { return r == Role::kAdmin || r == Role::kAnalyst; }
/// Aggregates shown to this role go through disclosure control.
inline bool NeedsDisclosureControl(Role r) { return r == Role::kViewer; }
/// May read the access log.
inline bool ReadsAccessLog(Role r) { return r == Role::kAdmin; }

/// User names: 1 to 64 of letters, digits, '.', '_', '-' and '@', starting
/// with a letter or digit. Returns "" when valid, else what is wrong.
std::string CheckUserName(std::string_view name);

}  // namespace goldthread::server
