#pragma once
// Managing dashboard users in a store: what `goldthread user` does, with the
// checks a command line cannot skip (valid name and role, an org unit that
// exists, a strong enough password). The CLI parses; this decides.

#include <string>
#include <string_view>

#include "core/status.h"
#include "server/password.h"
#include "store/store.h"

namespace goldthread::server {

struct NewUser {
  std::string name;
  std::string role;      // text as typed: checked here
  std::string org_unit;  // required for a manager; must be in the store's org units
  std::string password;  // checked by CheckPasswordStrength
};

/// Adds the user, hashing the password with params. Errors (kInvalidArgument
/// unless said otherwise): a bad name (CheckUserName's words), "unknown role
/// 'x' (expected admin, analyst, manager or viewer)", "a manager needs
/// --org-unit (the team or service whose cases it may see)", "org unit 'X'
/// is not in the store", a weak password, kAlreadyExists for a taken name.
Status AddUser(Store& store, const NewUser& user, Timestamp now, const PasswordParams& params = {});

/// Disables the user and ends its sessions at once.
Status DisableUser(Store& store, std::string_view name);

/// Enables the user and lifts any lock-out.
Status EnableUser(Store& store, std::string_view name);

/// Sets a new password (checked for strength), lifts any lock-out and ends
/// the user's sessions.
Status SetPassword(Store& store, std::string_view name, std::string_view password,
                   const PasswordParams& params = {});

}  // namespace goldthread::server
