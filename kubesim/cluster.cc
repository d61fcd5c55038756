#include "kubesim/cluster.h"

#include <algorithm>

namespace gitopsd::kubesim {

bool ResourceType::HasSubresource(const std::string& s) const {
  return std::find(info.subresources.begin(), info.subresources.end(), s) != info.subresources.end();
}

bool ResourceType::ServesVersion(const std::string& v) const {
  return std::find(versions.begin(), versions.end(), v) != versions.end();
}

const char* EventTypeName(EventType t) {
  switch (t) {
    case EventType::kAdded: return "ADDED";
    case EventType::kModified: return "MODIFIED";
    case EventType::kDeleted: return "DELETED";
  }
  return "ERROR";
}

Cluster::Cluster() {
  for (const k8s::ResourceInfo& info : k8s::BuiltinResources()) {
    ResourceType t;
    t.info = info;
    t.versions = {info.version};
    t.list_kind = info.kind + "List";
    builtin_.push_back(std::move(t));
  }
}

const ResourceType* Cluster::FindResource(const std::string& group, const std::string& version,
                                          const std::string& plural) const {
  for (const auto& t : builtin_) {
    if (t.info.group == group && t.info.plural == plural && t.ServesVersion(version)) return &t;
  }
  auto it = custom_.find(group + "/" + plural);
  if (it != custom_.end() && it->second.ServesVersion(version)) return &it->second;
  return nullptr;
}

const ResourceType* Cluster::FindByKind(const std::string& group, const std::string& kind) const {
  for (const auto& t : builtin_) {
    if (t.info.group == group && t.info.kind == kind) return &t;
  }
  for (const auto& [key, t] : custom_) {
    if (t.info.group == group && t.info.kind == kind) return &t;
  }
  return nullptr;
}

const ResourceType* Cluster::FindByKey(const std::string& key) const {
  for (const auto& t : builtin_) {
    if (t.StorageKey() == key) return &t;
  }
  auto it = custom_.find(key);
  return it == custom_.end() ? nullptr : &it->second;
}

std::vector<const ResourceType*> Cluster::Resources() const {
  std::vector<const ResourceType*> out;
  for (const auto& t : builtin_) out.push_back(&t);
  for (const auto& [key, t] : custom_) out.push_back(&t);
  return out;
}

void Cluster::PutCustomType(ResourceType type) {
  std::string key = type.StorageKey();
  custom_[key] = std::move(type);
  ++registry_generation_;
}

void Cluster::RemoveCustomType(const std::string& key) {
  if (custom_.erase(key)) ++registry_generation_;
}

namespace {
std::string ObjKey(const std::string& ns, const std::string& name) { return ns + "/" + name; }
}  // namespace

const Object* Cluster::Get(const std::string& key, const std::string& ns, const std::string& name) const {
  auto it = objects_.find(key);
  if (it == objects_.end()) return nullptr;
  auto jt = it->second.find(ObjKey(ns, name));
  return jt == it->second.end() ? nullptr : &jt->second;
}

std::vector<const Object*> Cluster::List(const std::string& key, const std::string& ns) const {
  std::vector<const Object*> out;
  auto it = objects_.find(key);
  if (it == objects_.end()) return out;
  if (ns.empty()) {
    for (const auto& [k, obj] : it->second) out.push_back(&obj);
    return out;
  }
  std::string prefix = ns + "/";
  for (auto jt = it->second.lower_bound(prefix); jt != it->second.end(); ++jt) {
    if (jt->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(&jt->second);
  }
  return out;
}

const Object& Cluster::Put(const ResourceType& type, Object obj, bool created) {
  ++rv_;
  obj["metadata"]["resourceVersion"] = std::to_string(rv_);
  std::string ns = type.info.namespaced ? obj["metadata"].value("namespace", "") : "";
  std::string name = obj["metadata"].value("name", "");
  auto& slot = objects_[type.StorageKey()][ObjKey(ns, name)];
  StoredEvent ev;
  ev.rv = rv_;
  ev.type = created ? EventType::kAdded : EventType::kModified;
  ev.key = type.StorageKey();
  ev.ns = ns;
  ev.object = obj;
  if (!created) ev.previous = std::move(slot);
  slot = std::move(obj);
  Record(std::move(ev));
  return slot;
}

void Cluster::Remove(const ResourceType& type, const std::string& ns, const std::string& name) {
  auto it = objects_.find(type.StorageKey());
  if (it == objects_.end()) return;
  auto jt = it->second.find(ObjKey(ns, name));
  if (jt == it->second.end()) return;
  ++rv_;
  StoredEvent ev;
  ev.rv = rv_;
  ev.type = EventType::kDeleted;
  ev.key = type.StorageKey();
  ev.ns = ns;
  ev.object = std::move(jt->second);
  ev.object["metadata"]["resourceVersion"] = std::to_string(rv_);
  it->second.erase(jt);
  Record(std::move(ev));
}

void Cluster::Restore(const std::string& key, Object obj) {
  std::string ns = obj["metadata"].value("namespace", "");
  std::string name = obj["metadata"].value("name", "");
  objects_[key][ObjKey(ns, name)] = std::move(obj);
}

size_t Cluster::ObjectCount() const {
  size_t n = 0;
  for (const auto& [k, m] : objects_) n += m.size();
  return n;
}

std::vector<std::pair<std::string, const Object*>> Cluster::AllObjects() const {
  std::vector<std::pair<std::string, const Object*>> out;
  for (const auto& [k, m] : objects_) {
    for (const auto& [n, obj] : m) out.emplace_back(k, &obj);
  }
  return out;
}

void Cluster::Record(StoredEvent event) {
  history_.push_back(std::move(event));
  while (history_.size() > kHistoryLimit) {
    history_floor_ = history_.front().rv;
    history_.pop_front();
  }
  const StoredEvent& ev = history_.back();
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    if (it->second.first == ev.key && !it->second.second(ev)) {
      it = watchers_.erase(it);
    } else {
      ++it;
    }
  }
  if (listener_) listener_(ev);
}

std::vector<const StoredEvent*> Cluster::EventsSince(const std::string& key, int64_t since) const {
  std::vector<const StoredEvent*> out;
  auto it = std::upper_bound(history_.begin(), history_.end(), since,
                             [](int64_t v, const StoredEvent& e) { return v < e.rv; });
  for (; it != history_.end(); ++it) {
    if (it->key == key) out.push_back(&*it);
  }
  return out;
}

int Cluster::AddWatcher(const std::string& key, WatchSink sink) {
  int id = next_watcher_++;
  watchers_[id] = {key, std::move(sink)};
  return id;
}

void Cluster::RemoveWatcher(int id) { watchers_.erase(id); }

void Cluster::DropAllWatchers() { watchers_.clear(); }

}  // namespace gitopsd::kubesim
