// Internal: libgit2 plumbing shared by daemon/git's sources — one-time
// library initialisation, owning handles, and Status from libgit2 errors.
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gitopsd::git::internal {

// Initialises libgit2 once per process (thread-safe, idempotent).
void EnsureLibgit2();

// The thread's last libgit2 error message (or "unknown libgit2 error").
std::string LastErrorMessage();

// A Status for libgit2 error `code` of an operation described by `what`.
// GIT_ENOTFOUND -> NotFound, GIT_EAUTH -> Unauthenticated, GIT_ECERTIFICATE ->
// PermissionDenied, GIT_EAMBIGUOUS -> InvalidArgument, others -> `fallback`.
Status FromLibgit2(int code, std::string_view what, Code fallback = Code::kInternal);

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};
using RepositoryPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using OdbObjectPtr = std::unique_ptr<git_odb_object, Deleter<git_odb_object, git_odb_object_free>>;

std::string OidHex(const git_oid& oid);

}  // namespace gitopsd::git::internal
