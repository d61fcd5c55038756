// Internal: the per-kind defaulting functions behind kubesim/defaults.h and
// the small helpers they share.
#pragma once

#include <string_view>

#include "core/object.h"
#include "kubesim/defaults.h"

namespace gitopsd::kubesim::internal {

// Sets obj[key] = value when obj is an object without a non-null `key`.
void SetDefault(Object& obj, std::string_view key, Object value);
// obj[key] as an object, created (or replacing a null) when absent.
Object& Child(Object& obj, std::string_view key);
// The node at `key` when obj is an object and it is an object, else null.
Object* ObjectAt(Object& obj, std::string_view key);

// §9.1. `spec` is a PodSpec; restartPolicy is defaulted unless it belongs
// to a Job or CronJob template.
void DefaultPodSpec(Object& spec, bool default_restart_policy);
// A pod template: metadata.creationTimestamp: null plus DefaultPodSpec.
void DefaultPodTemplate(Object& tmpl, bool default_restart_policy);

// Per-kind functions (obj is the whole object).
void DefaultPod(Object& obj, const DefaultsContext& ctx);
void DefaultDeployment(Object& obj, const DefaultsContext& ctx);
void DefaultReplicaSet(Object& obj, const DefaultsContext& ctx);
void DefaultStatefulSet(Object& obj, const DefaultsContext& ctx);
void DefaultDaemonSet(Object& obj, const DefaultsContext& ctx);
void DefaultJob(Object& obj, const DefaultsContext& ctx);
void DefaultCronJob(Object& obj, const DefaultsContext& ctx);
void DefaultService(Object& obj, const DefaultsContext& ctx);
void DefaultSecret(Object& obj, const DefaultsContext& ctx);
void DefaultNamespace(Object& obj, const DefaultsContext& ctx);
void DefaultPersistentVolumeClaim(Object& obj, const DefaultsContext& ctx);
void DefaultIngress(Object& obj, const DefaultsContext& ctx);
void DefaultNetworkPolicy(Object& obj, const DefaultsContext& ctx);
void DefaultRoleBinding(Object& obj, const DefaultsContext& ctx);

}  // namespace gitopsd::kubesim::internal
