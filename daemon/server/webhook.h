// Git host webhooks: provider detection, signature verification and push
// event parsing. Pure functions of (headers, body, secret); the HTTP handler
// in server.cc calls them and maps errors to status codes:
//   unknown provider -> 400, bad/missing signature -> 401, bad JSON -> 400.
//
// Providers: GitHub (X-GitHub-Event, X-Hub-Signature-256), GitLab
// (X-Gitlab-Event, X-Gitlab-Token), Gitea (X-Gitea-Event, X-Gitea-Signature),
// Gogs (X-Gogs-Event, X-Gogs-Signature), Bitbucket Server (X-Event-Key,
// X-Hub-Signature "sha256=..."). Only SHA-256 HMACs are accepted; every
// comparison is constant-time. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gitopsd::server {

enum class Provider { kGitHub, kGitLab, kGitea, kGogs, kBitbucketServer };

std::string_view ProviderName(Provider p);

// Header names are matched case-insensitively; store them lower-cased.
using HeaderMap = std::map<std::string, std::string>;
std::string LowerAscii(std::string_view s);

// A push-like event that may move an app's target revision.
struct PushEvent {
  Provider provider = Provider::kGitHub;
  std::string event;        // "push", "tag_push", "merge_request_merged"
  std::string delivery_id;  // for de-duplication; "" when the provider sends none
  // Every URL the payload gives for the repository (clone, ssh, web); apps
  // are matched against each after normalisation.
  std::vector<std::string> repo_urls;
  std::string ref;          // "refs/heads/main", "refs/tags/v1" ("" if unknown)
  std::string revision;     // "main", "v1": ref without refs/heads/ or refs/tags/
  bool is_tag = false;
  std::string after;        // new commit sha when known
  // Files added/modified/removed by the pushed commits. Meaningful only when
  // has_file_list: otherwise every app of the repo must be re-rendered.
  std::vector<std::string> changed_files;
  bool has_file_list = false;
};

// Which provider sent this request; InvalidArgument when none is recognised.
Result<Provider> DetectProvider(const HeaderMap& headers);

// Verifies the request's signature or token against `secret`.
// Unauthenticated when the header is missing or does not match.
Status VerifySignature(Provider provider, const HeaderMap& headers, std::string_view body,
                       std::string_view secret);

// Parses the event. nullopt for events that never move a revision (ping,
// issues, an unmerged merge request...); InvalidArgument for a malformed body.
Result<std::optional<PushEvent>> ParseEvent(Provider provider, const HeaderMap& headers,
                                            std::string_view body);

// hex(HMAC-SHA256(key, data)), lower case.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Constant-time comparison (time depends only on the lengths).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gitopsd::server
