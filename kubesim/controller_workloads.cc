// Controllers for the other kinds whose health GitOps tools read (§12.2):
// StatefulSet, DaemonSet, ReplicaSet, Job (complete, or failed for `fail`
// / `crashloop` images), LoadBalancer Services and Ingresses (an address),
// PVCs (Bound). Each reports its final status once the scaled controller +
// ready delays have passed since the generation it observes.
#include <algorithm>
#include <chrono>

#include "kubesim/controllers.h"
#include "kubesim/util.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

using Clock = std::chrono::steady_clock;

bool ImageContains(const Object& spec, const std::string& needle) {
  for (const char* list : {"template.spec.containers", "template.spec.initContainers"}) {
    const Object* cs = FindPath(spec, list);
    if (cs == nullptr || !cs->is_array()) continue;
    for (const auto& c : *cs) {
      if (c.is_object() && c.value("image", "").find(needle) != std::string::npos) return true;
    }
  }
  return false;
}

Object StatefulSetStatus(const Object& obj, int64_t gen) {
  int64_t r = FindPath(obj, "spec.replicas") ? obj["spec"].value("replicas", int64_t{1}) : 1;
  std::string rev = GetString(obj, "metadata.name") + "-" +
                    ShortHash(obj["spec"].contains("template") ? obj["spec"]["template"] : Object());
  Object s = Object::object();
  s["observedGeneration"] = gen;
  s["replicas"] = r;
  PutCount(s, "readyReplicas", r);
  PutCount(s, "currentReplicas", r);
  PutCount(s, "updatedReplicas", r);
  PutCount(s, "availableReplicas", r);
  s["currentRevision"] = rev;
  s["updateRevision"] = rev;
  s["collisionCount"] = 0;
  return s;
}

Object DaemonSetStatus(int64_t gen) {
  return Object{{"observedGeneration", gen},  {"desiredNumberScheduled", 1}, {"currentNumberScheduled", 1},
                {"numberReady", 1},           {"updatedNumberScheduled", 1}, {"numberAvailable", 1},
                {"numberMisscheduled", 0}};
}

Object ReplicaSetStatus(const Object& obj, int64_t gen) {
  int64_t r = obj["spec"].value("replicas", int64_t{1});
  Object s = Object::object();
  s["replicas"] = r;
  PutCount(s, "fullyLabeledReplicas", r);
  PutCount(s, "readyReplicas", r);
  PutCount(s, "availableReplicas", r);
  s["observedGeneration"] = gen;
  return s;
}

Object JobStatus(const Object& obj, const Object& old_status) {
  std::string t = NowRfc3339();
  std::string start = old_status.value("startTime", t);
  const Object spec = obj["spec"];
  bool fail = ImageContains(spec, "fail") || ImageContains(spec, "crashloop");
  Object s = Object::object();
  s["startTime"] = start;
  Object conds = Object::array();
  if (fail) {
    s["failed"] = spec.value("backoffLimit", int64_t{6}) + 1;
    conds.push_back({{"type", "FailureTarget"}, {"status", "True"}, {"lastProbeTime", t}, {"lastTransitionTime", t},
                     {"reason", "BackoffLimitExceeded"}, {"message", "Job has reached the specified backoff limit"}});
    conds.push_back({{"type", "Failed"}, {"status", "True"}, {"lastProbeTime", t}, {"lastTransitionTime", t},
                     {"reason", "BackoffLimitExceeded"}, {"message", "Job has reached the specified backoff limit"}});
  } else {
    s["completionTime"] = old_status.value("completionTime", t);
    s["succeeded"] = spec.value("completions", int64_t{1});
    conds.push_back({{"type", "SuccessCriteriaMet"}, {"status", "True"}, {"lastProbeTime", t},
                     {"lastTransitionTime", t}, {"reason", "CompletionsReached"},
                     {"message", "Reached expected number of succeeded pods"}});
    conds.push_back({{"type", "Complete"}, {"status", "True"}, {"lastProbeTime", t}, {"lastTransitionTime", t},
                     {"reason", "CompletionsReached"}, {"message", "Reached expected number of succeeded pods"}});
  }
  s["ready"] = 0;
  s["terminating"] = 0;
  s["uncountedTerminatedPods"] = Object::object();
  s["conditions"] = KeepConditionTimes(old_status.value("conditions", Object::array()), conds);
  return s;
}

std::string FakeAddress(const Object& obj) {
  std::string h = ShortHash(Object(GetString(obj, "metadata.uid")));
  int a = static_cast<unsigned char>(h[0]) % 200 + 20;
  int b = static_cast<unsigned char>(h[1]) % 250 + 1;
  return "172.18." + std::to_string(a) + "." + std::to_string(b);
}

}  // namespace

// The horizontal-pod-autoscaler controller with metrics at target: desired
// = the scale target's replicas within [minReplicas, maxReplicas]; the
// conditions `kubectl describe hpa` and health checks read.
Object HpaStatus(ServerState& state, const Object& obj, int64_t gen) {
  int64_t min = FindPath(obj, "spec.minReplicas") ? obj["spec"].value("minReplicas", int64_t{1}) : 1;
  int64_t max = FindPath(obj, "spec.maxReplicas") ? obj["spec"].value("maxReplicas", min) : min;
  int64_t current = min;
  std::string kind = GetString(obj, "spec.scaleTargetRef.kind");
  std::string api_version = GetString(obj, "spec.scaleTargetRef.apiVersion");
  std::string group = api_version.find('/') == std::string::npos ? "" : api_version.substr(0, api_version.find('/'));
  const ResourceType* target_type = state.cluster.FindByKind(group, kind);
  bool found = false;
  if (target_type != nullptr) {
    const Object* target = state.cluster.Get(target_type->StorageKey(), GetString(obj, "metadata.namespace"),
                                             GetString(obj, "spec.scaleTargetRef.name"));
    if (target != nullptr) {
      found = true;
      current = FindPath(*target, "spec.replicas") ? (*target)["spec"].value("replicas", int64_t{1}) : 1;
    }
  }
  int64_t desired = std::clamp(current, min, std::max(min, max));
  std::string t = NowRfc3339();
  auto cond = [&](const char* type, const char* status, const char* reason, const std::string& msg) {
    return Object{{"type", type}, {"status", status}, {"lastTransitionTime", t}, {"reason", reason}, {"message", msg}};
  };
  Object conds = Object::array();
  if (!found) {
    conds.push_back(cond("AbleToScale", "False", "FailedGetScale",
                         "the HPA controller was unable to get the target's current scale: " + kind + " \"" +
                             GetString(obj, "spec.scaleTargetRef.name") + "\" not found"));
  } else {
    conds.push_back(cond("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size"));
    conds.push_back(cond("ScalingActive", "True", "ValidMetricFound",
                         "the HPA was able to successfully calculate a replica count from cpu resource utilization "
                         "(percentage of request)"));
    conds.push_back(desired == current
                        ? cond("ScalingLimited", "False", "DesiredWithinRange",
                               "the desired count is within the acceptable range")
                        : cond("ScalingLimited", "True", current < min ? "TooFewReplicas" : "TooManyReplicas",
                               "the desired replica count is out of the acceptable range"));
  }
  Object status = {{"observedGeneration", gen}, {"currentReplicas", current}, {"desiredReplicas", desired},
                   {"conditions", conds}};
  return status;
}

int ReconcileWorkload(ServerState& state, const ResourceType& type, const Object& obj) {
  Controllers& c = *state.controllers;
  const std::string& kind = type.info.kind;
  std::string uid = GetString(obj, "metadata.uid");
  int64_t gen = obj["metadata"].value("generation", int64_t{1});
  Controllers::Rollout& r = c.rollouts()[uid];
  if (r.generation != gen || r.revision == 0) {
    r.generation = gen;
    r.revision = 1;
    // Addresses (load balancers, ingress controllers) take longer than pods.
    bool address = kind == "Ingress" || kind == "Service";
    r.started = Clock::now() + std::chrono::milliseconds(c.Scaled(state.options.controller_delay_ms) +
                                                         c.Scaled(state.options.ready_delay_ms) * (address ? 3 : 1));
  }
  auto now = Clock::now();
  if (now < r.started) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(r.started - now).count()) + 1;
  }
  const Object old_status = obj.contains("status") && obj["status"].is_object() ? obj["status"] : Object::object();
  Object status;
  if (type.info.group == "apps" && kind == "StatefulSet") status = StatefulSetStatus(obj, gen);
  if (type.info.group == "apps" && kind == "DaemonSet") status = DaemonSetStatus(gen);
  if (type.info.group == "apps" && kind == "ReplicaSet") status = ReplicaSetStatus(obj, gen);
  if (type.info.group == "batch" && kind == "Job") status = JobStatus(obj, old_status);
  if (type.info.group == "autoscaling" && kind == "HorizontalPodAutoscaler") status = HpaStatus(state, obj, gen);
  if (type.info.group == "networking.k8s.io" && kind == "Ingress") {
    status = Object{{"loadBalancer", {{"ingress", Object::array({Object{{"ip", FakeAddress(obj)}}})}}}};
  }
  if (type.info.group.empty() && kind == "Service") {
    if (GetString(obj, "spec.type") != "LoadBalancer") return -1;
    status = Object{{"loadBalancer",
                     {{"ingress", Object::array({Object{{"ip", FakeAddress(obj)}, {"ipMode", "VIP"}}})}}}};
  }
  if (type.info.group.empty() && kind == "PersistentVolumeClaim") {
    if (GetString(obj, "spec.volumeName").empty()) {
      Object next = obj;
      next["spec"]["volumeName"] = "pvc-" + uid;
      next["metadata"].erase("resourceVersion");
      WriteContext ctx;
      ctx.type = &type;
      ctx.version = type.info.version;
      ctx.manager = "kube-controller-manager";
      WriteResult w = CommitUpdate(state, ctx, obj, std::move(next));
      return w.error ? -1 : 0;
    }
    status = Object{{"phase", "Bound"}};
    const Object* modes = FindPath(obj, "spec.accessModes");
    if (modes != nullptr) status["accessModes"] = *modes;
    const Object* req = FindPath(obj, "spec.resources.requests");
    if (req != nullptr) status["capacity"] = *req;
  }
  if (status.is_null()) return -1;
  WriteStatus(state, type, obj, status);
  return -1;
}

void PutCount(Object& status, const char* key, int64_t n) {
  if (n != 0) status[key] = n;
}

}  // namespace gitopsd::kubesim
