// git::Repo: one remote Git repository as gitopsd sees it — a local mirror
// that can be fetched, revisions resolved to commits, and a commit's tree read
// as a FileSystem straight from the object database (no checkout).
//
// The libgit2 implementation (OpenMirror) keeps one bare mirror per
// repository under a cache directory: refs/heads/* and refs/tags/* of the
// remote, pruned on every fetch, HEAD following the remote's default branch.
// Mirrors hands out one shared Repo per repository (by NormalizeRepoUrl), so
// every app of a repository uses the same mirror and the same fetch.
//
// Thread-safety: every method of Repo may be called from any thread at any
// time. Concurrent Fetch() calls are coalesced: a caller that arrives while a
// fetch is running waits for the next fetch (which it shares with every other
// caller that arrived meanwhile), so no caller ever sees a fetch that started
// before it asked. Readers (Resolve, Tree, ChangedFiles, FileSystem reads)
// never wait for a fetch. A FileSystem returned by Tree() stays valid and
// readable after the Repo is gone.
//
// Errors: network and server failures are Unavailable with libgit2's message;
// rejected credentials are Unauthenticated; an unknown or mismatching SSH host
// key, or a TLS certificate that neither the system nor the configured CA
// trusts, is PermissionDenied naming the host; an unknown revision is
// NotFound naming it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"
#include "core/status.h"

namespace gitopsd::git {

// How to authenticate to a repository. All paths are absolute or relative to
// the process's working directory (the configuration resolves them).
struct Credentials {
  // HTTPS: basic-auth user ("x-access-token" is sent when only a password or
  // token is set). SSH: the login user when the URL names none ("git").
  std::string username;
  // HTTPS basic-auth password, or an access token (GitHub, GitLab, Gitea and
  // Bitbucket accept a token as the password).
  std::string password;
  // SSH private key (OpenSSH or PEM format) and its passphrase, if any.
  std::string ssh_key_file;
  std::string ssh_key_passphrase;
  // SSH known_hosts file. Empty: ~/.ssh/known_hosts, then
  // /etc/ssh/ssh_known_hosts. A host that is not in it is refused.
  std::string known_hosts_file;
  // HTTPS: a PEM file of extra trusted CA certificates (a private CA). The
  // system's CAs stay trusted.
  std::string ca_file;
};

struct RepoOptions {
  std::string url;        // see url.h for the accepted forms
  std::string cache_dir;  // the mirror is created in a sub-directory of it
  Credentials credentials;
  // A blob larger than this is refused by the tree FileSystem
  // (ResourceExhausted) before it is read.
  uint64_t max_blob_size = 16ull << 20;
};

// A commit's metadata.
struct Commit {
  std::string sha;           // 40 hex digits
  std::string author_name;
  std::string author_email;
  int64_t time = 0;          // author time, seconds since the Unix epoch
  std::string title;         // the message's first paragraph, on one line
  std::string message;       // the full message
};

// The outcome of the last fetch, for status pages.
struct FetchState {
  Status status;  // OK, or why the last fetch failed
  std::chrono::system_clock::time_point finished_at{};  // epoch = never fetched
  std::chrono::system_clock::time_point last_success_at{};
};

class Repo {
 public:
  virtual ~Repo() = default;

  // The URL as configured.
  virtual const std::string& url() const = 0;

  // Brings the mirror up to date with the remote (see the coalescing rule
  // above). On failure the mirror keeps its previous content.
  virtual Status Fetch() = 0;

  // Fetches only when the last successful fetch started more than max_age
  // ago (or never happened): N apps polling one repository in the same
  // period cause one fetch.
  virtual Status FetchIfOlderThan(std::chrono::steady_clock::duration max_age) = 0;

  virtual FetchState LastFetch() const = 0;

  // Resolves a revision: "HEAD" (the remote's default branch), a branch, a
  // tag (annotated tags are peeled), a full or abbreviated (>= 4 hex digits)
  // commit sha, or a full ref name ("refs/heads/main"). Names are looked up
  // the way `git rev-parse` does: tags before branches.
  virtual Result<Commit> Resolve(std::string_view revision) const = 0;

  // Paths (from the repository root) of the files added, removed or modified
  // between two commits, sorted; a rename yields both paths.
  virtual Result<std::vector<std::string>> ChangedFiles(std::string_view from_sha,
                                                        std::string_view to_sha) const = 0;

  // The tree of a commit (any form Resolve accepts) as a read-only
  // FileSystem. Symlinks are followed inside the tree only; one that points
  // outside it (absolute, or climbing above the root) is PermissionDenied.
  // Submodules are not fetched: they read as NotFound naming the submodule.
  virtual Result<std::shared_ptr<const FileSystem>> Tree(std::string_view revision) const = 0;
};

// Opens (creating when missing) the libgit2 mirror of options.url below
// options.cache_dir. Does not fetch.
Result<std::shared_ptr<Repo>> OpenMirror(const RepoOptions& options);

// The mirror directory OpenMirror uses for a URL below cache_dir: readable
// ("github.com-org-repo-<hash>.git") and distinct per normalised URL.
std::string MirrorDirName(std::string_view url);

// One shared Repo per repository (by NormalizeRepoUrl). Thread-safe.
class Mirrors {
 public:
  explicit Mirrors(std::string cache_dir) : cache_dir_(std::move(cache_dir)) {}

  // The Repo of options.url, opened on first use; later calls for the same
  // repository return the same object (their credentials replace the
  // stored ones only through Replace). options.cache_dir is ignored.
  Result<std::shared_ptr<Repo>> Get(const RepoOptions& options);

  // Re-opens a repository with new options (configuration reload); apps
  // holding the old Repo keep a working object.
  Result<std::shared_ptr<Repo>> Replace(const RepoOptions& options);

 private:
  std::string cache_dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Repo>, std::less<>> repos_;
};

}  // namespace gitopsd::git
