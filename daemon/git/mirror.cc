// The libgit2 implementation of git::Repo: a bare mirror on disk.
//
// Two kinds of libgit2 handles: readers share one git_repository guarded by
// read_mu_ (ref lookups and commit parsing are quick) and one git_odb, which
// libgit2 makes thread-safe (tree file systems read through it without any
// lock of ours); each fetch opens its own git_repository, so a slow fetch
// never blocks readers. Refs are updated on disk atomically by libgit2 and
// the reader's odb rescans the pack directory when an object is missing, so
// readers see a fetch's result as soon as it completes.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>

#include "daemon/git/internal/auth.h"
#include "daemon/git/internal/libgit2.h"
#include "daemon/git/internal/tree_fs.h"
#include "daemon/git/repo.h"
#include "daemon/git/url.h"

namespace gitopsd::git {
namespace {

using internal::FromLibgit2;

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Commit CommitOf(const git_commit* c) {
  Commit out;
  out.sha = internal::OidHex(*git_commit_id(c));
  if (const git_signature* a = git_commit_author(c)) {
    out.author_name = a->name ? a->name : "";
    out.author_email = a->email ? a->email : "";
    out.time = static_cast<int64_t>(a->when.time);
  }
  const char* msg = git_commit_message(c);
  out.message = msg ? msg : "";
  // git_commit_summary caches into the commit object; it is ours alone here.
  const char* summary = git_commit_summary(const_cast<git_commit*>(c));
  out.title = summary ? summary : "";
  return out;
}

// One mutex per mirror directory for the whole process: two GitMirror objects
// on one directory (a configuration reload replacing a Repo while its old
// object is still fetching) never write it at the same time.
std::shared_ptr<std::mutex> DirectoryMutex(const std::string& dir) {
  static std::mutex registry_mu;
  static std::map<std::string, std::weak_ptr<std::mutex>> registry;
  std::lock_guard lock(registry_mu);
  auto& slot = registry[dir];
  auto mu = slot.lock();
  if (!mu) {
    mu = std::make_shared<std::mutex>();
    slot = mu;
  }
  return mu;
}

// A process killed during a fetch (kill -9) leaves git lock files and
// partial packs behind; every later fetch would fail on the locks. Only this
// process uses the mirror and the caller holds the directory mutex, so any
// lock file found now is stale.
void RemoveStaleLocks(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> stale;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    bool lock = name.size() > 5 && name.compare(name.size() - 5, 5, ".lock") == 0;
    bool tmp_pack = name.rfind("tmp_pack_", 0) == 0 || name.rfind("tmp_idx_", 0) == 0;
    if ((lock || tmp_pack) && it->is_regular_file(ec)) stale.push_back(it->path());
  }
  for (const auto& p : stale) std::filesystem::remove(p, ec);
}

class GitMirror : public Repo {
 public:
  GitMirror(RepoOptions options, RepoUrl parsed, std::string dir)
      : options_(std::move(options)), parsed_(std::move(parsed)), dir_(std::move(dir)) {}

  Status Init();

  const std::string& url() const override { return options_.url; }
  Status Fetch() override;
  Status FetchIfOlderThan(std::chrono::steady_clock::duration max_age) override;
  FetchState LastFetch() const override;
  Result<Commit> Resolve(std::string_view revision) const override;
  Result<std::vector<std::string>> ChangedFiles(std::string_view from_sha,
                                                std::string_view to_sha) const override;
  Result<std::shared_ptr<const FileSystem>> Tree(std::string_view revision) const override;

 private:
  Status DoFetch();
  Status FetchInto(git_repository* repo);
  // Caller holds read_mu_. The commit a revision names.
  Result<internal::CommitPtr> LookupCommit(std::string_view revision) const;
  std::string Describe() const { return "repository " + RedactRepoUrl(options_.url); }

  const RepoOptions options_;
  const RepoUrl parsed_;
  const std::string dir_;
  const std::shared_ptr<std::mutex> dir_mu_ = DirectoryMutex(dir_);

  mutable std::mutex read_mu_;
  internal::RepositoryPtr read_repo_;
  std::shared_ptr<git_odb> odb_;
  mutable std::map<std::string, std::weak_ptr<const FileSystem>> trees_;  // by tree sha

  mutable std::mutex fetch_mu_;
  std::condition_variable fetch_cv_;
  bool fetching_ = false;
  uint64_t started_ = 0;    // fetches started so far
  uint64_t completed_ = 0;  // number of the last completed fetch
  Status last_status_;
  FetchState state_;
  bool ever_succeeded_ = false;
  std::chrono::steady_clock::time_point last_success_start_{};
};

Status GitMirror::Init() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Unavailable("creating mirror directory \"" + dir_ + "\": " + ec.message());
  std::lock_guard dir_lock(*dir_mu_);
  RemoveStaleLocks(dir_);
  git_repository* repo = nullptr;
  int rc = git_repository_open_bare(&repo, dir_.c_str());
  if (rc < 0) {
    // Missing or half-created (a crash during the first init): start afresh.
    std::filesystem::remove_all(dir_, ec);
    rc = git_repository_init(&repo, dir_.c_str(), /*is_bare=*/1);
    if (rc < 0) return FromLibgit2(rc, "creating mirror \"" + dir_ + "\"", Code::kUnavailable);
  }
  read_repo_.reset(repo);
  git_odb* odb = nullptr;
  rc = git_repository_odb(&odb, repo);
  if (rc < 0) return FromLibgit2(rc, "opening the object database of \"" + dir_ + "\"");
  odb_ = std::shared_ptr<git_odb>(odb, git_odb_free);
  return Status::Ok();
}

Status GitMirror::Fetch() {
  std::unique_lock lock(fetch_mu_);
  // The first fetch to start after this call is the one we need.
  const uint64_t wanted = started_ + 1;
  while (completed_ < wanted) {
    if (fetching_) {
      fetch_cv_.wait(lock);
      continue;
    }
    fetching_ = true;
    const uint64_t mine = ++started_;
    auto start = std::chrono::steady_clock::now();
    lock.unlock();
    Status st = DoFetch();
    lock.lock();
    fetching_ = false;
    completed_ = mine;
    last_status_ = st;
    state_.status = st;
    state_.finished_at = std::chrono::system_clock::now();
    if (st.ok()) {
      state_.last_success_at = state_.finished_at;
      ever_succeeded_ = true;
      last_success_start_ = start;
    }
    fetch_cv_.notify_all();
  }
  return last_status_;
}

Status GitMirror::FetchIfOlderThan(std::chrono::steady_clock::duration max_age) {
  {
    std::lock_guard lock(fetch_mu_);
    if (ever_succeeded_ && std::chrono::steady_clock::now() - last_success_start_ < max_age) {
      return Status::Ok();
    }
  }
  return Fetch();
}

FetchState GitMirror::LastFetch() const {
  std::lock_guard lock(fetch_mu_);
  return state_;
}

Status GitMirror::DoFetch() {
  std::lock_guard dir_lock(*dir_mu_);
  git_repository* raw = nullptr;
  int rc = git_repository_open_bare(&raw, dir_.c_str());
  if (rc < 0) return FromLibgit2(rc, "opening mirror \"" + dir_ + "\"", Code::kUnavailable);
  internal::RepositoryPtr repo(raw);
  return FetchInto(repo.get()).WithContext("fetching " + Describe());
}

Status GitMirror::FetchInto(git_repository* repo) {
  git_remote* raw_remote = nullptr;
  git_remote_create_options create;
  git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION);
  create.repository = repo;
  // url.<base>.insteadOf rewriting is skipped: the URL is used as configured
  // (and libgit2 1.5 leaks PCRE match data while applying those rules).
  create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  int rc = git_remote_create_with_opts(&raw_remote, options_.url.c_str(), &create);
  if (rc < 0) return FromLibgit2(rc, "bad remote", Code::kInvalidArgument);
  internal::RemotePtr remote(raw_remote);

  internal::AuthContext auth;
  auth.credentials = options_.credentials;
  auth.url = parsed_;
  git_fetch_options opts;
  git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
  internal::InstallAuthCallbacks(&opts.callbacks, &auth);
  opts.prune = GIT_FETCH_PRUNE;
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  opts.update_fetchhead = 0;
  opts.proxy_opts.type = GIT_PROXY_AUTO;

  auto failed = [&](int code) {
    if (!auth.refusal.empty()) return Status(auth.refusal_code, auth.refusal);
    return FromLibgit2(code, "", Code::kUnavailable);
  };
  rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &opts.callbacks, &opts.proxy_opts,
                          nullptr);
  if (rc < 0) return failed(rc);
  git_buf head = GIT_BUF_INIT;
  std::string default_branch;
  if (git_remote_default_branch(&head, remote.get()) == 0) default_branch.assign(head.ptr, head.size);
  git_buf_dispose(&head);

  const char* specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
  git_strarray refspecs{const_cast<char**>(specs), 2};
  rc = git_remote_fetch(remote.get(), &refspecs, &opts, "gitopsd fetch");
  if (rc < 0) return failed(rc);

  if (!default_branch.empty()) {
    git_reference* ref = nullptr;
    if (git_reference_symbolic_create(&ref, repo, "HEAD", default_branch.c_str(), 1,
                                      "gitopsd: remote HEAD") == 0) {
      git_reference_free(ref);
    }
  }
  return Status::Ok();
}

Result<internal::CommitPtr> GitMirror::LookupCommit(std::string_view revision) const {
  if (revision.empty()) return InvalidArgument("empty revision");
  git_repository* repo = read_repo_.get();
  std::string rev(revision);
  std::vector<std::string> names;
  if (rev == "HEAD" || rev.rfind("refs/", 0) == 0) {
    names.push_back(rev);
  } else {
    names = {"refs/tags/" + rev, "refs/heads/" + rev};
  }
  for (const auto& name : names) {
    git_reference* ref = nullptr;
    if (git_reference_lookup(&ref, repo, name.c_str()) != 0) continue;
    internal::ReferencePtr owned(ref);
    git_object* obj = nullptr;
    int rc = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
    if (rc < 0) return FromLibgit2(rc, "revision \"" + rev + "\" (" + name + ")");
    return internal::CommitPtr(reinterpret_cast<git_commit*>(obj));
  }
  if (rev.size() >= 4 && rev.size() <= GIT_OID_HEXSZ && IsHex(rev)) {
    git_oid oid;
    if (git_oid_fromstrn(&oid, rev.data(), rev.size()) == 0) {
      git_object* obj = nullptr;
      int rc = git_object_lookup_prefix(&obj, repo, &oid, rev.size(), GIT_OBJECT_COMMIT);
      if (rc == 0) return internal::CommitPtr(reinterpret_cast<git_commit*>(obj));
      if (rc == GIT_EAMBIGUOUS) {
        return InvalidArgument("revision \"" + rev + "\" is an ambiguous abbreviated commit");
      }
    }
  }
  return NotFound("revision \"" + rev + "\" not found in " + Describe() +
                  " (no such branch, tag or commit)");
}

Result<Commit> GitMirror::Resolve(std::string_view revision) const {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(auto commit, LookupCommit(revision));
  return CommitOf(commit.get());
}

Result<std::vector<std::string>> GitMirror::ChangedFiles(std::string_view from_sha,
                                                         std::string_view to_sha) const {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(auto from, LookupCommit(from_sha));
  ASSIGN_OR_RETURN(auto to, LookupCommit(to_sha));
  git_tree* from_tree = nullptr;
  git_tree* to_tree = nullptr;
  int rc = git_commit_tree(&from_tree, from.get());
  internal::TreePtr from_owned(from_tree);
  if (rc == 0) rc = git_commit_tree(&to_tree, to.get());
  internal::TreePtr to_owned(to_tree);
  if (rc < 0) return FromLibgit2(rc, "reading trees");
  git_diff* diff = nullptr;
  rc = git_diff_tree_to_tree(&diff, read_repo_.get(), from_tree, to_tree, nullptr);
  if (rc < 0) return FromLibgit2(rc, "diffing " + std::string(from_sha) + ".." + std::string(to_sha));
  internal::DiffPtr owned(diff);
  std::set<std::string> paths;
  for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->old_file.path) paths.insert(d->old_file.path);
    if (d->new_file.path) paths.insert(d->new_file.path);
  }
  return std::vector<std::string>(paths.begin(), paths.end());
}

Result<std::shared_ptr<const FileSystem>> GitMirror::Tree(std::string_view revision) const {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(auto commit, LookupCommit(revision));
  const git_oid* tree = git_commit_tree_id(commit.get());
  std::string key = internal::OidHex(*tree);
  auto it = trees_.find(key);
  if (it != trees_.end()) {
    if (auto fs = it->second.lock()) return fs;
  }
  for (auto i = trees_.begin(); i != trees_.end();) {  // drop dead entries
    i = i->second.expired() ? trees_.erase(i) : std::next(i);
  }
  std::shared_ptr<const FileSystem> fs =
      std::make_shared<internal::TreeFileSystem>(odb_, *tree, options_.max_blob_size);
  trees_[key] = fs;
  return fs;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string MirrorDirName(std::string_view url) {
  std::string key = NormalizeRepoUrl(url);
  std::string readable;
  for (char c : key) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
    if (ok) readable.push_back(c);
    else if (!readable.empty() && readable.back() != '-') readable.push_back('-');
  }
  while (!readable.empty() && (readable.front() == '-' || readable.front() == '.')) readable.erase(0, 1);
  if (readable.size() > 60) readable.resize(60);
  char hash[17];
  std::snprintf(hash, sizeof(hash), "%016llx", static_cast<unsigned long long>(Fnv1a(key)));
  return readable + "-" + hash + ".git";
}

Result<std::shared_ptr<Repo>> OpenMirror(const RepoOptions& options) {
  internal::EnsureLibgit2();
  ASSIGN_OR_RETURN(RepoUrl parsed, ParseRepoUrl(options.url));
  if (options.cache_dir.empty()) return InvalidArgument("no cache directory for git mirrors");
  std::string dir = options.cache_dir + "/" + MirrorDirName(options.url);
  auto mirror = std::make_shared<GitMirror>(options, std::move(parsed), std::move(dir));
  RETURN_IF_ERROR(mirror->Init());
  return std::shared_ptr<Repo>(std::move(mirror));
}

Result<std::shared_ptr<Repo>> Mirrors::Get(const RepoOptions& options) {
  std::lock_guard lock(mu_);
  std::string key = NormalizeRepoUrl(options.url);
  auto it = repos_.find(key);
  if (it != repos_.end()) return it->second;
  RepoOptions with_dir = options;
  with_dir.cache_dir = cache_dir_;
  ASSIGN_OR_RETURN(auto repo, OpenMirror(with_dir));
  repos_[key] = repo;
  return repo;
}

Result<std::shared_ptr<Repo>> Mirrors::Replace(const RepoOptions& options) {
  RepoOptions with_dir = options;
  with_dir.cache_dir = cache_dir_;
  ASSIGN_OR_RETURN(auto repo, OpenMirror(with_dir));
  std::lock_guard lock(mu_);
  repos_[NormalizeRepoUrl(options.url)] = repo;
  return repo;
}

}  // namespace gitopsd::git
