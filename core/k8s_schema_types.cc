// The built-in strategic-merge table: which lists of the Kubernetes API
// merge by which key. Written from the API reference (v1.32 struct tags
// patchMergeKey / patchStrategy / listMapKey); only types on a path to a
// keyed list, or with retainKeys, are described.
#include "core/k8s_schema.h"

namespace gitopsd::k8s {
namespace {

using Shape = FieldSchema::Shape;

FieldSchema Obj(std::string type) { return {Shape::kObject, std::move(type), "", {}, false, false}; }
FieldSchema RetainObj(std::string type) {
  return {Shape::kObject, std::move(type), "", {}, false, true};
}
// A list merged by `key` (patchStrategy merge).
FieldSchema Keyed(std::string type, std::string key, std::vector<std::string> extra = {}) {
  return {Shape::kList, std::move(type), std::move(key), std::move(extra), true, false};
}
// patchStrategy "merge,retainKeys" (volumes, resourceClaims).
FieldSchema KeyedRetain(std::string type, std::string key) {
  return {Shape::kList, std::move(type), std::move(key), {}, true, true};
}
// A list of scalars merged as a set (finalizers).
FieldSchema ScalarSet() { return {Shape::kList, "", "", {}, true, false}; }
// An atomic list whose elements have a described type.
FieldSchema AtomicOf(std::string type) { return {Shape::kList, std::move(type), "", {}, false, false}; }

TypeSchema T(std::initializer_list<std::pair<const std::string, FieldSchema>> fields) {
  TypeSchema t;
  for (const auto& f : fields) t.fields.emplace(f.first, f.second);
  return t;
}

// Status types whose only keyed list is `conditions` (by type).
TypeSchema ConditionsStatus() { return T({{"conditions", Keyed("", "type")}}); }

void AddCoreTypes(Schema& s) {
  s.AddType("ObjectMeta", T({{"ownerReferences", Keyed("", "uid")}, {"finalizers", ScalarSet()}}));
  s.AddType("Container", T({{"ports", Keyed("", "containerPort", {"protocol"})},
                            {"env", Keyed("", "name")},
                            {"volumeMounts", Keyed("", "mountPath")},
                            {"volumeDevices", Keyed("", "devicePath")},
                            {"resizePolicy", AtomicOf("")}}));
  s.AddType("PodSpec", T({{"volumes", KeyedRetain("", "name")},
                          {"initContainers", Keyed("Container", "name")},
                          {"containers", Keyed("Container", "name")},
                          {"ephemeralContainers", Keyed("Container", "name")},
                          {"imagePullSecrets", Keyed("", "name")},
                          {"hostAliases", Keyed("", "ip")},
                          {"topologySpreadConstraints",
                           Keyed("", "topologyKey", {"whenUnsatisfiable"})},
                          {"resourceClaims", KeyedRetain("", "name")},
                          {"schedulingGates", Keyed("", "name")}}));
  s.AddType("PodTemplateSpec", T({{"metadata", Obj("ObjectMeta")}, {"spec", Obj("PodSpec")}}));
  s.AddType("PodStatus", ConditionsStatus());
  s.AddType("ConditionsStatus", ConditionsStatus());
  s.AddType("Pod", T({{"metadata", Obj("ObjectMeta")},
                      {"spec", Obj("PodSpec")},
                      {"status", Obj("PodStatus")}}));
  s.AddType("PodTemplate", T({{"metadata", Obj("ObjectMeta")}, {"template", Obj("PodTemplateSpec")}}));
  s.AddType("ServiceSpec", T({{"ports", Keyed("", "port", {"protocol"})}}));
  s.AddType("Service", T({{"metadata", Obj("ObjectMeta")},
                          {"spec", Obj("ServiceSpec")},
                          {"status", Obj("ConditionsStatus")}}));
  s.AddType("ServiceAccount", T({{"metadata", Obj("ObjectMeta")}, {"secrets", Keyed("", "name")}}));
  s.AddType("NodeStatus", T({{"conditions", Keyed("", "type")}, {"addresses", Keyed("", "type")}}));
  s.AddType("Node", T({{"metadata", Obj("ObjectMeta")}, {"status", Obj("NodeStatus")}}));
  s.AddType("WithConditions", T({{"metadata", Obj("ObjectMeta")}, {"status", Obj("ConditionsStatus")}}));
  s.AddType("Plain", T({{"metadata", Obj("ObjectMeta")}}));
  s.AddType("PodTemplateHolderSpec", T({{"template", Obj("PodTemplateSpec")}}));
  s.AddType("ReplicationController", T({{"metadata", Obj("ObjectMeta")},
                                        {"spec", Obj("PodTemplateHolderSpec")},
                                        {"status", Obj("ConditionsStatus")}}));
}

void AddWorkloadTypes(Schema& s) {
  s.AddType("DeploymentSpec",
            T({{"template", Obj("PodTemplateSpec")}, {"strategy", RetainObj("")}}));
  s.AddType("Deployment", T({{"metadata", Obj("ObjectMeta")},
                             {"spec", Obj("DeploymentSpec")},
                             {"status", Obj("ConditionsStatus")}}));
  s.AddType("PersistentVolumeClaim", T({{"metadata", Obj("ObjectMeta")},
                                        {"status", Obj("ConditionsStatus")}}));
  s.AddType("StatefulSetSpec", T({{"template", Obj("PodTemplateSpec")},
                                  {"volumeClaimTemplates", AtomicOf("PersistentVolumeClaim")}}));
  s.AddType("StatefulSet", T({{"metadata", Obj("ObjectMeta")},
                              {"spec", Obj("StatefulSetSpec")},
                              {"status", Obj("ConditionsStatus")}}));
  s.AddType("PodTemplateWorkload", T({{"metadata", Obj("ObjectMeta")},
                                      {"spec", Obj("PodTemplateHolderSpec")},
                                      {"status", Obj("ConditionsStatus")}}));
  s.AddType("JobSpec", T({{"template", Obj("PodTemplateSpec")}}));
  s.AddType("JobTemplateSpec", T({{"metadata", Obj("ObjectMeta")}, {"spec", Obj("JobSpec")}}));
  s.AddType("Job", T({{"metadata", Obj("ObjectMeta")},
                      {"spec", Obj("JobSpec")},
                      {"status", Obj("ConditionsStatus")}}));
  s.AddType("CronJobSpec", T({{"jobTemplate", Obj("JobTemplateSpec")}}));
  s.AddType("CronJob", T({{"metadata", Obj("ObjectMeta")}, {"spec", Obj("CronJobSpec")}}));
  s.AddType("WebhookConfiguration",
            T({{"metadata", Obj("ObjectMeta")}, {"webhooks", Keyed("", "name")}}));
}

struct KindEntry {
  const char* group;
  const char* kind;
  const char* type;
};

// Kinds with a described root type. Every other built-in kind gets "Plain"
// (metadata only) so its lists are still atomic rather than unknown.
constexpr KindEntry kKindTypes[] = {
    {"", "Pod", "Pod"},
    {"", "PodTemplate", "PodTemplate"},
    {"", "Service", "Service"},
    {"", "ServiceAccount", "ServiceAccount"},
    {"", "Node", "Node"},
    {"", "Namespace", "WithConditions"},
    {"", "PersistentVolumeClaim", "PersistentVolumeClaim"},
    {"", "ReplicationController", "ReplicationController"},
    {"apps", "Deployment", "Deployment"},
    {"extensions", "Deployment", "Deployment"},
    {"apps", "StatefulSet", "StatefulSet"},
    {"apps", "DaemonSet", "PodTemplateWorkload"},
    {"extensions", "DaemonSet", "PodTemplateWorkload"},
    {"apps", "ReplicaSet", "PodTemplateWorkload"},
    {"extensions", "ReplicaSet", "PodTemplateWorkload"},
    {"batch", "Job", "Job"},
    {"batch", "CronJob", "CronJob"},
    {"policy", "PodDisruptionBudget", "WithConditions"},
    {"autoscaling", "HorizontalPodAutoscaler", "WithConditions"},
    {"apiextensions.k8s.io", "CustomResourceDefinition", "WithConditions"},
    {"admissionregistration.k8s.io", "MutatingWebhookConfiguration", "WebhookConfiguration"},
    {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "WebhookConfiguration"},
};

}  // namespace

// Declared in k8s_schema.cc.
void AddBuiltinKindNames(Schema& s);

void AddBuiltinTypes(Schema& s) {
  AddCoreTypes(s);
  AddWorkloadTypes(s);
  AddBuiltinKindNames(s);  // every built-in kind -> "Plain" first
  for (const auto& k : kKindTypes) s.SetKindType(k.group, k.kind, k.type);
}

}  // namespace gitopsd::k8s
