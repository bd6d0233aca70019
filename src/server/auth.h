#pragma once
// Signing in and out, and recognising a signed-in browser (issue 10,
// shared/DESIGN.md section 8).
//
// - A session is a 32-byte token from the OS CSPRNG, sent as an HttpOnly,
//   SameSite=Strict cookie; the store keeps only its SHA-256. It ends after
//   session_seconds (absolute) or idle_seconds without a request, at sign-out,
//   and when its user is disabled or given a new password.
// - Each session has its own CSRF token (32 random bytes) that every
//   state-changing request must send back (server/http_util.h).
// - After lock_after failed sign-ins in a row a user is locked for
//   lock_seconds; a success, `user enable` or a new password clears it.
// - Every failed sign-in gives the same message and costs the same one
//   argon2id verification (a dummy hash for an unknown, disabled or locked
//   user), so a stranger learns neither which names exist nor which are
//   locked. At most max_parallel_hashes verifications run at once (each
//   takes 64 MiB); others wait up to hash_wait_ms, then get kUnavailable.
//
// Thread-safety: every method may be called from any thread.

#include <cstdint>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/clock.h"
#include "server/roles.h"
#include "server/shared_store.h"

namespace goldthread::server {

struct AuthOptions {
  int64_t session_seconds = 8 * 3600;  // a working day
  int64_t idle_seconds = 30 * 60;
  int32_t lock_after = 5;
  int64_t lock_seconds = 15 * 60;
  int64_t touch_every_seconds = 60;  // how often last_seen is written
  int64_t hash_wait_ms = 10000;
};

/// A browser with a valid session.
struct SignedIn {
  UserRecord user;
  Role role = Role::kViewer;
  SessionRecord session;
};

/// The outcome of a sign-in attempt.
struct SignInResult {
  enum class Kind { kOk, kRefused, kUnavailable } kind = Kind::kRefused;
  std::string token;        // kOk: the cookie's value (never stored)
  SignedIn who;             // kOk
  bool locked_now = false;  // this failure locked the account
  std::string message;      // kRefused, kUnavailable: what the person is told
};

class Auth {
 public:
  /// store and clock must outlive this object.
  Auth(SharedStore& store, const Clock& clock, AuthOptions options);
  Auth(const Auth&) = delete;
  Auth& operator=(const Auth&) = delete;

  /// The message of every refused sign-in.
  static std::string RefusedMessage(const AuthOptions& options);

  SignInResult SignIn(std::string_view name, std::string_view password, std::string_view remote_addr);
  /// The session of a cookie token, or nullopt when it is unknown, expired,
  /// idle too long or its user is disabled (an expired session is deleted).
  /// Errors are the store's.
  Result<std::optional<SignedIn>> Authenticate(std::string_view token);
  /// Ends the session of the token (nothing if none).
  Status SignOut(std::string_view token);

  const AuthOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

 private:
  /// Verifies password against hash within the parallel-hash limit; nullopt
  /// when the limit could not be had in time.
  std::optional<bool> Verify(const std::string& hash, std::string_view password);

  SharedStore& store_;
  const Clock& clock_;
  AuthOptions options_;
  std::string dummy_hash_;  // for unknown users: same cost, never matches
  std::counting_semaphore<2> hashes_{2};
};

}  // namespace goldthread::server
