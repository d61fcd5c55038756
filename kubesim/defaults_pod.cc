// §9.1: PodSpec defaults, for Pods and every pod template.
#include <string>

#include "kubesim/internal/ssa_defaults.h"

namespace gitopsd::kubesim::internal {
namespace {

// `Always` for `:latest` or an untagged, undigested image, else
// `IfNotPresent` (upstream SetDefaults_Container).
std::string PullPolicyFor(const std::string& image) {
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!has_tag) return "Always";
  return image.substr(colon + 1) == "latest" ? "Always" : "IfNotPresent";
}

void DefaultProbe(Object& container, std::string_view key) {
  Object* probe = ObjectAt(container, key);
  if (probe == nullptr) return;
  SetDefault(*probe, "timeoutSeconds", 1);
  SetDefault(*probe, "periodSeconds", 10);
  SetDefault(*probe, "successThreshold", 1);
  SetDefault(*probe, "failureThreshold", 3);
  if (Object* http = ObjectAt(*probe, "httpGet")) {
    SetDefault(*http, "scheme", "HTTP");
    auto path = http->find("path");
    if (path == http->end() || path->is_null() || (path->is_string() && path->get<std::string>().empty())) {
      (*http)["path"] = "/";
    }
  }
}

void DefaultContainer(Object& c) {
  if (!c.is_object()) return;
  SetDefault(c, "terminationMessagePath", "/dev/termination-log");
  SetDefault(c, "terminationMessagePolicy", "File");
  SetDefault(c, "resources", Object::object());
  if (auto image = c.find("image"); image != c.end() && image->is_string()) {
    SetDefault(c, "imagePullPolicy", PullPolicyFor(image->get<std::string>()));
  }
  if (auto ports = c.find("ports"); ports != c.end() && ports->is_array()) {
    for (Object& p : *ports) SetDefault(p, "protocol", "TCP");
  }
  if (auto env = c.find("env"); env != c.end() && env->is_array()) {
    for (Object& e : *env) {
      Object* from = ObjectAt(e, "valueFrom");
      Object* field_ref = from != nullptr ? ObjectAt(*from, "fieldRef") : nullptr;
      if (field_ref != nullptr) SetDefault(*field_ref, "apiVersion", "v1");
    }
  }
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) DefaultProbe(c, probe);
}

constexpr const char* kVolumeSources[] = {
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
    "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
    "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
    "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
    "image"};

void DefaultVolume(Object& v) {
  if (!v.is_object()) return;
  for (const char* mode_source : {"configMap", "secret", "downwardAPI", "projected"}) {
    if (Object* src = ObjectAt(v, mode_source)) SetDefault(*src, "defaultMode", 420);
  }
  if (Object* host = ObjectAt(v, "hostPath")) SetDefault(*host, "type", "");
  for (const char* source : kVolumeSources) {
    if (v.contains(source)) return;
  }
  v["emptyDir"] = Object::object();
}

void ForEachIn(Object& spec, std::string_view key, void (*fn)(Object&)) {
  auto it = spec.find(key);
  if (it == spec.end() || !it->is_array()) return;
  for (Object& item : *it) fn(item);
}

}  // namespace

void SetDefault(Object& obj, std::string_view key, Object value) {
  if (!obj.is_object()) return;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) obj[std::string(key)] = std::move(value);
}

Object& Child(Object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return obj[std::string(key)] = Object::object();
  return *it;
}

Object* ObjectAt(Object& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? &*it : nullptr;
}

void DefaultPodSpec(Object& spec, bool default_restart_policy) {
  if (!spec.is_object()) return;
  if (default_restart_policy) SetDefault(spec, "restartPolicy", "Always");
  SetDefault(spec, "terminationGracePeriodSeconds", 30);
  SetDefault(spec, "dnsPolicy", "ClusterFirst");
  SetDefault(spec, "securityContext", Object::object());
  SetDefault(spec, "schedulerName", "default-scheduler");
  ForEachIn(spec, "containers", DefaultContainer);
  ForEachIn(spec, "initContainers", DefaultContainer);
  ForEachIn(spec, "volumes", DefaultVolume);
}

void DefaultPodTemplate(Object& tmpl, bool default_restart_policy) {
  if (!tmpl.is_object()) return;
  Object& meta = Child(tmpl, "metadata");
  if (meta.is_object() && !meta.contains("creationTimestamp")) meta["creationTimestamp"] = nullptr;
  DefaultPodSpec(Child(tmpl, "spec"), default_restart_policy);
}

void DefaultPod(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  DefaultPodSpec(spec, /*default_restart_policy=*/true);
  SetDefault(spec, "enableServiceLinks", true);
  SetDefault(spec, "preemptionPolicy", "PreemptLowerPriority");
  SetDefault(spec, "priority", 0);
  SetDefault(spec, "serviceAccountName", "default");
  SetDefault(spec, "serviceAccount", GetString(spec, "serviceAccountName"));
}

}  // namespace gitopsd::kubesim::internal
