#include "kustomize/transformer_config.h"

#include <sstream>

namespace gitopsd::kustomize {
namespace {

// Kustomize v5.5.0's built-in field specs, one per line:
//   <section> <target group/version/kind or -> <group>/<version>/<kind> <path> [+ = create]
// (the target column is used by nameReference only).
constexpr std::string_view kDefaultSpecs = R"(
namePrefix - // metadata/name
nameSuffix - // metadata/name
commonLabels - /v1/Service spec/selector +
commonLabels - /v1/ReplicationController spec/selector +
commonLabels - //Deployment spec/selector/matchLabels +
commonLabels - apps//Deployment spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
commonLabels - apps//Deployment spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
commonLabels - apps//Deployment spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
commonLabels - apps//Deployment spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
commonLabels - apps//Deployment spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels
commonLabels - //ReplicaSet spec/selector/matchLabels +
commonLabels - //DaemonSet spec/selector/matchLabels +
commonLabels - apps//StatefulSet spec/selector/matchLabels +
commonLabels - apps//StatefulSet spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
commonLabels - apps//StatefulSet spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
commonLabels - apps//StatefulSet spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
commonLabels - apps//StatefulSet spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
commonLabels - apps//StatefulSet spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels
commonLabels - batch//Job spec/selector/matchLabels
commonLabels - batch//CronJob spec/jobTemplate/spec/selector/matchLabels
commonLabels - policy//PodDisruptionBudget spec/selector/matchLabels
commonLabels - networking.k8s.io//NetworkPolicy spec/podSelector/matchLabels
commonLabels - networking.k8s.io//NetworkPolicy spec/ingress/from/podSelector/matchLabels
commonLabels - networking.k8s.io//NetworkPolicy spec/egress/to/podSelector/matchLabels
commonLabels - // metadata/labels +
commonLabels - /v1/ReplicationController spec/template/metadata/labels +
commonLabels - //Deployment spec/template/metadata/labels +
commonLabels - //ReplicaSet spec/template/metadata/labels +
commonLabels - //DaemonSet spec/template/metadata/labels +
commonLabels - apps//StatefulSet spec/template/metadata/labels +
commonLabels - apps//StatefulSet spec/volumeClaimTemplates[]/metadata/labels +
commonLabels - batch//Job spec/template/metadata/labels +
commonLabels - batch//CronJob spec/jobTemplate/metadata/labels +
commonLabels - batch//CronJob spec/jobTemplate/spec/template/metadata/labels +
templateLabels - // metadata/labels +
templateLabels - /v1/ReplicationController spec/template/metadata/labels +
templateLabels - //Deployment spec/template/metadata/labels +
templateLabels - //ReplicaSet spec/template/metadata/labels +
templateLabels - //DaemonSet spec/template/metadata/labels +
templateLabels - apps//StatefulSet spec/template/metadata/labels +
templateLabels - apps//StatefulSet spec/volumeClaimTemplates[]/metadata/labels +
templateLabels - batch//Job spec/template/metadata/labels +
templateLabels - batch//CronJob spec/jobTemplate/metadata/labels +
templateLabels - batch//CronJob spec/jobTemplate/spec/template/metadata/labels +
commonAnnotations - // metadata/annotations +
commonAnnotations - /v1/ReplicationController spec/template/metadata/annotations +
commonAnnotations - //Deployment spec/template/metadata/annotations +
commonAnnotations - //ReplicaSet spec/template/metadata/annotations +
commonAnnotations - //DaemonSet spec/template/metadata/annotations +
commonAnnotations - //StatefulSet spec/template/metadata/annotations +
commonAnnotations - batch//Job spec/template/metadata/annotations +
commonAnnotations - batch//CronJob spec/jobTemplate/metadata/annotations +
commonAnnotations - batch//CronJob spec/jobTemplate/spec/template/metadata/annotations +
namespace - //Namespace metadata/name +
namespace - apiregistration.k8s.io//APIService spec/service/namespace +
namespace - apiextensions.k8s.io//CustomResourceDefinition spec/conversion/webhook/clientConfig/service/namespace
varReference - //CronJob spec/jobTemplate/spec/template/spec/containers/args
varReference - //CronJob spec/jobTemplate/spec/template/spec/containers/command
varReference - //CronJob spec/jobTemplate/spec/template/spec/containers/env/value
varReference - //CronJob spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath
varReference - //CronJob spec/jobTemplate/spec/template/spec/initContainers/args
varReference - //CronJob spec/jobTemplate/spec/template/spec/initContainers/command
varReference - //CronJob spec/jobTemplate/spec/template/spec/initContainers/env/value
varReference - //CronJob spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath
varReference - //CronJob spec/jobTemplate/spec/template/volumes/nfs/server
varReference - //DaemonSet spec/template/spec/containers/args
varReference - //DaemonSet spec/template/spec/containers/command
varReference - //DaemonSet spec/template/spec/containers/env/value
varReference - //DaemonSet spec/template/spec/containers/volumeMounts/mountPath
varReference - //DaemonSet spec/template/spec/initContainers/args
varReference - //DaemonSet spec/template/spec/initContainers/command
varReference - //DaemonSet spec/template/spec/initContainers/env/value
varReference - //DaemonSet spec/template/spec/initContainers/volumeMounts/mountPath
varReference - //DaemonSet spec/template/spec/volumes/nfs/server
varReference - //Deployment spec/template/spec/containers/args
varReference - //Deployment spec/template/spec/containers/command
varReference - //Deployment spec/template/spec/containers/env/value
varReference - //Deployment spec/template/spec/containers/volumeMounts/mountPath
varReference - //Deployment spec/template/spec/initContainers/args
varReference - //Deployment spec/template/spec/initContainers/command
varReference - //Deployment spec/template/spec/initContainers/env/value
varReference - //Deployment spec/template/spec/initContainers/volumeMounts/mountPath
varReference - //Deployment spec/template/spec/volumes/nfs/server
varReference - //Deployment spec/template/metadata/annotations
varReference - //Ingress spec/rules/host
varReference - //Ingress spec/tls/hosts
varReference - //Ingress spec/tls/secretName
varReference - //Job spec/template/spec/containers/args
varReference - //Job spec/template/spec/containers/command
varReference - //Job spec/template/spec/containers/env/value
varReference - //Job spec/template/spec/containers/volumeMounts/mountPath
varReference - //Job spec/template/spec/initContainers/args
varReference - //Job spec/template/spec/initContainers/command
varReference - //Job spec/template/spec/initContainers/env/value
varReference - //Job spec/template/spec/initContainers/volumeMounts/mountPath
varReference - //Job spec/template/spec/volumes/nfs/server
varReference - //Pod spec/containers/args
varReference - //Pod spec/containers/command
varReference - //Pod spec/containers/env/value
varReference - //Pod spec/containers/volumeMounts/mountPath
varReference - //Pod spec/initContainers/args
varReference - //Pod spec/initContainers/command
varReference - //Pod spec/initContainers/env/value
varReference - //Pod spec/initContainers/volumeMounts/mountPath
varReference - //Pod spec/volumes/nfs/server
varReference - //ReplicaSet spec/template/spec/containers/args
varReference - //ReplicaSet spec/template/spec/containers/command
varReference - //ReplicaSet spec/template/spec/containers/env/value
varReference - //ReplicaSet spec/template/spec/containers/volumeMounts/mountPath
varReference - //ReplicaSet spec/template/spec/initContainers/args
varReference - //ReplicaSet spec/template/spec/initContainers/command
varReference - //ReplicaSet spec/template/spec/initContainers/env/value
varReference - //ReplicaSet spec/template/spec/initContainers/volumeMounts/mountPath
varReference - //ReplicaSet spec/template/spec/volumes/nfs/server
varReference - //Service spec/ports/port
varReference - //Service spec/ports/targetPort
varReference - //StatefulSet spec/template/spec/containers/args
varReference - //StatefulSet spec/template/spec/containers/command
varReference - //StatefulSet spec/template/spec/containers/env/value
varReference - //StatefulSet spec/template/spec/containers/volumeMounts/mountPath
varReference - //StatefulSet spec/template/spec/initContainers/args
varReference - //StatefulSet spec/template/spec/initContainers/command
varReference - //StatefulSet spec/template/spec/initContainers/env/value
varReference - //StatefulSet spec/template/spec/initContainers/volumeMounts/mountPath
varReference - //StatefulSet spec/volumeClaimTemplates/spec/nfs/server
varReference - //PersistentVolume spec/nfs/server
varReference - // metadata/labels
varReference - // metadata/annotations
images - // spec/containers[]/image +
images - // spec/initContainers[]/image +
images - // spec/template/spec/containers[]/image +
images - // spec/template/spec/initContainers[]/image +
replicas - //Deployment spec/replicas +
replicas - //ReplicationController spec/replicas +
replicas - //ReplicaSet spec/replicas +
replicas - //StatefulSet spec/replicas +
nameReference //Deployment //HorizontalPodAutoscaler spec/scaleTargetRef/name
nameReference //ReplicationController //HorizontalPodAutoscaler spec/scaleTargetRef/name
nameReference //ReplicaSet //HorizontalPodAutoscaler spec/scaleTargetRef/name
nameReference //StatefulSet //HorizontalPodAutoscaler spec/scaleTargetRef/name
nameReference /v1/ConfigMap /v1/Pod spec/volumes/configMap/name
nameReference /v1/ConfigMap /v1/Pod spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap /v1/Pod spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap /v1/Pod spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap /v1/Pod spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap /v1/Pod spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //PodTemplate template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //PodTemplate template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //PodTemplate template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //PodTemplate template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //PodTemplate template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //PodTemplate template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //Deployment spec/template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //Deployment spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //Deployment spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //Deployment spec/template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //Deployment spec/template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //Deployment spec/template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //ReplicaSet spec/template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //ReplicaSet spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //ReplicaSet spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //ReplicaSet spec/template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //ReplicaSet spec/template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //ReplicaSet spec/template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //DaemonSet spec/template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //DaemonSet spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //DaemonSet spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //DaemonSet spec/template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //DaemonSet spec/template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //DaemonSet spec/template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //StatefulSet spec/template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //StatefulSet spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //StatefulSet spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //StatefulSet spec/template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //StatefulSet spec/template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //StatefulSet spec/template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //Job spec/template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //Job spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //Job spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //Job spec/template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //Job spec/template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //Job spec/template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //CronJob spec/jobTemplate/spec/template/spec/volumes/configMap/name
nameReference /v1/ConfigMap //CronJob spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name
nameReference /v1/ConfigMap //CronJob spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //CronJob spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
nameReference /v1/ConfigMap //CronJob spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //CronJob spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name
nameReference /v1/ConfigMap //Node spec/configSource/configMap
nameReference /v1/ConfigMap //Role rules/resourceNames
nameReference /v1/ConfigMap //ClusterRole rules/resourceNames
nameReference /v1/ConfigMap //Ingress metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap
nameReference /v1/Secret /v1/Pod spec/volumes/secret/secretName
nameReference /v1/Secret /v1/Pod spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret /v1/Pod spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret /v1/Pod spec/containers/envFrom/secretRef/name
nameReference /v1/Secret /v1/Pod spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret /v1/Pod spec/imagePullSecrets/name
nameReference /v1/Secret /v1/Pod spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //PodTemplate template/spec/volumes/secret/secretName
nameReference /v1/Secret //PodTemplate template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //PodTemplate template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //PodTemplate template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //PodTemplate template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //PodTemplate template/spec/imagePullSecrets/name
nameReference /v1/Secret //PodTemplate template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //Deployment spec/template/spec/volumes/secret/secretName
nameReference /v1/Secret //Deployment spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //Deployment spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //Deployment spec/template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //Deployment spec/template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //Deployment spec/template/spec/imagePullSecrets/name
nameReference /v1/Secret //Deployment spec/template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //ReplicaSet spec/template/spec/volumes/secret/secretName
nameReference /v1/Secret //ReplicaSet spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //ReplicaSet spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //ReplicaSet spec/template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //ReplicaSet spec/template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //ReplicaSet spec/template/spec/imagePullSecrets/name
nameReference /v1/Secret //ReplicaSet spec/template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //DaemonSet spec/template/spec/volumes/secret/secretName
nameReference /v1/Secret //DaemonSet spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //DaemonSet spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //DaemonSet spec/template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //DaemonSet spec/template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //DaemonSet spec/template/spec/imagePullSecrets/name
nameReference /v1/Secret //DaemonSet spec/template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //StatefulSet spec/template/spec/volumes/secret/secretName
nameReference /v1/Secret //StatefulSet spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //StatefulSet spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //StatefulSet spec/template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //StatefulSet spec/template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //StatefulSet spec/template/spec/imagePullSecrets/name
nameReference /v1/Secret //StatefulSet spec/template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //Job spec/template/spec/volumes/secret/secretName
nameReference /v1/Secret //Job spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //Job spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //Job spec/template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //Job spec/template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //Job spec/template/spec/imagePullSecrets/name
nameReference /v1/Secret //Job spec/template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/volumes/secret/secretName
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name
nameReference /v1/Secret //CronJob spec/jobTemplate/spec/template/spec/imagePullSecrets/name
nameReference /v1/Secret //Ingress spec/tls/secretName
nameReference /v1/Secret //Ingress metadata/annotations/ingress.kubernetes.io\/auth-secret
nameReference /v1/Secret //Ingress metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret
nameReference /v1/Secret //Ingress metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret
nameReference /v1/Secret //Ingress spec/tls/secretName
nameReference /v1/Secret //ServiceAccount imagePullSecrets/name
nameReference /v1/Secret //StorageClass parameters/secretName
nameReference /v1/Secret //StorageClass parameters/adminSecretName
nameReference /v1/Secret //StorageClass parameters/userSecretName
nameReference /v1/Secret //StorageClass parameters/secretRef
nameReference /v1/Secret //Role rules/resourceNames
nameReference /v1/Secret //ClusterRole rules/resourceNames
nameReference /v1/Secret serving.knative.dev/v1/Service spec/template/spec/containers/env/valueFrom/secretKeyRef/name
nameReference /v1/Secret //PersistentVolume spec/azureFile/secretName
nameReference /v1/Service apps//StatefulSet spec/serviceName
nameReference /v1/Service //Ingress spec/rules/http/paths/backend/serviceName
nameReference /v1/Service //Ingress spec/backend/serviceName
nameReference /v1/Service //Ingress spec/rules/http/paths/backend/service/name
nameReference /v1/Service //Ingress spec/defaultBackend/service/name
nameReference /v1/Service apiregistration.k8s.io//APIService spec/service/name
nameReference /v1/Service admissionregistration.k8s.io//ValidatingWebhookConfiguration webhooks/clientConfig/service
nameReference /v1/Service admissionregistration.k8s.io//MutatingWebhookConfiguration webhooks/clientConfig/service
nameReference rbac.authorization.k8s.io//Role rbac.authorization.k8s.io//RoleBinding roleRef/name
nameReference rbac.authorization.k8s.io//ClusterRole rbac.authorization.k8s.io//RoleBinding roleRef/name
nameReference rbac.authorization.k8s.io//ClusterRole rbac.authorization.k8s.io//ClusterRoleBinding roleRef/name
nameReference /v1/ServiceAccount rbac.authorization.k8s.io//RoleBinding subjects
nameReference /v1/ServiceAccount rbac.authorization.k8s.io//ClusterRoleBinding subjects
nameReference /v1/ServiceAccount //Pod spec/serviceAccountName
nameReference /v1/ServiceAccount //StatefulSet spec/template/spec/serviceAccountName
nameReference /v1/ServiceAccount //Deployment spec/template/spec/serviceAccountName
nameReference /v1/ServiceAccount //ReplicationController spec/template/spec/serviceAccountName
nameReference /v1/ServiceAccount //CronJob spec/jobTemplate/spec/template/spec/serviceAccountName
nameReference /v1/ServiceAccount //Job spec/template/spec/serviceAccountName
nameReference /v1/ServiceAccount //DaemonSet spec/template/spec/serviceAccountName
nameReference /v1/PersistentVolumeClaim //Pod spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolumeClaim //StatefulSet spec/template/spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolumeClaim //Deployment spec/template/spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolumeClaim //ReplicationController spec/template/spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolumeClaim //CronJob spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolumeClaim //Job spec/template/spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolumeClaim //DaemonSet spec/template/spec/volumes/persistentVolumeClaim/claimName
nameReference /v1/PersistentVolume //PersistentVolumeClaim spec/volumeName
nameReference /v1/PersistentVolume //ClusterRole rules/resourceNames
nameReference storage.k8s.io/v1/StorageClass //PersistentVolume spec/storageClassName
nameReference storage.k8s.io/v1/StorageClass //PersistentVolumeClaim spec/storageClassName
nameReference storage.k8s.io/v1/StorageClass //StatefulSet spec/volumeClaimTemplates/spec/storageClassName
nameReference scheduling.k8s.io/v1/PriorityClass //Pod spec/priorityClassName
nameReference scheduling.k8s.io/v1/PriorityClass //StatefulSet spec/template/spec/priorityClassName
nameReference scheduling.k8s.io/v1/PriorityClass //Deployment spec/template/spec/priorityClassName
nameReference scheduling.k8s.io/v1/PriorityClass //ReplicationController spec/template/spec/priorityClassName
nameReference scheduling.k8s.io/v1/PriorityClass //CronJob spec/jobTemplate/spec/template/spec/priorityClassName
nameReference scheduling.k8s.io/v1/PriorityClass //Job spec/template/spec/priorityClassName
nameReference scheduling.k8s.io/v1/PriorityClass //DaemonSet spec/template/spec/priorityClassName
nameReference networking.k8s.io/v1/v1/IngressClass //Ingress spec/ingressClassName
nameReference admissionregistration.k8s.io//ValidatingAdmissionPolicy admissionregistration.k8s.io//ValidatingAdmissionPolicyBinding spec/policyName
)";

Gvk ParseGvk(std::string_view s) {
  Gvk g;
  size_t a = s.find('/');
  size_t b = s.find('/', a + 1);
  g.group = std::string(s.substr(0, a));
  g.version = std::string(s.substr(a + 1, b - a - 1));
  g.kind = std::string(s.substr(b + 1));
  return g;
}

FieldSpecs* Section(TransformerConfig& c, std::string_view name) {
  if (name == "namePrefix") return &c.name_prefix;
  if (name == "nameSuffix") return &c.name_suffix;
  if (name == "namespace") return &c.name_space;
  if (name == "commonLabels") return &c.common_labels;
  if (name == "templateLabels") return &c.template_labels;
  if (name == "labels") return &c.labels;
  if (name == "commonAnnotations") return &c.common_annotations;
  if (name == "images") return &c.images;
  if (name == "replicas") return &c.replicas;
  if (name == "varReference") return &c.var_reference;
  return nullptr;
}

bool SameGvk(const Gvk& a, const Gvk& b) {
  return a.group == b.group && a.version == b.version && a.kind == b.kind;
}

Status AddBackRef(std::vector<NameBackRef>& refs, const NameBackRef& ref) {
  for (NameBackRef& have : refs) {
    if (SameGvk(have.target, ref.target)) return MergeFieldSpecs(have.referrers, ref.referrers);
  }
  refs.push_back(ref);
  return Status::Ok();
}

TransformerConfig BuildDefaults() {
  TransformerConfig c;
  std::istringstream in{std::string(kDefaultSpecs)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream f(line);
    std::string section, target, gvk, path, create;
    f >> section >> target >> gvk >> path >> create;
    FieldSpec fs;
    fs.gvk = ParseGvk(gvk);
    fs.path = path;
    fs.create = create == "+";
    if (section == "nameReference") {
      (void)AddBackRef(c.name_reference, NameBackRef{ParseGvk(target), {fs}});
    } else {
      Section(c, section)->push_back(fs);
    }
  }
  return c;
}

}  // namespace

const TransformerConfig& TransformerConfig::Defaults() {
  static const TransformerConfig kDefaults = BuildDefaults();
  return kDefaults;
}

Result<TransformerConfig> TransformerConfig::Parse(const Object& doc, std::string_view source) {
  TransformerConfig c;
  if (doc.is_null()) return c;
  if (!doc.is_object()) return InvalidArgument(std::string(source) + ": expected a mapping");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    std::string what = std::string(source) + ": " + key;
    if (key == "nameReference") {
      if (it->is_null()) continue;
      if (!it->is_array()) return InvalidArgument(what + ": expected a list");
      for (const Object& e : *it) {
        if (!e.is_object()) return InvalidArgument(what + ": expected a mapping");
        NameBackRef ref;
        ref.target.group = e.value("group", "");
        ref.target.version = e.value("version", "");
        ref.target.kind = e.value("kind", "");
        ASSIGN_OR_RETURN(ref.referrers,
                         ParseFieldSpecs(e.contains("fieldSpecs") ? e["fieldSpecs"] : Object(), what));
        RETURN_IF_ERROR(AddBackRef(c.name_reference, ref));
      }
      continue;
    }
    FieldSpecs* sec = Section(c, key);
    if (!sec) return InvalidArgument(what + ": unknown transformer configuration field");
    ASSIGN_OR_RETURN(FieldSpecs specs, ParseFieldSpecs(*it, what));
    RETURN_IF_ERROR(MergeFieldSpecs(*sec, specs));
  }
  return c;
}

Status TransformerConfig::Merge(const TransformerConfig& o) {
  RETURN_IF_ERROR(MergeFieldSpecs(name_prefix, o.name_prefix));
  RETURN_IF_ERROR(MergeFieldSpecs(name_suffix, o.name_suffix));
  RETURN_IF_ERROR(MergeFieldSpecs(name_space, o.name_space));
  RETURN_IF_ERROR(MergeFieldSpecs(common_labels, o.common_labels));
  RETURN_IF_ERROR(MergeFieldSpecs(template_labels, o.template_labels));
  RETURN_IF_ERROR(MergeFieldSpecs(labels, o.labels));
  RETURN_IF_ERROR(MergeFieldSpecs(common_annotations, o.common_annotations));
  RETURN_IF_ERROR(MergeFieldSpecs(images, o.images));
  RETURN_IF_ERROR(MergeFieldSpecs(replicas, o.replicas));
  RETURN_IF_ERROR(MergeFieldSpecs(var_reference, o.var_reference));
  for (const NameBackRef& ref : o.name_reference) RETURN_IF_ERROR(AddBackRef(name_reference, ref));
  return Status::Ok();
}

}  // namespace gitopsd::kustomize
