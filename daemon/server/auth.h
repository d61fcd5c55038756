// Authentication and authorisation for the API and the console.
//
// Users come from the configuration (name, role, token/password). Requests
// authenticate with `Authorization: Bearer <token>` (API clients) or with a
// session cookie from POST /api/v1/login (the console). Cookie sessions must
// send the session's CSRF token in `X-CSRF-Token` on every state-changing
// request. Roles: viewer < operator (sync, refresh, rollback, release) <
// admin. Anonymous requests get `anonymous_role` (none or viewer).
// Tokens are compared as SHA-256 digests in constant time and never logged.
// Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gitopsd::server {

enum class Role { kNone = 0, kViewer = 1, kOperator = 2, kAdmin = 3 };

std::string_view RoleName(Role r);
Result<Role> ParseRole(std::string_view name);

struct User {
  std::string name;
  Role role = Role::kViewer;
  std::string secret;  // token or password (plain; only its digest is kept)
};

struct Principal {
  std::string user;   // "" for anonymous
  Role role = Role::kNone;
  bool via_cookie = false;
  std::string csrf_token;  // for cookie sessions
  std::string session_id;
};

struct AuthOptions {
  Role anonymous_role = Role::kViewer;
  std::chrono::seconds session_ttl{12 * 3600};
  size_t max_sessions = 10000;
};

class Authenticator {
 public:
  Authenticator(std::vector<User> users, AuthOptions options);

  // Who sends a request with these headers (lower-case names). A wrong bearer
  // token or unknown cookie is Unauthenticated (not anonymous).
  Result<Principal> Authenticate(const std::string& authorization,
                                 const std::string& cookie_header);

  // Checks user + token/password; on success opens a session.
  Result<Principal> Login(const std::string& user, const std::string& secret);
  void Logout(const std::string& session_id);

  // Replaces the users (configuration reload); sessions of removed users end,
  // sessions of remaining users take their new role.
  void SetUsers(std::vector<User> users, AuthOptions options);

  Role anonymous_role() const;

  static constexpr const char* kCookieName = "gitopsd_session";

 private:
  struct Session {
    std::string user;
    std::string csrf;
    std::chrono::steady_clock::time_point expires;
  };
  struct Stored {
    std::string name;
    Role role;
    std::string digest;  // hex sha256 of the secret
  };
  std::optional<Stored> FindBySecretLocked(const std::string& secret) const;
  void ExpireLocked();

  mutable std::mutex mu_;
  std::vector<Stored> users_;
  AuthOptions options_;
  std::map<std::string, Session> sessions_;
};

// Hex SHA-256.
std::string Sha256Hex(std::string_view data);
// n random bytes from OpenSSL's CSPRNG, hex-encoded.
std::string RandomHex(size_t n);

}  // namespace gitopsd::server
