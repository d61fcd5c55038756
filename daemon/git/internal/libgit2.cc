#include "daemon/git/internal/libgit2.h"

#include <mutex>

namespace gitopsd::git::internal {

void EnsureLibgit2() {
  // Never shut down: handles may outlive any owner we could tie this to.
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string LastErrorMessage() {
  const git_error* e = git_error_last();
  if (e == nullptr || e->message == nullptr) return "unknown libgit2 error";
  return e->message;
}

Status FromLibgit2(int code, std::string_view what, Code fallback) {
  std::string msg = what.empty() ? LastErrorMessage() : std::string(what) + ": " + LastErrorMessage();
  switch (code) {
    case GIT_ENOTFOUND: return NotFound(msg);
    case GIT_EAUTH: return Unauthenticated(msg);
    case GIT_ECERTIFICATE: return PermissionDenied(msg);
    case GIT_EAMBIGUOUS: return InvalidArgument(msg);
    default: return Status(fallback, msg);
  }
}

std::string OidHex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof(buf), &oid);
  return buf;
}

}  // namespace gitopsd::git::internal
