#include "kubesim/controllers.h"

#include <algorithm>

#include "kubesim/crd.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {

Controllers::Controllers(ServerState& state) : state_(state) {}

Controllers::~Controllers() { Stop(); }

void Controllers::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Controllers::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  timers_.clear();
}

void Controllers::Schedule(int ms, std::function<void()> fn) {
  auto when = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, ms));
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    timers_.emplace(when, std::move(fn));
  }
  cv_.notify_all();
}

int Controllers::Scaled(double ms) const {
  double scale = state_.options.time_scale > 0 ? state_.options.time_scale : 1.0;
  return static_cast<int>(ms / scale);
}

void Controllers::Enqueue(const std::string& key, const std::string& ns, const std::string& name, int ms) {
  Schedule(ms, [this, key, ns, name] { Reconcile(key, ns, name); });
}

void Controllers::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (timers_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto next = timers_.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      cv_.wait_until(lock, next);
      continue;
    }
    std::function<void()> fn = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    lock.unlock();
    fn();
    lock.lock();
  }
}

void Controllers::Reconcile(const std::string& key, const std::string& ns, const std::string& name) {
  auto lock = state_.cluster.Lock();
  const ResourceType* type = state_.cluster.FindByKey(key);
  if (type == nullptr) return;
  const Object* obj = state_.cluster.Get(key, ns, name);
  if (obj == nullptr) return;
  Object copy = *obj;  // reconcilers may write (and so move) the stored object
  int again = -1;
  if (FindPath(copy, "metadata.deletionTimestamp") != nullptr) {
    if (type->info.kind == "Namespace" && type->info.group.empty()) {
      again = ReconcileNamespace(state_, copy);
    } else {
      again = ReconcileOwnerFinalizers(state_, *type, copy);
    }
  } else if (type->info.group == "apps" && type->info.kind == "Deployment") {
    again = ReconcileDeployment(state_, *type, copy);
  } else {
    again = ReconcileWorkload(state_, *type, copy);
  }
  if (again >= 0) Enqueue(key, ns, name, again);
}

namespace {

bool Watched(const ResourceType& t) {
  const std::string& k = t.info.kind;
  const std::string& g = t.info.group;
  if (g == "apps") return k == "Deployment" || k == "StatefulSet" || k == "DaemonSet" || k == "ReplicaSet";
  if (g == "batch") return k == "Job";
  if (g == "networking.k8s.io") return k == "Ingress";
  if (g == "autoscaling") return k == "HorizontalPodAutoscaler";
  if (g.empty()) return k == "Service" || k == "PersistentVolumeClaim";
  return false;
}

}  // namespace

void AfterWrite(ServerState& state, const ResourceType& type, const Object* old, const Object& now) {
  const std::string& name = GetString(now, "metadata.name");
  const std::string ns = type.info.namespaced ? GetString(now, "metadata.namespace") : "";
  if (type.info.group == "apiextensions.k8s.io" && type.info.kind == "CustomResourceDefinition") {
    RegisterCrd(state.cluster, now);
  }
  if (state.controllers == nullptr) return;
  bool deleting = FindPath(now, "metadata.deletionTimestamp") != nullptr;
  if (type.info.group.empty() && type.info.kind == "Namespace") {
    if (old == nullptr) CreateNamespaceDefaults(state, name);
    if (deleting) state.controllers->Enqueue(type.StorageKey(), "", name, 0);
    return;
  }
  if (deleting) {
    state.controllers->Enqueue(type.StorageKey(), ns, name, 0);
    return;
  }
  if (Watched(type)) state.controllers->Enqueue(type.StorageKey(), ns, name, 0);
}

void AfterDelete(ServerState& state, const ResourceType& type, const Object& obj) {
  if (type.info.group == "apiextensions.k8s.io" && type.info.kind == "CustomResourceDefinition") {
    std::string key = CrdStorageKey(obj);
    const ResourceType* cr = state.cluster.FindByKey(key);
    if (cr != nullptr && cr->custom) {
      ResourceType copy = *cr;
      std::vector<std::pair<std::string, std::string>> names;
      for (const Object* o : state.cluster.List(key, "")) {
        names.emplace_back(GetString(*o, "metadata.namespace"), GetString(*o, "metadata.name"));
      }
      for (const auto& [ns, name] : names) state.cluster.Remove(copy, ns, name);
      state.cluster.RemoveCustomType(key);
    }
  }
  std::string uid = GetString(obj, "metadata.uid");
  if (state.controllers != nullptr && !uid.empty()) {
    ServerState* s = &state;
    state.controllers->Schedule(0, [s, uid] {
      auto lock = s->cluster.Lock();
      CollectDependents(*s, uid);
    });
  }
}

void WriteStatus(ServerState& state, const ResourceType& type, const Object& obj, const Object& status,
                 const Object* annotations) {
  Object next = obj;
  next["status"] = status;
  if (annotations != nullptr) next["metadata"]["annotations"] = *annotations;
  WriteContext ctx;
  ctx.type = &type;
  ctx.version = type.info.version;
  ctx.manager = "kube-controller-manager";
  ctx.subresource = "status";
  next["metadata"].erase("resourceVersion");
  (void)CommitUpdate(state, ctx, obj, std::move(next));
}

Object KeepConditionTimes(const Object& old_conditions, Object conditions) {
  if (!old_conditions.is_array() || !conditions.is_array()) return conditions;
  for (auto& c : conditions) {
    for (const auto& o : old_conditions) {
      if (o.value("type", "") != c.value("type", "")) continue;
      bool same_status = o.value("status", "") == c.value("status", "");
      bool same_reason = same_status && o.value("reason", "") == c.value("reason", "") &&
                         o.value("message", "") == c.value("message", "");
      for (const char* k : {"lastTransitionTime", "lastProbeTime"}) {
        if (same_status && o.contains(k) && c.contains(k)) c[k] = o[k];
      }
      if (same_reason && o.contains("lastUpdateTime") && c.contains("lastUpdateTime")) {
        c["lastUpdateTime"] = o["lastUpdateTime"];
      }
    }
  }
  return conditions;
}

}  // namespace gitopsd::kubesim
