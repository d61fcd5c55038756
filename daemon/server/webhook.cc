#include "daemon/server/webhook.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <set>

#include "core/object.h"

namespace gitopsd::server {
namespace {

const std::string* Header(const HeaderMap& h, std::string_view name) {
  auto it = h.find(std::string(name));
  return it == h.end() ? nullptr : &it->second;
}

// Compares "sha256=<hex>" (or bare hex when prefix is empty) with the HMAC.
Status CheckHmac(const HeaderMap& headers, std::string_view header, std::string_view prefix,
                 std::string_view body, std::string_view secret) {
  const std::string* got = Header(headers, header);
  if (!got) return Unauthenticated("missing " + std::string(header) + " header");
  std::string expected = std::string(prefix) + HmacSha256Hex(secret, body);
  if (!ConstantTimeEquals(LowerAscii(*got), expected)) {
    return Unauthenticated(std::string(header) + " does not match the payload");
  }
  return Status::Ok();
}

std::string StringAt(const Object& o, std::initializer_list<std::string_view> path) {
  const Object* cur = &o;
  for (auto step : path) {
    if (!cur->is_object()) return "";
    auto it = cur->find(step);
    if (it == cur->end()) return "";
    cur = &*it;
  }
  return cur->is_string() ? cur->get<std::string>() : "";
}

void AddUrl(PushEvent& ev, std::string url) {
  if (url.empty()) return;
  for (const auto& u : ev.repo_urls) {
    if (u == url) return;
  }
  ev.repo_urls.push_back(std::move(url));
}

void SetRef(PushEvent& ev, std::string ref) {
  ev.ref = std::move(ref);
  constexpr std::string_view kHeads = "refs/heads/", kTags = "refs/tags/";
  if (ev.ref.rfind(kHeads, 0) == 0) {
    ev.revision = ev.ref.substr(kHeads.size());
  } else if (ev.ref.rfind(kTags, 0) == 0) {
    ev.revision = ev.ref.substr(kTags.size());
    ev.is_tag = true;
  } else {
    ev.revision = ev.ref;
  }
}

// GitHub, Gitea and Gogs (and GitLab) list added/modified/removed per commit.
void CollectCommitFiles(PushEvent& ev, const Object& body) {
  auto commits = body.find("commits");
  if (commits == body.end() || !commits->is_array()) return;
  std::set<std::string> files;
  bool any_list = false;
  for (const auto& c : *commits) {
    for (const char* key : {"added", "modified", "removed"}) {
      auto it = c.find(key);
      if (it == c.end() || !it->is_array()) continue;
      any_list = true;
      for (const auto& f : *it) {
        if (f.is_string()) files.insert(f.get<std::string>());
      }
    }
  }
  // An empty commit list (e.g. a force push to an existing sha) says nothing
  // about files: treat it as "unknown" so apps are re-rendered.
  ev.has_file_list = any_list && !commits->empty();
  ev.changed_files.assign(files.begin(), files.end());
}

Result<Object> ParseJson(std::string_view body) {
  Object o = Object::parse(body, nullptr, /*allow_exceptions=*/false);
  if (o.is_discarded() || !o.is_object()) return InvalidArgument("webhook body is not a JSON object");
  return o;
}

Result<std::optional<PushEvent>> ParseGitHubLike(Provider p, const HeaderMap& headers,
                                                 std::string_view body, std::string_view event_header,
                                                 std::string_view delivery_header) {
  const std::string* event = Header(headers, event_header);
  if (!event || *event != "push") return std::optional<PushEvent>();
  ASSIGN_OR_RETURN(Object o, ParseJson(body));
  PushEvent ev;
  ev.provider = p;
  ev.event = "push";
  if (const std::string* d = Header(headers, delivery_header)) ev.delivery_id = *d;
  SetRef(ev, StringAt(o, {"ref"}));
  if (ev.is_tag) ev.event = "tag_push";
  ev.after = StringAt(o, {"after"});
  for (auto key : {"clone_url", "ssh_url", "html_url", "git_url", "url"}) {
    AddUrl(ev, StringAt(o, {"repository", key}));
  }
  if (StringAt(o, {"after"}).find_first_not_of('0') == std::string::npos && !ev.after.empty()) {
    return std::optional<PushEvent>();  // branch deleted
  }
  CollectCommitFiles(ev, o);
  return std::optional<PushEvent>(std::move(ev));
}

Result<std::optional<PushEvent>> ParseGitLab(const HeaderMap& headers, std::string_view body) {
  ASSIGN_OR_RETURN(Object o, ParseJson(body));
  std::string kind = StringAt(o, {"object_kind"});
  PushEvent ev;
  ev.provider = Provider::kGitLab;
  if (const std::string* d = Header(headers, "x-gitlab-event-uuid")) ev.delivery_id = *d;
  if (kind == "push" || kind == "tag_push") {
    ev.event = kind;
    SetRef(ev, StringAt(o, {"ref"}));
    ev.after = StringAt(o, {"after"});
    for (auto key : {"git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url", "url"}) {
      AddUrl(ev, StringAt(o, {"project", key}));
      AddUrl(ev, StringAt(o, {"repository", key}));
    }
    CollectCommitFiles(ev, o);
    return std::optional<PushEvent>(std::move(ev));
  }
  if (kind == "merge_request") {
    // A merged MR is a deploy: the target branch moved.
    std::string state = StringAt(o, {"object_attributes", "state"});
    std::string action = StringAt(o, {"object_attributes", "action"});
    if (state != "merged" && action != "merge") return std::optional<PushEvent>();
    ev.event = "merge_request_merged";
    SetRef(ev, "refs/heads/" + StringAt(o, {"object_attributes", "target_branch"}));
    ev.after = StringAt(o, {"object_attributes", "merge_commit_sha"});
    for (auto key : {"git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url"}) {
      AddUrl(ev, StringAt(o, {"project", key}));
      AddUrl(ev, StringAt(o, {"object_attributes", "target", key}));
    }
    return std::optional<PushEvent>(std::move(ev));
  }
  return std::optional<PushEvent>();
}

Result<std::optional<PushEvent>> ParseBitbucketServer(const HeaderMap& headers,
                                                      std::string_view body) {
  const std::string* key = Header(headers, "x-event-key");
  if (!key || (*key != "repo:refs_changed" && *key != "pr:merged")) {
    return std::optional<PushEvent>();
  }
  ASSIGN_OR_RETURN(Object o, ParseJson(body));
  PushEvent ev;
  ev.provider = Provider::kBitbucketServer;
  ev.event = *key == "pr:merged" ? "merge_request_merged" : "push";
  if (const std::string* d = Header(headers, "x-request-id")) ev.delivery_id = *d;
  const Object* repo = nullptr;
  if (*key == "pr:merged") {
    SetRef(ev, StringAt(o, {"pullRequest", "toRef", "id"}));
    auto pr = o.find("pullRequest");
    if (pr != o.end()) {
      auto to = pr->find("toRef");
      if (to != pr->end() && to->contains("repository")) repo = &(*to)["repository"];
    }
  } else {
    auto changes = o.find("changes");
    if (changes == o.end() || !changes->is_array() || changes->empty()) {
      return std::optional<PushEvent>();
    }
    const Object& c = (*changes)[0];
    SetRef(ev, StringAt(c, {"refId"}));
    ev.after = StringAt(c, {"toHash"});
    if (StringAt(c, {"type"}) == "DELETE") return std::optional<PushEvent>();
    if (o.contains("repository")) repo = &o["repository"];
  }
  if (repo) {
    auto links = repo->find("links");
    if (links != repo->end() && links->contains("clone") && (*links)["clone"].is_array()) {
      for (const auto& l : (*links)["clone"]) AddUrl(ev, StringAt(l, {"href"}));
    }
  }
  return std::optional<PushEvent>(std::move(ev));
}

}  // namespace

std::string_view ProviderName(Provider p) {
  switch (p) {
    case Provider::kGitHub: return "github";
    case Provider::kGitLab: return "gitlab";
    case Provider::kGitea: return "gitea";
    case Provider::kGogs: return "gogs";
    case Provider::kBitbucketServer: return "bitbucket-server";
  }
  return "unknown";
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<Provider> DetectProvider(const HeaderMap& h) {
  // Gitea also sends X-GitHub-Event and X-Gogs-Event for compatibility:
  // check the most specific first.
  if (Header(h, "x-gitea-event")) return Provider::kGitea;
  if (Header(h, "x-gogs-event")) return Provider::kGogs;
  if (Header(h, "x-github-event")) return Provider::kGitHub;
  if (Header(h, "x-gitlab-event")) return Provider::kGitLab;
  if (Header(h, "x-event-key")) return Provider::kBitbucketServer;
  return InvalidArgument(
      "unknown webhook provider (expected a GitHub, GitLab, Gitea, Gogs or Bitbucket Server "
      "event header)");
}

Status VerifySignature(Provider provider, const HeaderMap& headers, std::string_view body,
                       std::string_view secret) {
  if (secret.empty()) return Unauthenticated("no webhook secret is configured");
  switch (provider) {
    case Provider::kGitHub:
      return CheckHmac(headers, "x-hub-signature-256", "sha256=", body, secret);
    case Provider::kBitbucketServer:
      return CheckHmac(headers, "x-hub-signature", "sha256=", body, secret);
    case Provider::kGitea:
      return CheckHmac(headers, "x-gitea-signature", "", body, secret);
    case Provider::kGogs:
      return CheckHmac(headers, "x-gogs-signature", "", body, secret);
    case Provider::kGitLab: {
      const std::string* token = Header(headers, "x-gitlab-token");
      if (!token) return Unauthenticated("missing X-Gitlab-Token header");
      // Compare digests so the time does not depend on the secret's length.
      if (!ConstantTimeEquals(HmacSha256Hex("gitlab", *token), HmacSha256Hex("gitlab", secret))) {
        return Unauthenticated("X-Gitlab-Token does not match");
      }
      return Status::Ok();
    }
  }
  return Unauthenticated("unsupported provider");
}

Result<std::optional<PushEvent>> ParseEvent(Provider provider, const HeaderMap& headers,
                                            std::string_view body) {
  switch (provider) {
    case Provider::kGitHub:
      return ParseGitHubLike(provider, headers, body, "x-github-event", "x-github-delivery");
    case Provider::kGitea:
      return ParseGitHubLike(provider, headers, body, "x-gitea-event", "x-gitea-delivery");
    case Provider::kGogs:
      return ParseGitHubLike(provider, headers, body, "x-gogs-event", "x-gogs-delivery");
    case Provider::kGitLab:
      return ParseGitLab(headers, body);
    case Provider::kBitbucketServer:
      return ParseBitbucketServer(headers, body);
  }
  return InvalidArgument("unsupported provider");
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xf]);
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gitopsd::server
