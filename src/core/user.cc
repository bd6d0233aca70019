#include "core/user.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace goldthread {

std::string CurrentUser() {
  // $USER may be unset (cron, containers, su without -l); the password
  // database still knows the account.
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "";
}

}  // namespace goldthread
