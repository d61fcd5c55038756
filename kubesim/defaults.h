// API defaulting and generation rules of the simulated API server
// (kube-api-contract §9 and §7.2), so objects read back look like a real
// cluster's: `kubectl diff`, the daemon's diff and health see the same
// server-filled fields.
//
// ApplyDefaults() is idempotent and runs on create and after every update,
// patch and apply (a default of a removed field comes back). It dispatches
// on apiVersion/kind through a registry of per-kind functions
// (kubesim/defaults_*.cc); unknown kinds are left alone. Pure functions,
// thread-safe; the only effects are the optional allocation hooks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/object.h"
#include "kubesim/ssa.h"

namespace gitopsd::kubesim {

struct DefaultsContext {
  // The stored object on updates (null on create). Service cluster IPs and
  // node ports the write omits are carried over from it (they are
  // immutable once allocated).
  const Object* old_obj = nullptr;
  // Service allocation, owned by the server (which knows what is taken).
  // Null hooks leave `clusterIP` / `nodePort` unset.
  std::function<std::string()> allocate_cluster_ip;  // "10.96.12.34"
  std::function<int64_t()> allocate_node_port;       // 30000-32767
};

// Fills the defaults of §9 for `obj`'s kind:
//   pod templates (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
//   CronJob) and Pods: §9.1; Deployment, ReplicaSet: §9.2; Service: §9.3
//   (via the hooks); Secret, Namespace: §9.4 (Secret `stringData` is folded
//   into base64 `data` and dropped); StatefulSet, DaemonSet, Job, CronJob:
//   §9.5 (the Job selector and labels need metadata.uid, so set it before);
//   Ingress, RBAC bindings, PVC, NetworkPolicy: §9.6 and upstream.
// Initial `status` values of §7.6 are filled when `status` is absent.
void ApplyDefaults(Object& obj, const DefaultsContext& context = {});

// Whether objects of this kind carry metadata.generation (1 on create):
// the kinds of §7.2 plus every custom resource (kinds that are not built in).
bool TracksGeneration(const Object& obj);

// Whether a write from `old_obj` to `new_obj` bumps metadata.generation
// (§7.2): Deployment on spec or annotation changes; other workloads,
// Ingress, NetworkPolicy, PodDisruptionBudget, CRD on spec changes; custom
// resources on any non-metadata change (status excluded when it is a
// subresource); never for /status writes, never for kinds without
// generation, never for no-op writes.
bool BumpsGeneration(const Object& old_obj, const Object& new_obj, const WriteScope& scope = {});

}  // namespace gitopsd::kubesim
