#include "server/roles.h"

#include <fmt/format.h>

namespace goldthread::server {

namespace {
constexpr std::pair<Role, std::string_view> kRoles[] = {{Role::kAdmin, "admin"},
                                                        {Role::kAnalyst, "analyst"},
                                                        {Role::kManager, "manager"},
                                                        {Role::kViewer, "viewer"}};
}

bool TryParseRole(std::string_view text, Role& out) {
  for (const auto& [role, name] : kRoles)
    if (text == name) {
      out = role;
      return true;
    }
  return false;
}

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles)
    if (r == role) return name;
  return "viewer";  // unreachable: every enumerator is in kRoles
}

std::string_view RoleNames() { return "admin, analyst, manager or viewer"; }

std::string CheckUserName(std::string_view name) {
  if (name.empty()) return "the user name is empty";
  if (name.size() > 64)
    return fmt::format("the user name is {} characters long; at most 64 are allowed", name.size());
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name[0])) return "the user name must start with a letter or a digit";
  for (char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '-' && c != '@')
      return fmt::format("the user name has '{}'; use letters, digits, '.', '_', '-' and '@'",
                         c >= 0x20 && c < 0x7f ? std::string(1, c)
                                               : fmt::format("\\x{:02x}", static_cast<unsigned char>(c)));
  return "";
}

}  // namespace goldthread::server
