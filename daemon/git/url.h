// Repository URLs: parsing the forms git accepts and normalising them so that
// a webhook's repository URL can be matched with an app's.
//
// Accepted forms: scheme://[user[:password]@]host[:port]/path (https, http,
// ssh, git, file), scp-like [user@]host:path (ssh), and a plain local path.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace gitopsd::git {

struct RepoUrl {
  std::string scheme;    // "https", "http", "ssh", "git", "file"; scp-like is "ssh"
  std::string user;      // may be empty
  std::string password;  // from "user:password@" (discouraged; may be empty)
  std::string host;      // empty for file
  int port = 0;          // 0 = the scheme's default
  std::string path;      // without the leading '/' for network URLs; absolute for file
  bool scp_like = false;
};

// Parses a repository URL. InvalidArgument naming the URL when it is none of
// the accepted forms.
Result<RepoUrl> ParseRepoUrl(std::string_view url);

// A key equal for every spelling of the same repository: scheme, user,
// password, port and a trailing ".git" or '/' are dropped; host and path are
// lower-cased. "https://User@GitHub.com/Org/Repo.git" and
// "git@github.com:org/repo" both give "github.com/org/repo"; a local
// repository gives its absolute path. Unparseable input is returned
// lower-cased and trimmed, so the function never fails.
std::string NormalizeRepoUrl(std::string_view url);

// The URL with any password removed, safe to log and show.
std::string RedactRepoUrl(std::string_view url);

}  // namespace gitopsd::git
