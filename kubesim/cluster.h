// The simulated cluster's state: the resource registry (built-in kinds plus
// CRD-defined ones), the object store with one global resourceVersion
// counter, the watch-event history and the registered watchers.
//
// Threading: one mutex (`mu()`) guards everything. Callers take it with
// Lock() and call the other methods while holding it; no method blocks or
// does I/O. Watcher sinks are called with the lock held and must only queue
// (HttpResponder::Write posts to the connection's strand).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/k8s_schema.h"
#include "core/object.h"

namespace gitopsd::kubesim {

// One served resource (all versions of a group/plural share storage).
struct ResourceType {
  k8s::ResourceInfo info;            // version = preferred/storage version
  std::vector<std::string> versions; // served versions, preferred first
  std::string list_kind;
  bool custom = false;
  std::string crd_name;              // custom resources: the CRD's name
  Object crd;                        // custom resources: the CRD object

  std::string StorageKey() const { return info.group + "/" + info.plural; }
  bool HasSubresource(const std::string& s) const;
  bool ServesVersion(const std::string& v) const;
  std::string ApiVersion(const std::string& version) const {
    return info.group.empty() ? version : info.group + "/" + version;
  }
};

enum class EventType { kAdded, kModified, kDeleted };
const char* EventTypeName(EventType t);

struct StoredEvent {
  int64_t rv = 0;
  EventType type = EventType::kAdded;
  std::string key;        // storage key of the resource
  std::string ns;
  Object object;          // new state (DELETED: last state with the deletion rv)
  Object previous;        // MODIFIED: the state before (for selector transitions)
};

// Receives events for one watch. Returns false to be unregistered.
using WatchSink = std::function<bool(const StoredEvent&)>;

class Cluster {
 public:
  Cluster();

  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mu_); }

  // --- registry ---
  const ResourceType* FindResource(const std::string& group, const std::string& version,
                                   const std::string& plural) const;
  const ResourceType* FindByKind(const std::string& group, const std::string& kind) const;
  const ResourceType* FindByKey(const std::string& key) const;
  // Served resources in discovery order (built-in first, then CRDs by name).
  std::vector<const ResourceType*> Resources() const;
  // Registers or replaces a custom resource type (keyed by group/plural).
  void PutCustomType(ResourceType type);
  void RemoveCustomType(const std::string& key);
  // Bumped on every registry change (discovery/OpenAPI hashes).
  int64_t registry_generation() const { return registry_generation_; }

  // --- objects ---
  const Object* Get(const std::string& key, const std::string& ns, const std::string& name) const;
  // Objects of a resource (ns "" = all), sorted by namespace/name.
  std::vector<const Object*> List(const std::string& key, const std::string& ns) const;
  // Persists `obj` (sets metadata.resourceVersion to the next revision) and
  // records/broadcasts the event. Returns the stored object.
  const Object& Put(const ResourceType& type, Object obj, bool created);
  // Deletes and broadcasts DELETED. No-op when absent.
  void Remove(const ResourceType& type, const std::string& ns, const std::string& name);
  // Loads an object as is (state file restore): no event, no rv change.
  void Restore(const std::string& key, Object obj);
  size_t ObjectCount() const;
  // Every stored object of every resource (for the state file).
  std::vector<std::pair<std::string, const Object*>> AllObjects() const;

  int64_t rv() const { return rv_; }
  void set_rv(int64_t rv) { rv_ = rv; }

  // --- watch ---
  // The oldest revision still fully in history (events with rv > this are
  // all kept).
  int64_t HistoryFloor() const { return history_floor_; }
  // Forgets the history (after a restore): watches from older revisions
  // get 410 Expired.
  void ResetHistory() {
    history_.clear();
    history_floor_ = rv_;
  }
  // Events of `key` with rv > since, in order.
  std::vector<const StoredEvent*> EventsSince(const std::string& key, int64_t since) const;
  int AddWatcher(const std::string& key, WatchSink sink);
  void RemoveWatcher(int id);
  size_t WatcherCount() const { return watchers_.size(); }
  void DropAllWatchers();

  // Called (with the lock held) after every persisted change.
  void SetChangeListener(std::function<void(const StoredEvent&)> listener) {
    listener_ = std::move(listener);
  }

  static constexpr size_t kHistoryLimit = 50000;

 private:
  void Record(StoredEvent event);

  std::mutex mu_;
  int64_t rv_ = 1;
  int64_t registry_generation_ = 1;
  std::vector<ResourceType> builtin_;
  std::map<std::string, ResourceType> custom_;
  std::unordered_map<std::string, std::map<std::string, Object>> objects_;
  std::deque<StoredEvent> history_;
  int64_t history_floor_ = 1;
  std::map<int, std::pair<std::string, WatchSink>> watchers_;
  int next_watcher_ = 1;
  std::function<void(const StoredEvent&)> listener_;
};

}  // namespace gitopsd::kubesim
