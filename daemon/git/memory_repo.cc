#include "daemon/git/memory_repo.h"

#include <cstdio>
#include <set>

namespace gitopsd::git {
namespace {

uint64_t Fnv(std::string_view s, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

MemoryRepo::MemoryRepo(std::string url) : url_(std::move(url)) {}

std::string MemoryRepo::AddCommit(std::string_view branch, Files files, std::string_view title,
                               std::string_view author) {
  std::lock_guard lock(mu_);
  std::string content = std::string(branch) + '\0' + std::string(title);
  for (const auto& [p, c] : files) content += p + '\0' + c + '\0';
  char sha[41];
  std::snprintf(sha, sizeof(sha), "%016llx%016llx%08llx",
                static_cast<unsigned long long>(Fnv(content, 1469598103934665603ull)),
                static_cast<unsigned long long>(Fnv(content, 0x9e3779b97f4a7c15ull)),
                static_cast<unsigned long long>(++counter_ & 0xffffffffu));
  Stored stored;
  stored.meta.sha = sha;
  stored.meta.author_name = std::string(author);
  stored.meta.author_email = "author@example.com";
  stored.meta.time = 1700000000 + counter_;
  stored.meta.title = std::string(title);
  stored.meta.message = std::string(title) + "\n";
  stored.fs = std::make_shared<MemoryFileSystem>();
  for (const auto& [p, c] : files) stored.fs->AddFile(p, c);
  stored.files = std::move(files);
  commits_[sha] = std::move(stored);
  std::string ref = "refs/heads/" + std::string(branch);
  if (remote_refs_.empty()) remote_head_ = ref;
  remote_refs_[ref] = sha;
  return sha;
}

MemoryRepo::Files MemoryRepo::FilesOf(std::string_view branch) const {
  std::lock_guard lock(mu_);
  auto it = remote_refs_.find("refs/heads/" + std::string(branch));
  return it == remote_refs_.end() ? Files{} : commits_.at(it->second).files;
}

void MemoryRepo::Tag(std::string_view tag, std::string_view sha) {
  std::lock_guard lock(mu_);
  remote_refs_["refs/tags/" + std::string(tag)] = std::string(sha);
}

void MemoryRepo::DeleteBranch(std::string_view branch) {
  std::lock_guard lock(mu_);
  remote_refs_.erase("refs/heads/" + std::string(branch));
}

void MemoryRepo::SetHead(std::string_view branch) {
  std::lock_guard lock(mu_);
  remote_head_ = "refs/heads/" + std::string(branch);
}

void MemoryRepo::SetFetchError(Status status) {
  std::lock_guard lock(mu_);
  fetch_error_ = std::move(status);
}

int MemoryRepo::fetch_count() const {
  std::lock_guard lock(mu_);
  return fetch_count_;
}

Status MemoryRepo::Fetch() {
  std::lock_guard lock(mu_);
  ++fetch_count_;
  state_.finished_at = std::chrono::system_clock::now();
  state_.status = fetch_error_.ok() ? Status::Ok()
                                    : fetch_error_.WithContext("fetching repository " + url_);
  if (!state_.status.ok()) return state_.status;
  refs_ = remote_refs_;
  head_ = remote_head_;
  state_.last_success_at = state_.finished_at;
  last_success_ = std::chrono::steady_clock::now();
  return Status::Ok();
}

Status MemoryRepo::FetchIfOlderThan(std::chrono::steady_clock::duration max_age) {
  {
    std::lock_guard lock(mu_);
    if (last_success_ != std::chrono::steady_clock::time_point{} &&
        std::chrono::steady_clock::now() - last_success_ < max_age) {
      return Status::Ok();
    }
  }
  return Fetch();
}

FetchState MemoryRepo::LastFetch() const {
  std::lock_guard lock(mu_);
  return state_;
}

Result<const MemoryRepo::Stored*> MemoryRepo::Find(std::string_view revision) const {
  if (revision.empty()) return InvalidArgument("empty revision");
  std::string rev(revision);
  std::vector<std::string> names;
  if (rev == "HEAD") names = {head_};
  else if (rev.rfind("refs/", 0) == 0) names = {rev};
  else names = {"refs/tags/" + rev, "refs/heads/" + rev};
  for (const auto& name : names) {
    auto it = refs_.find(name);
    if (it != refs_.end()) return &commits_.at(it->second);
  }
  if (rev.size() >= 4) {
    const Stored* found = nullptr;
    for (auto it = commits_.lower_bound(rev); it != commits_.end() && it->first.rfind(rev, 0) == 0; ++it) {
      if (found) return InvalidArgument("revision \"" + rev + "\" is an ambiguous abbreviated commit");
      found = &it->second;
    }
    if (found) return found;
  }
  return NotFound("revision \"" + rev + "\" not found in repository " + url_ +
                  " (no such branch, tag or commit)");
}

Result<Commit> MemoryRepo::Resolve(std::string_view revision) const {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(const Stored* s, Find(revision));
  return s->meta;
}

Result<std::vector<std::string>> MemoryRepo::ChangedFiles(std::string_view from_sha,
                                                          std::string_view to_sha) const {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(const Stored* from, Find(from_sha));
  ASSIGN_OR_RETURN(const Stored* to, Find(to_sha));
  std::set<std::string> changed;
  for (const auto& [p, c] : from->files) {
    auto it = to->files.find(p);
    if (it == to->files.end() || it->second != c) changed.insert(p);
  }
  for (const auto& [p, c] : to->files) {
    if (!from->files.count(p)) changed.insert(p);
  }
  return std::vector<std::string>(changed.begin(), changed.end());
}

Result<std::shared_ptr<const FileSystem>> MemoryRepo::Tree(std::string_view revision) const {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(const Stored* s, Find(revision));
  return std::shared_ptr<const FileSystem>(s->fs);
}

}  // namespace gitopsd::git
