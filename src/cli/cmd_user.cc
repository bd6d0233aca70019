// goldthread user add|list|disable|enable|password STORE ...: the
// dashboard's local users (shared/DESIGN.md sections 8 and 10). `user add`
// reads the password from standard input, or generates one and prints it
// once; the rules (names, roles, org units, strength, argon2id) are
// server/user_admin.h's.

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <ctime>
#include <iostream>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "server/crypto.h"
#include "server/password.h"
#include "server/user_admin.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

Timestamp Now() { return static_cast<Timestamp>(std::time(nullptr)); }

// One line from the terminal with echo off.
// One line of standard input without its end, at most kMaxPasswordLength + 2
// bytes (a CR before the LF, and one more, so that a longer line is refused
// as too long): input that never ends a line (/dev/zero) cannot fill memory.
std::string ReadLine() {
  constexpr size_t kMax = server::kMaxPasswordLength + 2;
  std::string line;
  for (int c = 0; line.size() < kMax && (c = std::cin.get()) != EOF && c != '\n';)
    line.push_back(static_cast<char>(c));
  return line;
}

std::string ReadHidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line = ReadLine();
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  return line;
}

// The password a user types or pipes in; "" means "generate one".
// Returns false (with a message printed) if two typed entries differ.
bool ReadPassword(const std::string& command, const std::string& name, std::string& out) {
  if (isatty(STDIN_FILENO)) {
    out = ReadHidden(fmt::format("password for {} (Enter alone: generate one): ", name).c_str());
    if (out.empty()) return true;
    if (ReadHidden("the same password again: ") != out) {
      std::cerr << "goldthread " << command << ": the two passwords differ; nothing was changed\n";
      return false;
    }
    return true;
  }
  out = ReadLine();
  if (!out.empty() && out.back() == '\r') out.pop_back();  // a file written on Windows
  return true;
}

struct StoreOrExit {
  std::unique_ptr<Store> store;
  int exit = -1;
};

// Waits for an import as every store command does (--wait; exit 75 when
// still busy: cli_store.h).
StoreOrExit Open(const std::string& command, const std::string& path, const StoreFlags& flags) {
  Result<std::unique_ptr<Store>> store = OpenStoreFor(command, path, OpenMode::kMustExist, flags);
  if (!store.ok()) return {nullptr, Fail(command, store.status())};
  return {std::move(*store), -1};
}

int UserAdd(const Args& args) {
  CLI::App app{
      "Add a dashboard user. The password is read from standard input (typed twice, hidden, at a "
      "terminal); with none given, one is generated and printed once.",
      "user add"};
  std::string store_path;
  server::NewUser user;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store")->required();
  AddStoreFlags(app, store_flags);
  app.add_option("NAME", user.name, "the sign-in name")->required();
  app.add_option("--role", user.role, "admin, analyst, manager or viewer")->required();
  app.add_option("--org-unit", user.org_unit,
                 "the user's org unit (a manager sees the cases of its subtree)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  StoreOrExit s = Open("user add", store_path, store_flags);
  if (s.exit >= 0) return s.exit;
  if (!ReadPassword("user add", user.name, user.password)) return kExitBadInput;
  const bool generated = user.password.empty();
  if (generated) user.password = server::GeneratePassword();
  if (Status st = server::AddUser(*s.store, user, Now()); !st.ok()) return Fail("user add", st);
  std::cout << "added " << user.role << " '" << user.name << "'"
            << (user.org_unit.empty() ? "" : " of org unit " + user.org_unit) << "\n";
  if (generated)
    std::cout << "password: " << user.password
              << "\n(shown this once: goldthread keeps only its argon2id hash)\n";
  return kExitOk;
}

std::string StateOf(const UserRecord& u, Timestamp now) {
  if (u.disabled) return "disabled";
  if (u.locked_until != kNullTimestamp && u.locked_until > now)
    return "locked until " + FormatTimestamp(u.locked_until);
  return "active";
}

int UserList(const Args& args) {
  CLI::App app{"List the dashboard's users.", "user list"};
  std::string store_path;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store")->required();
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  StoreOrExit s = Open("user list", store_path, store_flags);
  if (s.exit >= 0) return s.exit;
  Result<std::vector<UserRecord>> users = s.store->ListUsers();
  if (!users.ok()) return Fail("user list", users.status());
  if (users->empty()) {
    std::cout << "no users yet: add one with 'goldthread user add " << store_path << " NAME --role admin'\n";
    return kExitOk;
  }
  const Timestamp now = Now();
  std::cout << fmt::format("{:<20} {:<8} {:<10} {:<32} {}\n", "name", "role", "org unit", "status",
                           "last sign-in");
  for (const UserRecord& u : *users)
    std::cout << fmt::format("{:<20} {:<8} {:<10} {:<32} {}\n", u.name, u.role,
                             u.org_unit.empty() ? "-" : u.org_unit, StateOf(u, now),
                             u.last_sign_in == kNullTimestamp ? "never" : FormatTimestamp(u.last_sign_in));
  return kExitOk;
}

// disable, enable and password share their shape: STORE NAME.
int UserChange(const Args& args, const std::string& verb) {
  const std::string command = "user " + verb;
  const char* what = verb == "disable" ? "Disable a dashboard user and end its sessions."
                     : verb == "enable"
                         ? "Enable a dashboard user again and lift any lock-out."
                         : "Set a new password (from standard input, or generated and printed once); "
                           "lifts any lock-out and ends the user's sessions.";
  CLI::App app{what, command};
  std::string store_path, name;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store")->required();
  AddStoreFlags(app, store_flags);
  app.add_option("NAME", name, "the user")->required();
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  StoreOrExit s = Open(command, store_path, store_flags);
  if (s.exit >= 0) return s.exit;
  if (verb == "disable") {
    if (Status st = server::DisableUser(*s.store, name); !st.ok()) return Fail(command, st);
    std::cout << "disabled '" << name << "'; its sessions have ended\n";
  } else if (verb == "enable") {
    if (Status st = server::EnableUser(*s.store, name); !st.ok()) return Fail(command, st);
    std::cout << "enabled '" << name << "'\n";
  } else {
    std::string password;
    if (!ReadPassword(command, name, password)) return kExitBadInput;
    const bool generated = password.empty();
    if (generated) password = server::GeneratePassword();
    if (Status st = server::SetPassword(*s.store, name, password); !st.ok()) return Fail(command, st);
    std::cout << "new password set for '" << name << "'; its sessions have ended\n";
    if (generated)
      std::cout << "password: " << password
                << "\n(shown this once: goldthread keeps only its argon2id hash)\n";
  }
  return kExitOk;
}

constexpr const char* kUsage =
    "usage: goldthread user add STORE NAME --role admin|analyst|manager|viewer [--org-unit ID]\n"
    "       goldthread user list STORE\n"
    "       goldthread user disable STORE NAME\n"
    "       goldthread user enable STORE NAME\n"
    "       goldthread user password STORE NAME\n";

}  // namespace

int CmdUser(const Args& args) {
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string& verb = args[0];
  if (verb == "--help" || verb == "-h" || verb == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!server::InitCrypto().ok()) {
    std::cerr << "goldthread user: libsodium could not be initialised\n";
    return kExitBadInput;
  }
  Args rest(args.begin() + 1, args.end());
  if (verb == "add") return UserAdd(rest);
  if (verb == "list") return UserList(rest);
  if (verb == "disable" || verb == "enable" || verb == "password") return UserChange(rest, verb);
  std::cerr << "goldthread user: unknown action '" << verb
            << "' (expected add, list, disable, enable or password)\n"
            << kUsage;
  return kExitUsage;
}

}  // namespace goldthread::cli
