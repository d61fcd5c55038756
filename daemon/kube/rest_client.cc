#include "daemon/kube/rest_client.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "core/net/http_client.h"
#include "core/net/tls.h"
#include "daemon/kube/api_status.h"
#include "daemon/kube/discovery.h"
#include "daemon/kube/exec_credential.h"

namespace gitopsd::kube {
namespace {

constexpr std::string_view kAggregatedAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json";

std::string Base64Encode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    for (int s : {18, 12, 6, 0}) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    if (i + 1 < in.size()) v |= (unsigned char)in[i + 1] << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// One REST call as the retry loop sees it.
struct Call {
  std::string method = "GET";
  std::string path;  // path + query
  std::string body;
  std::string content_type;
  std::string accept = "application/json";
  bool idempotent = true;
  const char* verb = "get";  // for ClientOptions::on_response
  std::string what;  // for messages: `GET deployments.apps "web" in namespace "shop"`
};

class Query {
 public:
  Query& Add(std::string_view key, std::string_view value) {
    if (value.empty()) return *this;
    q_ += q_.empty() ? "?" : "&";
    q_ += std::string(key) + "=" + net::QueryEscape(value);
    return *this;
  }
  const std::string& str() const { return q_; }

 private:
  std::string q_;
};

std::string Describe(const ResourceInfo& info, std::string_view name, std::string_view ns) {
  std::string s = info.GroupResource();
  if (!name.empty()) s += " \"" + std::string(name) + "\"";
  if (!ns.empty()) s += " in namespace \"" + std::string(ns) + "\"";
  return s;
}

class RestClient : public Client {
 public:
  RestClient(RestConfig config, ClientOptions options)
      : config_(std::move(config)),
        options_(std::move(options)),
        limiter_(options_.qps, options_.burst) {
    if (config_.exec) exec_ = std::make_unique<ExecCredentialProvider>(*config_.exec);
  }

  Status Init() { return SwapHttpClient(config_.tls.client_cert_pem, config_.tls.client_key_pem); }

  std::string DefaultNamespace() const override { return config_.namespace_; }
  Result<ResourceInfo> Resolve(const Gvk& gvk) override;
  Result<std::vector<ResourceInfo>> ServerResources() override;
  Result<Object> Get(const ResId& id) override;
  Result<ListResult> List(const Gvk& gvk, const ListOptions& options) override;
  Status Watch(const Gvk& gvk, const WatchOptions& options,
               const std::function<bool(const WatchEvent&)>& on_event,
               std::string* last_resource_version) override;
  Result<Object> Apply(const Object& obj, const ApplyOptions& options) override;
  Result<Object> Create(const Object& obj, const CreateOptions& options) override;
  Status Delete(const ResId& id, const DeleteOptions& options) override;

 private:
  Status SwapHttpClient(const std::string& cert, const std::string& key);
  std::shared_ptr<net::HttpClient> Http() {
    std::lock_guard lock(http_mu_);
    return http_;
  }
  Result<std::vector<net::HttpHeader>> AuthHeaders();
  net::HttpClientRequest BuildRequest(const Call& call, std::vector<net::HttpHeader> headers) const;
  Result<net::HttpClientResponse> Send(const Call& call);
  Result<Object> SendForObject(const Call& call);
  Status RefreshDiscovery();
  Result<std::vector<ResourceInfo>> LegacyDiscovery(const Object& root_doc);
  std::string CollectionPath(const ResourceInfo& info, const std::string& ns) const;
  std::string NamespaceFor(const ResourceInfo& info, const std::string& ns) const {
    if (!info.namespaced) return "";
    return ns.empty() ? config_.namespace_ : ns;
  }
  // The object with its namespace defaulted (namespaced) or dropped
  // (cluster-scoped), and where it lives.
  Result<std::pair<ResourceInfo, Object>> Prepare(const Object& obj);

  const RestConfig config_;
  const ClientOptions options_;
  RateLimiter limiter_;
  std::unique_ptr<ExecCredentialProvider> exec_;
  std::mutex http_mu_;
  std::shared_ptr<net::HttpClient> http_;
  std::string http_cert_;
  std::mutex discovery_mu_;
  std::atomic<int> discovery_generation_{0};
  DiscoveryCache discovery_;
};

Status RestClient::SwapHttpClient(const std::string& cert, const std::string& key) {
  net::HttpClientOptions hopts;
  hopts.tls = config_.tls;
  hopts.tls.client_cert_pem = cert;
  hopts.tls.client_key_pem = key;
  hopts.default_timeout = options_.timeout;
  hopts.user_agent = options_.user_agent;
  auto http = net::HttpClient::Create(hopts);
  if (!http.ok()) return http.status().WithContext("cluster " + config_.server);
  std::lock_guard lock(http_mu_);
  http_ = std::shared_ptr<net::HttpClient>(std::move(http).value());
  http_cert_ = cert;
  return Status::Ok();
}

Result<std::vector<net::HttpHeader>> RestClient::AuthHeaders() {
  std::vector<net::HttpHeader> headers;
  std::string token = config_.bearer_token;
  if (exec_) {
    auto creds = exec_->Get();
    if (!creds.ok()) return creds.status().WithContext("getting credentials for " + config_.server);
    token = creds->token;
    if (!creds->client_cert_pem.empty()) {
      bool changed;
      {
        std::lock_guard lock(http_mu_);
        changed = creds->client_cert_pem != http_cert_;
      }
      if (changed) RETURN_IF_ERROR(SwapHttpClient(creds->client_cert_pem, creds->client_key_pem));
    }
  } else if (token.empty() && !config_.token_file.empty()) {
    auto content = net::ReadFileToString(config_.token_file);
    if (!content.ok()) return content.status().WithContext("reading tokenFile " + config_.token_file);
    token = Trim(*content);
  }
  if (!token.empty()) {
    headers.push_back({"Authorization", "Bearer " + token});
  } else if (!config_.username.empty()) {
    headers.push_back(
        {"Authorization", "Basic " + Base64Encode(config_.username + ":" + config_.password)});
  }
  return headers;
}

net::HttpClientRequest RestClient::BuildRequest(const Call& call,
                                                std::vector<net::HttpHeader> headers) const {
  net::HttpClientRequest req;
  req.method = call.method;
  req.url = config_.server + call.path;
  req.headers = std::move(headers);
  req.headers.push_back({"Accept", call.accept});
  if (!call.content_type.empty()) req.headers.push_back({"Content-Type", call.content_type});
  req.body = call.body;
  req.timeout = options_.timeout;
  return req;
}

Result<net::HttpClientResponse> RestClient::Send(const Call& call) {
  bool reauthenticated = false;
  for (int attempt = 0;; ++attempt) {
    limiter_.Wait();
    ASSIGN_OR_RETURN(auto headers, AuthHeaders());
    auto resp = Http()->Do(BuildRequest(call, std::move(headers)));
    if (options_.on_response) options_.on_response(call.verb, resp.ok() ? resp->status : 0);
    const bool can_retry = attempt < options_.retry.max_retries;
    if (!resp.ok()) {
      Code code = resp.status().code();
      bool transient = code == Code::kUnavailable || code == Code::kDeadlineExceeded;
      if (transient && call.idempotent && can_retry) {
        std::this_thread::sleep_for(RetryDelay(options_.retry, attempt + 1, ""));
        continue;
      }
      return resp.status().WithContext(call.what);
    }
    const int status = resp->status;
    if (status == 401 && exec_ && !reauthenticated) {
      exec_->Invalidate();  // the plugin's token was revoked early: ask again once
      reauthenticated = true;
      continue;
    }
    bool retryable = status == 429 || (call.idempotent && status >= 500 && status != 501);
    if (retryable && can_retry) {
      auto delay = RetryDelay(options_.retry, attempt + 1, resp->Header("retry-after"));
      log::Debug("kube", "retrying", {{"call", call.what}, {"status", status},
                                      {"delay_ms", static_cast<long long>(delay.count())}});
      std::this_thread::sleep_for(delay);
      continue;
    }
    if (status / 100 != 2) return ApiError(status, resp->body, call.what);
    return resp;
  }
}

Result<Object> RestClient::SendForObject(const Call& call) {
  ASSIGN_OR_RETURN(auto resp, Send(call));
  Object obj = Object::parse(resp.body, nullptr, false);
  if (obj.is_discarded()) return Internal(call.what + ": the server's answer is not JSON");
  return obj;
}

Result<std::vector<ResourceInfo>> RestClient::LegacyDiscovery(const Object& root_doc) {
  std::vector<ResourceInfo> out;
  for (const std::string& gv : ParseLegacyGroupVersions(root_doc)) {
    Call call;
    call.verb = "discovery";
    call.path = (gv.find('/') == std::string::npos ? "/api/" : "/apis/") + gv;
    call.what = "discovery of " + gv;
    auto doc = SendForObject(call);
    if (!doc.ok()) {  // one broken aggregated API must not hide the others
      log::Warn("kube", "discovery failed for a group version",
                {{"group_version", gv}, {"error", doc.status().ToString()}});
      continue;
    }
    auto resources = ParseApiResourceList(*doc);
    if (!resources.ok()) return resources.status().WithContext(call.what);
    out.insert(out.end(), resources->begin(), resources->end());
  }
  return out;
}

Status RestClient::RefreshDiscovery() {
  std::vector<ResourceInfo> all;
  for (const char* root : {"/api", "/apis"}) {
    Call call;
    call.verb = "discovery";
    call.path = root;
    call.accept = std::string(kAggregatedAccept);
    call.what = std::string("discovery GET ") + root;
    auto resp = Send(call);
    if (!resp.ok()) {
      if (resp.status().code() == Code::kNotFound && std::string_view(root) == "/api") continue;
      return resp.status();
    }
    Object doc = Object::parse(resp->body, nullptr, false);
    if (doc.is_discarded()) return Internal(call.what + ": the answer is not JSON");
    bool aggregated = resp->Header("content-type").find("APIGroupDiscoveryList") !=
                          std::string::npos ||
                      GetString(doc, "kind") == "APIGroupDiscoveryList";
    auto resources = aggregated ? ParseAggregatedDiscovery(doc) : LegacyDiscovery(doc);
    if (!resources.ok()) return resources.status().WithContext(call.what);
    all.insert(all.end(), resources->begin(), resources->end());
  }
  discovery_.Reset(std::move(all));
  return Status::Ok();
}

Result<ResourceInfo> RestClient::Resolve(const Gvk& gvk) {
  if (auto hit = discovery_.Find(gvk)) return *hit;
  const int seen_generation = discovery_generation_.load();
  {
    std::lock_guard lock(discovery_mu_);
    if (discovery_generation_.load() == seen_generation) {  // nobody refreshed meanwhile
      RETURN_IF_ERROR(RefreshDiscovery());
      ++discovery_generation_;
    }
  }
  if (auto hit = discovery_.Find(gvk)) return *hit;
  return NotFound("no matches for kind \"" + gvk.kind + "\" in version \"" + gvk.ApiVersion() +
                  "\" (the server does not serve it)");
}

Result<std::vector<ResourceInfo>> RestClient::ServerResources() {
  std::lock_guard lock(discovery_mu_);
  RETURN_IF_ERROR(RefreshDiscovery());
  ++discovery_generation_;
  return discovery_.All();
}

std::string RestClient::CollectionPath(const ResourceInfo& info, const std::string& ns) const {
  std::string p = info.gvk.group.empty() ? "/api/" + info.gvk.version
                                         : "/apis/" + info.gvk.group + "/" + info.gvk.version;
  if (info.namespaced && !ns.empty()) p += "/namespaces/" + ns;
  return p + "/" + info.resource;
}

Result<Object> RestClient::Get(const ResId& id) {
  ASSIGN_OR_RETURN(ResourceInfo info, Resolve(Gvk::Of(id)));
  std::string ns = NamespaceFor(info, id.namespace_);
  Call call;
  call.path = CollectionPath(info, ns) + "/" + id.name;
  call.what = "GET " + Describe(info, id.name, ns);
  return SendForObject(call);
}

Result<ListResult> RestClient::List(const Gvk& gvk, const ListOptions& options) {
  ASSIGN_OR_RETURN(ResourceInfo info, Resolve(gvk));
  std::string ns = info.namespaced ? options.namespace_ : "";
  ListResult result;
  std::string continue_token;
  do {
    Call call;
    call.verb = "list";
    call.path = CollectionPath(info, ns) + Query()
                                               .Add("labelSelector", options.label_selector)
                                               .Add("fieldSelector", options.field_selector)
                                               .Add("limit", options.page_size > 0
                                                                 ? std::to_string(options.page_size)
                                                                 : "")
                                               .Add("continue", continue_token)
                                               .str();
    call.what = "LIST " + Describe(info, "", ns);
    ASSIGN_OR_RETURN(Object page, SendForObject(call));
    if (const Object* items = FindPath(page, "items"); items != nullptr && items->is_array()) {
      for (const auto& item : *items) {
        Object obj = item;
        if (!obj.contains("apiVersion")) obj["apiVersion"] = gvk.ApiVersion();
        if (!obj.contains("kind")) obj["kind"] = gvk.kind;
        result.items.push_back(std::move(obj));
      }
    }
    result.resource_version = GetString(page, "metadata.resourceVersion");
    continue_token = GetString(page, "metadata.continue");
  } while (!continue_token.empty());
  return result;
}

Result<std::pair<ResourceInfo, Object>> RestClient::Prepare(const Object& obj) {
  ResId id = ResId::Of(obj);
  if (id.kind.empty() || id.version.empty() || id.name.empty()) {
    return InvalidArgument("object " + id.ToString() + " lacks apiVersion, kind or metadata.name");
  }
  ASSIGN_OR_RETURN(ResourceInfo info, Resolve(Gvk::Of(id)));
  Object body = obj;
  if (info.namespaced) {
    if (id.namespace_.empty()) body["metadata"]["namespace"] = config_.namespace_;
  } else if (body["metadata"].contains("namespace")) {
    body["metadata"].erase("namespace");
  }
  return std::make_pair(std::move(info), std::move(body));
}

Result<Object> RestClient::Apply(const Object& obj, const ApplyOptions& options) {
  ASSIGN_OR_RETURN(auto prepared, Prepare(obj));
  auto& [info, body] = prepared;
  std::string ns = NamespaceOf(body);
  Call call;
  call.method = "PATCH";
  call.verb = "apply";
  call.path = CollectionPath(info, ns) + "/" + NameOf(body) +
              Query()
                  .Add("fieldManager", options.field_manager)
                  .Add("force", options.force ? "true" : "false")
                  .Add("dryRun", options.dry_run ? "All" : "")
                  .str();
  call.content_type = "application/apply-patch+yaml";
  call.body = body.dump();  // JSON is YAML
  call.idempotent = true;   // applying the same configuration twice is a no-op
  call.what = std::string(options.dry_run ? "dry-run " : "") + "apply " +
              Describe(info, NameOf(body), ns);
  return SendForObject(call);
}

Result<Object> RestClient::Create(const Object& obj, const CreateOptions& options) {
  ASSIGN_OR_RETURN(auto prepared, Prepare(obj));
  auto& [info, body] = prepared;
  std::string ns = NamespaceOf(body);
  Call call;
  call.method = "POST";
  call.verb = "create";
  call.path = CollectionPath(info, ns) + Query()
                                             .Add("fieldManager", options.field_manager)
                                             .Add("dryRun", options.dry_run ? "All" : "")
                                             .str();
  call.content_type = "application/json";
  call.body = body.dump();
  call.idempotent = false;
  call.what = "create " + Describe(info, NameOf(body), ns);
  return SendForObject(call);
}

Status RestClient::Delete(const ResId& id, const DeleteOptions& options) {
  ASSIGN_OR_RETURN(ResourceInfo info, Resolve(Gvk::Of(id)));
  std::string ns = NamespaceFor(info, id.namespace_);
  Object body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
  if (options.dry_run) body["dryRun"] = Object::array({"All"});
  if (!options.precondition_uid.empty()) body["preconditions"] = {{"uid", options.precondition_uid}};
  Call call;
  call.method = "DELETE";
  call.verb = "delete";
  call.path = CollectionPath(info, ns) + "/" + id.name;
  call.content_type = "application/json";
  call.body = body.dump();
  call.idempotent = true;
  call.what = "delete " + Describe(info, id.name, ns);
  return Send(call).status();
}

// Splits a watch stream into lines and decodes events.
class WatchDecoder {
 public:
  WatchDecoder(const std::function<bool(const WatchEvent&)>& on_event, std::string* last_rv,
               std::string what)
      : on_event_(on_event), last_rv_(last_rv), what_(std::move(what)) {}

  // False to stop reading (caller stopped or an error was recorded).
  bool Feed(std::string_view data) {
    pending_.append(data);
    size_t start = 0;
    for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      if (!Line(std::string_view(pending_).substr(start, nl - start))) {
        pending_.clear();
        return false;
      }
    }
    pending_.erase(0, start);
    return true;
  }
  const Status& error() const { return error_; }

 private:
  bool Line(std::string_view line) {
    if (line.empty() || line == "\r") return true;
    Object ev = Object::parse(line, nullptr, false);
    if (ev.is_discarded() || !ev.is_object()) {
      error_ = Internal(what_ + ": undecodable watch event");
      return false;
    }
    std::string type = GetString(ev, "type");
    const Object& obj = ev["object"];
    if (type == "ERROR") {
      int code = obj.contains("code") && obj["code"].is_number() ? obj["code"].get<int>() : 500;
      error_ = ApiError(code, obj.dump(), what_);
      return false;
    }
    WatchEvent event;
    if (type == "ADDED") {
      event.type = WatchEvent::Type::kAdded;
    } else if (type == "MODIFIED") {
      event.type = WatchEvent::Type::kModified;
    } else if (type == "DELETED") {
      event.type = WatchEvent::Type::kDeleted;
    } else if (type == "BOOKMARK") {
      event.type = WatchEvent::Type::kBookmark;
    } else {
      return true;  // unknown event types are skipped
    }
    std::string rv = GetString(obj, "metadata.resourceVersion");
    if (!rv.empty()) *last_rv_ = rv;
    event.object = obj;
    return on_event_(event);
  }

  const std::function<bool(const WatchEvent&)>& on_event_;
  std::string* last_rv_;
  std::string what_;
  std::string pending_;
  Status error_;
};

Status RestClient::Watch(const Gvk& gvk, const WatchOptions& options,
                         const std::function<bool(const WatchEvent&)>& on_event,
                         std::string* last_resource_version) {
  ASSIGN_OR_RETURN(ResourceInfo info, Resolve(gvk));
  std::string ns = info.namespaced ? options.namespace_ : "";
  std::string what = "WATCH " + Describe(info, "", ns);
  std::string local_rv = options.resource_version;
  std::string* last_rv = last_resource_version != nullptr ? last_resource_version : &local_rv;
  if (last_rv->empty()) *last_rv = options.resource_version;
  Call call;
  call.verb = "watch";
  call.path = CollectionPath(info, ns) +
              Query()
                  .Add("watch", "true")
                  .Add("allowWatchBookmarks", options.allow_bookmarks ? "true" : "")
                  .Add("resourceVersion", options.resource_version)
                  .Add("timeoutSeconds", std::to_string(options.timeout_seconds))
                  .Add("labelSelector", options.label_selector)
                  .Add("fieldSelector", options.field_selector)
                  .str();
  limiter_.Wait();
  ASSIGN_OR_RETURN(auto headers, AuthHeaders());
  WatchDecoder decoder(on_event, last_rv, what);
  net::StreamOptions so;
  so.cancel = options.cancel;
  // The server ends the stream after timeoutSeconds; a silent stream well
  // past that is dead.
  so.idle_timeout = std::chrono::seconds(options.timeout_seconds + 30);
  auto resp = Http()->Stream(BuildRequest(call, std::move(headers)),
                             [&](std::string_view data) { return decoder.Feed(data); }, so);
  if (options_.on_response) options_.on_response(call.verb, resp.ok() ? resp->status : 0);
  if (!resp.ok()) return resp.status().WithContext(what);
  if (resp->status / 100 != 2) return ApiError(resp->status, resp->body, what);
  return decoder.error();
}

}  // namespace

Result<std::unique_ptr<Client>> NewRestClient(RestConfig config, ClientOptions options) {
  if (config.server.empty()) return InvalidArgument("no API server address configured");
  auto client = std::make_unique<RestClient>(std::move(config), std::move(options));
  RETURN_IF_ERROR(client->Init());
  return std::unique_ptr<Client>(std::move(client));
}

}  // namespace gitopsd::kube
