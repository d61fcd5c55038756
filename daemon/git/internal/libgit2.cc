#include "daemon/git/internal/libgit2.h"

#include <mutex>

namespace gitopsd::git::internal {

void EnsureLibgit2() {
  // Never shut down: handles may outlive any owner we could tie this to.
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Hermetic: the daemon reads no global, XDG or system git configuration.
    // What it fetches and how is the gitopsd configuration's business alone,
    // and a HOME it may not read (a container's non-root user with HOME=/root)
    // must not break every fetch.
    for (auto level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM,
                       GIT_CONFIG_LEVEL_PROGRAMDATA}) {
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    }
  });
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
