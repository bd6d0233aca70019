#include "server/user_admin.h"

#include <fmt/format.h>

#include "server/roles.h"

namespace goldthread::server {

Status AddUser(Store& store, const NewUser& user, Timestamp now, const PasswordParams& params) {
  if (std::string problem = CheckUserName(user.name); !problem.empty())
    return Status::InvalidArgument(problem);
  Role role;
  if (!TryParseRole(user.role, role))
    return Status::InvalidArgument(fmt::format("unknown role '{}' (expected {})", user.role, RoleNames()));
  if (role == Role::kManager && user.org_unit.empty())
    return Status::InvalidArgument("a manager needs --org-unit (the team or service whose cases it may see)");
  if (!user.org_unit.empty()) {
    Result<bool> known = store.HasRecord(TableId::kOrgUnits, user.org_unit);
    if (!known.ok()) return known.status();
    if (!*known)
      return Status::InvalidArgument(
          fmt::format("org unit '{}' is not in the store (import the org units first)", user.org_unit));
  }
  GT_RETURN_IF_ERROR(CheckPasswordStrength(user.password));
  // A taken name is refused before the (deliberately slow) hash.
  Result<std::optional<UserRecord>> existing = store.FindUser(user.name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value())
    return Status::AlreadyExists(fmt::format("user '{}' already exists", (*existing)->name));
  Result<std::string> hash = HashPassword(user.password, params);
  if (!hash.ok()) return hash.status();
  UserRecord r;
  r.name = user.name;
  r.role = std::string(RoleName(role));
  r.org_unit = user.org_unit;
  r.password_hash = std::move(*hash);
  r.created_at = now;
  Result<int64_t> id = store.AddUser(r);
  return id.ok() ? Status::Ok() : id.status();
}

namespace {
Result<UserRecord> MustFind(Store& store, std::string_view name) {
  Result<std::optional<UserRecord>> u = store.FindUser(name);
  if (!u.ok()) return u.status();
  if (!u->has_value()) return Status::NotFound(fmt::format("no user '{}'", name));
  return std::move(**u);
}
}  // namespace

Status DisableUser(Store& store, std::string_view name) {
  Result<UserRecord> u = MustFind(store, name);
  if (!u.ok()) return u.status();
  GT_RETURN_IF_ERROR(store.SetUserDisabled(name, true));
  return store.DeleteUserSessions(u->id);
}

Status EnableUser(Store& store, std::string_view name) { return store.SetUserDisabled(name, false); }

Status SetPassword(Store& store, std::string_view name, std::string_view password,
                   const PasswordParams& params) {
  Result<UserRecord> u = MustFind(store, name);
  if (!u.ok()) return u.status();
  GT_RETURN_IF_ERROR(CheckPasswordStrength(password));
  Result<std::string> hash = HashPassword(password, params);
  if (!hash.ok()) return hash.status();
  GT_RETURN_IF_ERROR(store.SetUserPassword(name, *hash));
  return store.DeleteUserSessions(u->id);
}

}  // namespace goldthread::server
