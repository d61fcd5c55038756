// Internal: the fake controllers that make health observable (§12): the
// Deployment controller (progressing -> available, crashloop images ->
// ProgressDeadlineExceeded), StatefulSets, DaemonSets, Jobs, LoadBalancer
// Services, Ingresses, PVCs; and the lifecycle controllers: garbage
// collection by ownerReferences, foreground/orphan finalizers, namespace
// termination, CRD cleanup, per-namespace default objects.
//
// Threading: one timer thread runs every reconcile; reconciles take the
// cluster lock themselves. AfterWrite/AfterDelete are called by the write
// pipeline with the lock held and only queue work. Controllers write status
// as manager kube-controller-manager and only when it changes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "kubesim/state.h"

namespace gitopsd::kubesim {

class Controllers {
 public:
  explicit Controllers(ServerState& state);
  ~Controllers();
  void Start();
  void Stop();

  // Runs `fn` on the controller thread after `ms` milliseconds (thread-safe).
  void Schedule(int ms, std::function<void()> fn);
  // Milliseconds of simulated time `ms`, divided by the time scale.
  int Scaled(double ms) const;

  // Queue a reconcile of object (key, ns, name) after `ms` (thread-safe).
  void Enqueue(const std::string& key, const std::string& ns, const std::string& name, int ms);

  // Per-Deployment progress (keyed by uid); used by the deployment controller.
  struct Rollout {
    int64_t generation = 0;
    std::string hash;
    int revision = 0;
    std::chrono::steady_clock::time_point started;
  };
  std::unordered_map<std::string, Rollout>& rollouts() { return rollouts_; }

 private:
  void Run();
  void Reconcile(const std::string& key, const std::string& ns, const std::string& name);

  ServerState& state_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers_;
  bool stop_ = false;
  std::thread thread_;
  std::unordered_map<std::string, Rollout> rollouts_;  // guarded by the cluster lock
};

// Hooks of the write pipeline (cluster lock held).
void AfterWrite(ServerState& state, const ResourceType& type, const Object* old, const Object& now);
void AfterDelete(ServerState& state, const ResourceType& type, const Object& obj);

// Reconcilers (cluster lock held). Return milliseconds until they want to
// run again, or -1.
int ReconcileDeployment(ServerState& state, const ResourceType& type, const Object& obj);
int ReconcileWorkload(ServerState& state, const ResourceType& type, const Object& obj);
int ReconcileNamespace(ServerState& state, const Object& ns);
int ReconcileOwnerFinalizers(ServerState& state, const ResourceType& type, const Object& obj);
void CollectDependents(ServerState& state, const std::string& owner_uid);
void CreateNamespaceDefaults(ServerState& state, const std::string& ns);

// Writes `status` through the status subresource as kube-controller-manager
// (no-op when unchanged). `annotations` (if not null) replaces them too.
void WriteStatus(ServerState& state, const ResourceType& type, const Object& obj, const Object& status,
                 const Object* annotations = nullptr);
// Copies lastTransitionTime/lastUpdateTime of unchanged conditions from
// `old_conditions` so rewriting the same conditions is a no-op.
Object KeepConditionTimes(const Object& old_conditions, Object conditions);
// Sets status[key] = n, leaving zero counts out as the real controllers do.
void PutCount(Object& status, const char* key, int64_t n);
// True when one of obj's ownerReferences has `uid`.
bool OwnedBy(const Object& obj, const std::string& uid);

}  // namespace gitopsd::kubesim
