// The Deployment controller (§12.1): on every generation change, after the
// controller delay, the progressing status and revision annotation; after
// the ready delay, the available status; with a `crashloop` image, never
// available and ProgressDeadlineExceeded after progressDeadlineSeconds
// (scaled by --time-scale). Also keeps the ReplicaSet <name>-<hash>.
#include <chrono>

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
