#include "server/auth.h"

#include <fmt/format.h>

#include <chrono>

#include "server/crypto.h"
#include "server/password.h"

namespace goldthread::server {

namespace {
constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // unpadded base64url of 32 bytes
}  // namespace

Auth::Auth(SharedStore& store, const Clock& clock, AuthOptions options)
    : store_(store), clock_(clock), options_(options) {
  // Same parameters as real users' hashes, so an unknown name costs the
  // same time. Should hashing fail (no memory), unknown names are refused
  // all the same: an empty hash matches nothing.
  Result<std::string> dummy = HashPassword(RandomToken(kTokenBytes));
  if (dummy.ok()) dummy_hash_ = std::move(*dummy);
}

std::string Auth::RefusedMessage(const AuthOptions& o) {
  return fmt::format(
      "The name or password is not right, or the account is disabled, or it is locked after {} failed "
      "sign-ins "
      "in a row (it unlocks after {} minutes; an admin can unlock it sooner).",
      o.lock_after, o.lock_seconds / 60);
}

std::optional<bool> Auth::Verify(const std::string& hash, std::string_view password) {
  if (!hashes_.try_acquire_for(std::chrono::milliseconds(options_.hash_wait_ms))) return std::nullopt;
  bool ok = VerifyPassword(hash, password);
  hashes_.release();
  return ok;
}

SignInResult Auth::SignIn(std::string_view name, std::string_view password, std::string_view remote_addr) {
  SignInResult out;
  const Timestamp now = clock_.Now();
  Result<std::optional<UserRecord>> found = store_.Read([&](Store& s) { return s.FindUser(name); });
  if (!found.ok()) {
    out.kind = SignInResult::Kind::kUnavailable;
    out.message = "The dashboard could not read its users just now: " + found.status().message();
    return out;
  }
  const std::optional<UserRecord>& user = *found;
  const bool locked = user && user->locked_until != kNullTimestamp && user->locked_until > now;
  const bool usable = user && !user->disabled && !locked;
  std::optional<bool> match = Verify(usable ? user->password_hash : dummy_hash_, password);
  if (!match) {
    out.kind = SignInResult::Kind::kUnavailable;
    out.message = "Too many people are signing in at once; try again in a moment.";
    return out;
  }
  Role role = Role::kViewer;
  if (usable && *match && TryParseRole(user->role, role)) {
    SessionRecord session;
    std::string token = RandomToken(kTokenBytes);
    session.token_hash = Sha256Hex(token);
    session.user_id = user->id;
    session.csrf_token = RandomToken(kTokenBytes);
    session.created_at = now;
    session.expires_at = now + options_.session_seconds;
    session.last_seen = now;
    session.remote_addr = std::string(remote_addr);
    Status saved = store_.Write([&](Store& s) {
      GT_RETURN_IF_ERROR(s.SaveSession(session));
      GT_RETURN_IF_ERROR(s.RecordSignIn(user->id, now));
      // Sign-ins are rare; they tidy away the sessions that have ended.
      Result<int64_t> removed = s.DeleteExpiredSessions(now);
      return removed.ok() ? Status::Ok() : removed.status();
    });
    if (!saved.ok()) {
      out.kind = SignInResult::Kind::kUnavailable;
      out.message = "The dashboard could not start a session just now: " + saved.message();
      return out;
    }
    out.kind = SignInResult::Kind::kOk;
    out.token = std::move(token);
    out.who.user = *user;
    out.who.user.failed_sign_ins = 0;
    out.who.user.locked_until = kNullTimestamp;
    out.who.user.last_sign_in = now;
    out.who.role = role;
    out.who.session = std::move(session);
    return out;
  }
  out.kind = SignInResult::Kind::kRefused;
  out.message = RefusedMessage(options_);
  if (usable) {
    // A wrong password for an active account counts towards its lock-out.
    Result<int32_t> count = store_.Write([&](Store& s) {
      return s.RecordFailedSignIn(user->id, options_.lock_after, now + options_.lock_seconds);
    });
    out.locked_now = count.ok() && *count == options_.lock_after;
    out.who.user = *user;
  }
  return out;
}

Result<std::optional<SignedIn>> Auth::Authenticate(std::string_view token) {
  // Anything but one of our tokens is not looked up at all.
  if (token.size() != kTokenChars) return std::optional<SignedIn>();
  const std::string hash = Sha256Hex(token);
  std::optional<SessionRecord> session;
  std::optional<UserRecord> user;
  Status read = store_.Read([&](Store& s) {
    Result<std::optional<SessionRecord>> found = s.FindSession(hash);
    if (!found.ok()) return found.status();
    session = std::move(*found);
    if (!session) return Status::Ok();
    Result<std::optional<UserRecord>> u = s.FindUserById(session->user_id);
    if (!u.ok()) return u.status();
    user = std::move(*u);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (!session) return std::optional<SignedIn>();
  const Timestamp now = clock_.Now();
  const bool ended = now >= session->expires_at || now - session->last_seen >= options_.idle_seconds;
  Role role = Role::kViewer;
  if (ended || !user || user->disabled || !TryParseRole(user->role, role)) {
    if (ended) (void)store_.Write([&](Store& s) { return s.DeleteSession(hash); });
    return std::optional<SignedIn>();
  }
  if (now - session->last_seen >= options_.touch_every_seconds) {
    // Best effort and never waiting: a busy store skips the update (the
    // next request tries again), which only shortens the idle allowance.
    store_.TryWrite([&](Store& s) { return s.TouchSession(hash, now); });
    session->last_seen = now;
  }
  return std::optional<SignedIn>(SignedIn{std::move(*user), role, std::move(*session)});
}

Status Auth::SignOut(std::string_view token) {
  if (token.size() != kTokenChars) return Status::Ok();
  const std::string hash = Sha256Hex(token);
  return store_.Write([&](Store& s) { return s.DeleteSession(hash); });
}

}  // namespace goldthread::server
