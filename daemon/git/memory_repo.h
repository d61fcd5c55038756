// MemoryRepo: an in-memory git::Repo for tests of the layers above daemon/git
// (controllers, webhooks) — no disk, no libgit2.
//
// It models a mirror: AddCommit()/Tag()/DeleteBranch() change the "remote";
// Resolve() and friends see the refs as of the last successful Fetch(), like
// the libgit2 mirror. Commits are file maps (path -> content); their shas are
// 40 hex digits, unique per commit. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "daemon/git/repo.h"

namespace gitopsd::git {

class MemoryRepo : public Repo {
 public:
  using Files = std::map<std::string, std::string>;

  explicit MemoryRepo(std::string url = "https://git.example.com/org/env.git");

  // Adds a commit to `branch` (created if missing) whose tree is exactly
  // `files`; returns its sha. The first branch committed to is HEAD.
  std::string AddCommit(std::string_view branch, Files files, std::string_view title = "commit",
                     std::string_view author = "Test Author");
  // The files of a branch's tip on the remote (empty if none), to derive the
  // next commit from.
  Files FilesOf(std::string_view branch) const;
  void Tag(std::string_view tag, std::string_view sha);
  void DeleteBranch(std::string_view branch);
  void SetHead(std::string_view branch);
  // Every Fetch fails with `status` until called again with OK.
  void SetFetchError(Status status);
  int fetch_count() const;

  const std::string& url() const override { return url_; }
  Status Fetch() override;
  Status FetchIfOlderThan(std::chrono::steady_clock::duration max_age) override;
  FetchState LastFetch() const override;
  Result<Commit> Resolve(std::string_view revision) const override;
  Result<std::vector<std::string>> ChangedFiles(std::string_view from_sha,
                                                std::string_view to_sha) const override;
  Result<std::shared_ptr<const FileSystem>> Tree(std::string_view revision) const override;

 private:
  struct Stored {
    git::Commit meta;
    Files files;
    std::shared_ptr<MemoryFileSystem> fs;
  };
  Result<const Stored*> Find(std::string_view revision) const;  // caller holds mu_

  const std::string url_;
  mutable std::mutex mu_;
  std::map<std::string, Stored> commits_;                  // by sha
  std::map<std::string, std::string> remote_refs_, refs_;  // full ref name -> sha
  std::string remote_head_ = "refs/heads/main", head_;
  Status fetch_error_;
  FetchState state_;
  std::chrono::steady_clock::time_point last_success_{};
  int fetch_count_ = 0;
  int64_t counter_ = 0;
};

}  // namespace gitopsd::git
