#include "daemon/server/auth.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "daemon/server/webhook.h"

namespace gitopsd::server {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 0xf]);
  }
  return out;
}

std::string CookieValue(const std::string& header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

}  // namespace

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kNone: return "none";
    case Role::kViewer: return "viewer";
    case Role::kOperator: return "operator";
    case Role::kAdmin: return "admin";
  }
  return "none";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "none") return Role::kNone;
  if (name == "viewer") return Role::kViewer;
  if (name == "operator") return Role::kOperator;
  if (name == "admin") return Role::kAdmin;
  return InvalidArgument("unknown role \"" + std::string(name) +
                         "\" (want none, viewer, operator or admin)");
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return Hex(md, len);
}

std::string RandomHex(size_t n) {
  std::string buf(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), static_cast<int>(n)) != 1) {
    abort();  // no entropy: never hand out predictable session ids
  }
  return Hex(reinterpret_cast<const unsigned char*>(buf.data()), n);
}

Authenticator::Authenticator(std::vector<User> users, AuthOptions options) {
  SetUsers(std::move(users), options);
}

void Authenticator::SetUsers(std::vector<User> users, AuthOptions options) {
  std::lock_guard<std::mutex> lock(mu_);
  users_.clear();
  for (auto& u : users) {
    if (u.secret.empty()) continue;  // a user without a secret can never log in
    users_.push_back({u.name, u.role, Sha256Hex(u.secret)});
  }
  options_ = options;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    bool known = false;
    for (const auto& u : users_) known = known || u.name == it->second.user;
    it = known ? std::next(it) : sessions_.erase(it);
  }
}

Role Authenticator::anonymous_role() const {
  std::lock_guard<std::mutex> lock(mu_);
  return options_.anonymous_role;
}

std::optional<Authenticator::Stored> Authenticator::FindBySecretLocked(
    const std::string& secret) const {
  std::string digest = Sha256Hex(secret);
  std::optional<Stored> found;
  for (const auto& u : users_) {
    // Compare with every user (no early exit) so timing reveals nothing.
    if (ConstantTimeEquals(u.digest, digest) && !found) found = u;
  }
  return found;
}

void Authenticator::ExpireLocked() {
  auto now = std::chrono::steady_clock::now();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.expires < now ? sessions_.erase(it) : std::next(it);
  }
}

Result<Principal> Authenticator::Authenticate(const std::string& authorization,
                                              const std::string& cookie_header) {
  std::lock_guard<std::mutex> lock(mu_);
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.empty()) {
    if (authorization.size() <= kBearer.size() ||
        LowerAscii(authorization.substr(0, kBearer.size())) != "bearer ") {
      return Unauthenticated("unsupported Authorization scheme (want Bearer)");
    }
    auto user = FindBySecretLocked(authorization.substr(kBearer.size()));
    if (!user) return Unauthenticated("invalid bearer token");
    return Principal{user->name, user->role, false, "", ""};
  }
  std::string sid = CookieValue(cookie_header, kCookieName);
  if (!sid.empty()) {
    ExpireLocked();
    auto it = sessions_.find(sid);
    if (it == sessions_.end()) return Unauthenticated("session expired; log in again");
    for (const auto& u : users_) {
      if (u.name == it->second.user) return Principal{u.name, u.role, true, it->second.csrf, sid};
    }
    sessions_.erase(it);
    return Unauthenticated("session expired; log in again");
  }
  return Principal{"", options_.anonymous_role, false, "", ""};
}

Result<Principal> Authenticator::Login(const std::string& user, const std::string& secret) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string digest = Sha256Hex(secret);
  const Stored* match = nullptr;
  for (const auto& u : users_) {
    bool ok = ConstantTimeEquals(u.digest, digest) & (u.name == user);
    if (ok && !match) match = &u;
  }
  if (!match) return Unauthenticated("wrong user or token");
  ExpireLocked();
  if (sessions_.size() >= options_.max_sessions) {
    // Drop the session closest to expiry to make room.
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.expires < oldest->second.expires) oldest = it;
    }
    sessions_.erase(oldest);
  }
  std::string sid = RandomHex(32);
  std::string csrf = RandomHex(32);
  sessions_[sid] = {match->name, csrf, std::chrono::steady_clock::now() + options_.session_ttl};
  return Principal{match->name, match->role, true, csrf, sid};
}

void Authenticator::Logout(const std::string& session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session_id);
}

}  // namespace gitopsd::server
