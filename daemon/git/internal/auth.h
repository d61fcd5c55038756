// Internal: the libgit2 remote callbacks of one fetch — credentials from
// git::Credentials, the SSH host-key check against known_hosts, and the TLS
// check against an extra CA file.
#pragma once

#include <git2.h>

#include <string>

#include "daemon/git/repo.h"
#include "daemon/git/url.h"

namespace gitopsd::git::internal {

// Lives for one fetch; libgit2 gets a pointer to it as the callback payload.
struct AuthContext {
  Credentials credentials;
  RepoUrl url;
  int credential_calls = 0;
  // Why a callback refused (libgit2 may replace its own error message, so
  // the fetch reports this one when set).
  std::string refusal;
  Code refusal_code = Code::kOk;
};

// Points callbacks at the credential and certificate handlers with `ctx`.
void InstallAuthCallbacks(git_remote_callbacks* callbacks, AuthContext* ctx);

// Verifies a DER certificate for `host` against the PEM CA file (the chain
// may end at any certificate of that file). PermissionDenied with OpenSSL's
// reason otherwise.
Status VerifyWithCaFile(const unsigned char* der, size_t len, const std::string& ca_file,
                        const std::string& host);

}  // namespace gitopsd::git::internal
