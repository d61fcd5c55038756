// §9.2 and §9.5: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.
#include <string>

#include "kubesim/internal/ssa_defaults.h"

namespace gitopsd::kubesim::internal {
namespace {

void DefaultTemplateOf(Object& spec, bool default_restart_policy) {
  if (Object* tmpl = ObjectAt(spec, "template")) DefaultPodTemplate(*tmpl, default_restart_policy);
}

// Job-level defaults (not applied inside CronJob job templates, §9.5).
void DefaultJobSpec(Object& spec) {
  bool has_completions = spec.contains("completions") && !spec["completions"].is_null();
  bool has_parallelism = spec.contains("parallelism") && !spec["parallelism"].is_null();
  if (!has_completions && !has_parallelism) spec["completions"] = 1;
  SetDefault(spec, "parallelism", 1);
  SetDefault(spec, "backoffLimit", 6);
  SetDefault(spec, "completionMode", "NonIndexed");
  SetDefault(spec, "suspend", false);
  SetDefault(spec, "podReplacementPolicy", "TerminatingOrFailed");
  SetDefault(spec, "manualSelector", false);
}

// The selector and labels the Job registry generates on create.
void GenerateJobSelector(Object& obj, Object& spec) {
  std::string uid = GetString(obj, "metadata.uid");
  auto manual = spec.find("manualSelector");
  bool manual_selector = manual != spec.end() && manual->is_boolean() && manual->get<bool>();
  if (uid.empty() || spec.contains("selector") || manual_selector) return;
  std::string name = NameOf(obj);
  spec["selector"] = Object{{"matchLabels", Object{{"batch.kubernetes.io/controller-uid", uid}}}};
  Object* tmpl = ObjectAt(spec, "template");
  if (tmpl == nullptr) return;
  Object& labels = Child(Child(*tmpl, "metadata"), "labels");
  if (!labels.is_object()) return;
  labels["batch.kubernetes.io/controller-uid"] = uid;
  labels["batch.kubernetes.io/job-name"] = name;
  labels["controller-uid"] = uid;
  labels["job-name"] = name;
}

}  // namespace

void DefaultDeployment(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  SetDefault(spec, "replicas", 1);
  SetDefault(spec, "revisionHistoryLimit", 10);
  SetDefault(spec, "progressDeadlineSeconds", 600);
  Object& strategy = Child(spec, "strategy");
  SetDefault(strategy, "type", "RollingUpdate");
  if (GetString(strategy, "type") == "RollingUpdate") {
    Object& rolling = Child(strategy, "rollingUpdate");
    SetDefault(rolling, "maxSurge", "25%");
    SetDefault(rolling, "maxUnavailable", "25%");
  }
  DefaultTemplateOf(spec, true);
  SetDefault(obj, "status", Object::object());
}

void DefaultReplicaSet(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  SetDefault(spec, "replicas", 1);
  DefaultTemplateOf(spec, true);
}

void DefaultStatefulSet(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  SetDefault(spec, "replicas", 1);
  SetDefault(spec, "podManagementPolicy", "OrderedReady");
  SetDefault(spec, "revisionHistoryLimit", 10);
  Object& strategy = Child(spec, "updateStrategy");
  SetDefault(strategy, "type", "RollingUpdate");
  if (GetString(strategy, "type") == "RollingUpdate") SetDefault(Child(strategy, "rollingUpdate"), "partition", 0);
  Object& retention = Child(spec, "persistentVolumeClaimRetentionPolicy");
  SetDefault(retention, "whenDeleted", "Retain");
  SetDefault(retention, "whenScaled", "Retain");
  if (auto claims = spec.find("volumeClaimTemplates"); claims != spec.end() && claims->is_array()) {
    for (Object& claim : *claims) {
      if (!claim.is_object()) continue;
      SetDefault(claim, "apiVersion", "v1");
      SetDefault(claim, "kind", "PersistentVolumeClaim");
      Object& meta = Child(claim, "metadata");
      if (meta.is_object() && !meta.contains("creationTimestamp")) meta["creationTimestamp"] = nullptr;
      SetDefault(Child(claim, "spec"), "volumeMode", "Filesystem");
      SetDefault(Child(claim, "status"), "phase", "Pending");
    }
  }
  DefaultTemplateOf(spec, true);
}

void DefaultDaemonSet(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  SetDefault(spec, "revisionHistoryLimit", 10);
  Object& strategy = Child(spec, "updateStrategy");
  SetDefault(strategy, "type", "RollingUpdate");
  if (GetString(strategy, "type") == "RollingUpdate") {
    Object& rolling = Child(strategy, "rollingUpdate");
    SetDefault(rolling, "maxUnavailable", 1);
    SetDefault(rolling, "maxSurge", 0);
  }
  DefaultTemplateOf(spec, true);
}

void DefaultJob(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  // A Job without labels takes its template's (before generated ones).
  const Object* tmpl_labels = FindPath(spec, "template.metadata.labels");
  const Object* labels = FindPath(obj, "metadata.labels");
  if (tmpl_labels != nullptr && tmpl_labels->is_object() && !tmpl_labels->empty() &&
      (labels == nullptr || labels->is_null() || labels->empty())) {
    Child(obj, "metadata")["labels"] = *tmpl_labels;
  }
  DefaultJobSpec(spec);
  GenerateJobSelector(obj, spec);
  DefaultTemplateOf(spec, false);
}

void DefaultCronJob(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  SetDefault(spec, "concurrencyPolicy", "Allow");
  SetDefault(spec, "suspend", false);
  SetDefault(spec, "successfulJobsHistoryLimit", 3);
  SetDefault(spec, "failedJobsHistoryLimit", 1);
  Object* job = ObjectAt(spec, "jobTemplate");
  if (job == nullptr) return;
  Object& meta = Child(*job, "metadata");
  if (meta.is_object() && !meta.contains("creationTimestamp")) meta["creationTimestamp"] = nullptr;
  if (Object* job_spec = ObjectAt(*job, "spec")) DefaultTemplateOf(*job_spec, false);
}

}  // namespace gitopsd::kubesim::internal
