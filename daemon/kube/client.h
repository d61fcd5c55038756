// kube::Client: the daemon's only way to talk to a Kubernetes cluster.
//
// An interface so that tests of the layers above can use a fake; the real
// implementation (NewRestClient in rest_client.h) speaks REST over
// core/net's HttpClient. Objects are plain Object trees as the API server
// sends them. Errors: the server's Status (kind: Status) becomes a gitopsd
// Status whose code follows the HTTP code (404 NotFound, 409 AlreadyExists or
// Conflict, 401 Unauthenticated, 403 PermissionDenied, 400/422
// InvalidArgument, 410 FailedPrecondition "Gone", 429/5xx Unavailable,
// timeouts DeadlineExceeded) and whose message is the server's message
// prefixed with the call.
//
// Implementations are thread-safe: one Client is shared by every app.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"

namespace gitopsd::kube {

struct Gvk {
  std::string group;
  std::string version;
  std::string kind;

  static Gvk Of(const ResId& id) { return {id.group, id.version, id.kind}; }
  static Gvk FromApiVersion(std::string_view api_version, std::string kind);
  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  auto operator<=>(const Gvk&) const = default;
};

// One served resource, from discovery.
struct ResourceInfo {
  Gvk gvk;
  std::string resource;  // plural, e.g. "deployments"
  std::string singular;
  bool namespaced = false;
  std::vector<std::string> verbs;
  std::vector<std::string> short_names;

  bool HasVerb(std::string_view verb) const;
  // "deployments.apps" / "configmaps", as kubectl names a resource.
  std::string GroupResource() const;
};

struct ListOptions {
  std::string namespace_;  // "" = all namespaces (or cluster-scoped)
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;  // limit per request; pages are followed
};

struct ListResult {
  ObjectList items;  // each with apiVersion and kind set
  std::string resource_version;
};

struct WatchOptions {
  std::string namespace_;
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // start after this version ("" = now)
  bool allow_bookmarks = true;
  int timeout_seconds = 300;  // the server ends the stream after this
  const std::atomic<bool>* cancel = nullptr;
};

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark };
  Type type;
  Object object;
};

struct ApplyOptions {
  std::string field_manager = "gitopsd";
  bool force = true;     // take ownership of conflicting fields
  bool dry_run = false;  // dryRun=All: nothing is persisted
};

struct CreateOptions {
  std::string field_manager = "gitopsd";
  bool dry_run = false;
};

struct DeleteOptions {
  std::string propagation_policy = "Background";  // Foreground | Orphan
  bool dry_run = false;
  std::string precondition_uid;  // when set, delete only that incarnation
};

class Client {
 public:
  virtual ~Client() = default;

  // The namespace used for namespaced objects that name none.
  virtual std::string DefaultNamespace() const = 0;

  // Discovery: the resource serving a kind. Served from a cache; a miss
  // refreshes the cache once (so a new CRD is found), then NotFound.
  virtual Result<ResourceInfo> Resolve(const Gvk& gvk) = 0;
  // Every served resource (refreshing the cache).
  virtual Result<std::vector<ResourceInfo>> ServerResources() = 0;

  // GET one object. NotFound when absent.
  virtual Result<Object> Get(const ResId& id) = 0;
  // LIST with selectors; follows `continue` tokens.
  virtual Result<ListResult> List(const Gvk& gvk, const ListOptions& options) = 0;
  // Opens one watch stream and delivers events to `on_event` (return false
  // to stop) until the server ends it, the caller stops, or it is
  // cancelled. `last_resource_version` tracks the newest version seen (from
  // events and bookmarks) to resume from. A 410 Gone (answer or ERROR event)
  // returns FailedPrecondition: the caller must relist (see watch.h).
  virtual Status Watch(const Gvk& gvk, const WatchOptions& options,
                       const std::function<bool(const WatchEvent&)>& on_event,
                       std::string* last_resource_version) = 0;

  // Server-side apply (PATCH application/apply-patch+yaml); returns the
  // object the server holds (or would hold, with dry_run).
  virtual Result<Object> Apply(const Object& obj, const ApplyOptions& options) = 0;
  // POST. AlreadyExists when present.
  virtual Result<Object> Create(const Object& obj, const CreateOptions& options) = 0;
  // DELETE. NotFound when absent.
  virtual Status Delete(const ResId& id, const DeleteOptions& options) = 0;
};

}  // namespace gitopsd::kube
