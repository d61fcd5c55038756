// The Deployment controller (§12.1): on every generation change, after the
// controller delay, the progressing status and revision annotation; after
// the ready delay, the available status; with a `crashloop` image, never
// available and ProgressDeadlineExceeded after progressDeadlineSeconds
// (scaled by --time-scale). Also keeps the ReplicaSet <name>-<hash> (owned by
// the Deployment, label pod-template-hash, revision annotation) with its
// Pods (Running and Ready, or CrashLoopBackOff for a crashloop image), and
// scales older ReplicaSets of the Deployment to zero.
#include <chrono>
#include <map>
#include <vector>

#include "kubesim/controllers.h"
#include "kubesim/util.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

using Clock = std::chrono::steady_clock;

bool HasCrashloopImage(const Object& spec) {
  for (const char* list : {"template.spec.containers", "template.spec.initContainers"}) {
    const Object* cs = FindPath(spec, list);
    if (cs == nullptr || !cs->is_array()) continue;
    for (const auto& c : *cs) {
      if (c.is_object() && c.value("image", "").find("crashloop") != std::string::npos) return true;
    }
  }
  return false;
}

Object Cond(const std::string& type, const std::string& status, const std::string& reason, const std::string& msg) {
  std::string t = NowRfc3339();
  return Object{{"type", type}, {"status", status}, {"lastUpdateTime", t}, {"lastTransitionTime", t},
                {"reason", reason}, {"message", msg}};
}


Object OwnerRef(const std::string& api_version, const std::string& kind, const Object& owner) {
  return Object{{"apiVersion", api_version},          {"kind", kind},
                {"name", GetString(owner, "metadata.name")}, {"uid", GetString(owner, "metadata.uid")},
                {"controller", true},                  {"blockOwnerDeletion", true}};
}

// A Pod of `rs` (its status comes from PodStatus).
Object PodFor(const Object& rs, const std::string& name) {
  const Object* tmpl = FindPath(rs, "spec.template");
  Object pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  pod["metadata"] = tmpl != nullptr && tmpl->contains("metadata") ? (*tmpl)["metadata"] : Object::object();
  pod["metadata"]["name"] = name;
  pod["metadata"]["namespace"] = GetString(rs, "metadata.namespace");
  pod["metadata"]["ownerReferences"] = Object::array({OwnerRef("apps/v1", "ReplicaSet", rs)});
  pod["spec"] = tmpl != nullptr && tmpl->contains("spec") ? (*tmpl)["spec"] : Object::object();
  pod["spec"]["nodeName"] = "kubesim-node";
  return pod;
}

// The kubelet's status of a Pod: Running and Ready, or, with a crashloop
// image, waiting in CrashLoopBackOff.
Object PodStatus(const Object& pod, bool crash) {
  std::string t = NowRfc3339();
  std::string ready = crash ? "False" : "True";
  Object statuses = Object::array();
  if (const Object* cs = FindPath(pod, "spec.containers"); cs != nullptr && cs->is_array()) {
    for (const auto& c : *cs) {
      Object st = {{"name", c.value("name", "")}, {"image", c.value("image", "")}, {"ready", !crash},
                   {"restartCount", crash ? 3 : 0}, {"started", !crash}};
      if (crash) {
        st["state"] = {{"waiting", {{"reason", "CrashLoopBackOff"},
                                    {"message", "back-off 40s restarting failed container"}}}};
      } else {
        st["state"] = {{"running", {{"startedAt", t}}}};
      }
      statuses.push_back(std::move(st));
    }
  }
  Object cond = Object::array();
  for (const char* type : {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    std::string s = std::string(type) == "Ready" || std::string(type) == "ContainersReady" ? ready : "True";
    cond.push_back({{"type", type}, {"status", s}, {"lastTransitionTime", t}});
  }
  return Object{{"phase", "Running"}, {"conditions", cond}, {"containerStatuses", statuses},
                {"hostIP", "10.0.0.10"}, {"podIP", "10.244.0." + std::to_string(1 + std::hash<std::string>{}(GetString(pod, "metadata.name")) % 250)},
                {"startTime", t}, {"qosClass", "BestEffort"}};
}

// The ReplicaSet <name>-<hash> of the current template with `replicas` Pods;
// the Deployment's older ReplicaSets scaled to zero and their Pods removed.
void SyncReplicaSets(ServerState& state, const Object& dep, const std::string& hash, int64_t revision,
                     int64_t replicas, bool crash) {
  const ResourceType* rs_type = state.cluster.FindResource("apps", "v1", "replicasets");
  const ResourceType* pod_type = state.cluster.FindResource("", "v1", "pods");
  if (rs_type == nullptr || pod_type == nullptr) return;
  const std::string ns = GetString(dep, "metadata.namespace");
  const std::string uid = GetString(dep, "metadata.uid");
  const std::string rs_name = GetString(dep, "metadata.name") + "-" + hash;
  WriteContext ctx;
  ctx.manager = "kube-controller-manager";
  ctx.version = "v1";

  // Older ReplicaSets of this Deployment: scaled down, Pods gone.
  std::vector<Object> old_sets;
  for (const Object* o : state.cluster.List(rs_type->StorageKey(), ns)) {
    if (OwnedBy(*o, uid) && GetString(*o, "metadata.name") != rs_name) old_sets.push_back(*o);
  }
  std::map<std::string, std::vector<Object>> pods_of;  // ReplicaSet uid -> pods
  for (const Object* p : state.cluster.List(pod_type->StorageKey(), ns)) {
    const Object* refs = FindPath(*p, "metadata.ownerReferences");
    if (refs != nullptr && refs->is_array() && !refs->empty()) pods_of[(*refs)[0].value("uid", "")].push_back(*p);
  }
  ctx.type = pod_type;
  for (const Object& old : old_sets) {
    for (const Object& p : pods_of[GetString(old, "metadata.uid")]) (void)CommitDelete(state, ctx, p, "Background");
    if (FindPath(old, "spec.replicas") != nullptr && old["spec"].value("replicas", int64_t{0}) != 0) {
      Object next = old;
      next["spec"]["replicas"] = 0;
      next["metadata"].erase("resourceVersion");
      ctx.type = rs_type;
      (void)CommitUpdate(state, ctx, old, std::move(next));
      ctx.type = pod_type;
    }
  }

  // The current ReplicaSet.
  Object tmpl = FindPath(dep, "spec.template") != nullptr ? dep["spec"]["template"] : Object::object();
  tmpl["metadata"]["labels"]["pod-template-hash"] = hash;
  Object selector = FindPath(dep, "spec.selector") != nullptr ? dep["spec"]["selector"] : Object::object();
  selector["matchLabels"]["pod-template-hash"] = hash;
  Object rs = {{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}};
  rs["metadata"] = {{"name", rs_name}, {"namespace", ns}, {"labels", tmpl["metadata"]["labels"]},
                    {"annotations", {{"deployment.kubernetes.io/revision", std::to_string(revision)},
                                     {"deployment.kubernetes.io/desired-replicas", std::to_string(replicas)},
                                     {"deployment.kubernetes.io/max-replicas", std::to_string(replicas + 1)}}},
                    {"ownerReferences", Object::array({OwnerRef("apps/v1", "Deployment", dep)})}};
  rs["spec"] = {{"replicas", replicas}, {"selector", selector}, {"template", tmpl}};
  ctx.type = rs_type;
  const Object* stored = state.cluster.Get(rs_type->StorageKey(), ns, rs_name);
  Object current;
  if (stored == nullptr) {
    WriteResult w = CommitCreate(state, ctx, rs);
    if (w.error) return;
    stored = state.cluster.Get(rs_type->StorageKey(), ns, rs_name);
    if (stored == nullptr) return;
    current = *stored;
  } else {
    current = *stored;
    if (current["spec"].value("replicas", int64_t{-1}) != replicas ||
        GetString(current, "metadata.annotations.deployment\\.kubernetes\\.io/revision") != std::to_string(revision)) {
      Object next = current;
      next["spec"]["replicas"] = replicas;
      next["metadata"]["annotations"] = rs["metadata"]["annotations"];
      next["metadata"].erase("resourceVersion");
      (void)CommitUpdate(state, ctx, current, std::move(next));
      if (const Object* again = state.cluster.Get(rs_type->StorageKey(), ns, rs_name)) current = *again;
    }
  }

  // Its Pods: as many as wanted, each with the kubelet's status.
  ctx.type = pod_type;
  std::vector<Object> pods = pods_of[GetString(current, "metadata.uid")];
  for (size_t i = static_cast<size_t>(std::max<int64_t>(replicas, 0)); i < pods.size(); ++i) {
    (void)CommitDelete(state, ctx, pods[i], "Background");
  }
  for (int64_t i = static_cast<int64_t>(pods.size()); i < replicas; ++i) {
    Object pod = PodFor(current, rs_name + "-" + RandomSuffix(5));
    WriteResult w = CommitCreate(state, ctx, pod);
    if (w.error) continue;
    const Object* created = state.cluster.Get(pod_type->StorageKey(), ns, GetString(pod, "metadata.name"));
    if (created != nullptr) WriteStatus(state, *pod_type, *created, PodStatus(*created, crash));
  }
}

}  // namespace

int ReconcileDeployment(ServerState& state, const ResourceType& type, const Object& obj) {
  Controllers& c = *state.controllers;
  std::string uid = GetString(obj, "metadata.uid");
  std::string name = GetString(obj, "metadata.name");
  int64_t gen = obj["metadata"].value("generation", int64_t{1});
  const Object spec = obj.contains("spec") ? obj["spec"] : Object::object();
  int64_t replicas = spec.value("replicas", int64_t{1});
  std::string hash = ShortHash(spec.contains("template") ? spec["template"] : Object());
  const Object old_status = obj.contains("status") ? obj["status"] : Object::object();
  Controllers::Rollout& r = c.rollouts()[uid];
  if (r.generation != gen) {
    if (r.hash != hash) {
      r.hash = hash;
      std::string rev = GetString(obj, "metadata.annotations.deployment\\.kubernetes\\.io/revision");
      const Object* ann = FindPath(obj, "metadata.annotations");
      if (ann != nullptr && ann->contains("deployment.kubernetes.io/revision") && r.revision == 0) {
        r.revision = std::atoi((*ann)["deployment.kubernetes.io/revision"].get<std::string>().c_str());
        if (old_status.value("observedGeneration", int64_t{0}) != gen) ++r.revision;
      } else {
        ++r.revision;
      }
    }
    r.generation = gen;
    r.started = Clock::now() + std::chrono::milliseconds(c.Scaled(state.options.controller_delay_ms));
  }
  auto now = Clock::now();
  if (now < r.started) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(r.started - now).count()) + 1;
  }
  Object annotations = obj["metadata"].contains("annotations") ? obj["metadata"]["annotations"] : Object::object();
  annotations["deployment.kubernetes.io/revision"] = std::to_string(r.revision);
  std::string rs = name + "-" + hash;
  if (!spec.value("paused", false)) SyncReplicaSets(state, obj, hash, r.revision, replicas, HasCrashloopImage(spec));
  Object status = Object::object();
  status["observedGeneration"] = gen;
  Object conds;
  int again = -1;
  int64_t elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - r.started).count();
  int ready_ms = c.Scaled(state.options.ready_delay_ms);
  bool crash = HasCrashloopImage(spec);
  if (spec.value("paused", false)) {
    conds = Object::array({Cond("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")});
  } else if (replicas == 0 || (!crash && elapsed >= ready_ms)) {
    PutCount(status, "replicas", replicas);
    PutCount(status, "updatedReplicas", replicas);
    PutCount(status, "readyReplicas", replicas);
    PutCount(status, "availableReplicas", replicas);
    conds = Object::array({Cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
                           Cond("Progressing", "True", "NewReplicaSetAvailable",
                                "ReplicaSet \"" + rs + "\" has successfully progressed.")});
  } else {
    PutCount(status, "replicas", replicas);
    PutCount(status, "updatedReplicas", replicas);
    PutCount(status, "unavailableReplicas", replicas);
    int64_t pds_ms = c.Scaled(1000.0 * static_cast<double>(spec.value("progressDeadlineSeconds", int64_t{600})));
    Object progressing = Cond("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rs + "\" is progressing.");
    if (crash && elapsed >= pds_ms) {
      progressing = Cond("Progressing", "False", "ProgressDeadlineExceeded",
                         "ReplicaSet \"" + rs + "\" has timed out progressing.");
    } else {
      again = static_cast<int>((crash ? pds_ms : ready_ms) - elapsed) + 1;
    }
    conds = Object::array({Cond("Available", "False", "MinimumReplicasUnavailable",
                                "Deployment does not have minimum availability."),
                           progressing});
  }
  status["conditions"] = KeepConditionTimes(old_status.value("conditions", Object::array()), conds);
  WriteStatus(state, type, obj, status, &annotations);
  return again;
}

}  // namespace gitopsd::kubesim
