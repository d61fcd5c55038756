#include "kubesim/admission.h"

#include <regex>

#include "kubesim/crd.h"
#include "kubesim/defaults.h"

namespace gitopsd::kubesim {
namespace {

bool ValidBase64(const std::string& s) {
  static const std::regex kRe("^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
  return std::regex_match(s, kRe);
}

std::optional<ApiError> CheckSecretData(const Object& obj) {
  const Object* data = FindPath(obj, "data");
  if (data == nullptr || !data->is_object()) return std::nullopt;
  for (auto it = data->begin(); it != data->end(); ++it) {
    if (!it.value().is_string() || !ValidBase64(it.value().get<std::string>())) {
      return BadRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input "
                        "byte 0 (data." + it.key() + ")");
    }
  }
  return std::nullopt;
}

std::string NextClusterIp(ServerState& state) {
  int n = state.next_cluster_ip++;
  return "10.96." + std::to_string((n / 250) % 250) + "." + std::to_string(n % 250 + 1);
}

}  // namespace

std::optional<ApiError> Admit(ServerState& state, const ResourceType& type, Object& obj, const Object* old) {
  const std::string& kind = type.info.kind;
  if (type.info.group.empty() && kind == "Secret") {
    if (auto e = CheckSecretData(obj)) return e;
  }
  DefaultsContext ctx;
  ctx.old_obj = old;
  ctx.allocate_cluster_ip = [&state] { return NextClusterIp(state); };
  ctx.allocate_node_port = [&state]() -> int64_t { return 30000 + (state.next_node_port++ - 30000) % 2768; };
  ApplyDefaults(obj, ctx);
  if (type.info.group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition") {
    if (auto e = PrepareCrd(state.cluster, obj)) return e;
  }
  return std::nullopt;
}

std::optional<ApiError> ValidateName(const ResourceType& type, const std::string& name) {
  static const std::regex kSubdomain("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  static const std::regex kLabel("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  if (name.empty()) {
    return Invalid(type.info.kind, type.info.group, name,
                   {FieldCause{"FieldValueRequired", "Required value: name or generateName is required",
                               "metadata.name"}});
  }
  bool label = type.info.group.empty() && (type.info.kind == "Namespace" || type.info.kind == "Service");
  bool ok = label ? (name.size() <= 63 && std::regex_match(name, kLabel))
                  : (name.size() <= 253 && std::regex_match(name, kSubdomain));
  if (!ok) {
    std::string what = label ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                               "'-', and must start and end with an alphanumeric character"
                             : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                               "'-' or '.', and must start and end with an alphanumeric character";
    return Invalid(type.info.kind, type.info.group, name,
                   {FieldCause{"FieldValueInvalid", "Invalid value: \"" + name + "\": " + what, "metadata.name"}});
  }
  return std::nullopt;
}

namespace {

void CheckPodTemplate(const Object& spec, const std::string& prefix, std::vector<FieldCause>& causes) {
  const Object* containers = FindPath(spec, "template.spec.containers");
  if (containers == nullptr || !containers->is_array() || containers->empty()) {
    causes.push_back({"FieldValueRequired", "Required value", prefix + "template.spec.containers"});
    return;
  }
  for (size_t i = 0; i < containers->size(); ++i) {
    const Object& c = (*containers)[i];
    std::string p = prefix + "template.spec.containers[" + std::to_string(i) + "]";
    if (!c.is_object() || c.value("name", "").empty()) causes.push_back({"FieldValueRequired", "Required value", p + ".name"});
    if (!c.is_object() || c.value("image", "").empty()) causes.push_back({"FieldValueRequired", "Required value", p + ".image"});
  }
}

bool SelectorMatchesTemplate(const Object& spec) {
  const Object* ml = FindPath(spec, "selector.matchLabels");
  const Object* labels = FindPath(spec, "template.metadata.labels");
  if (ml == nullptr || !ml->is_object()) return true;
  for (auto it = ml->begin(); it != ml->end(); ++it) {
    if (labels == nullptr || !labels->contains(it.key()) || (*labels)[it.key()] != it.value()) return false;
  }
  return true;
}

}  // namespace

std::optional<ApiError> Validate(const ResourceType& type, const Object& obj, const Object* old) {
  std::vector<FieldCause> causes;
  const std::string& kind = type.info.kind;
  const Object spec = obj.contains("spec") ? obj["spec"] : Object::object();
  if (type.info.group == "apps" && (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
                                    kind == "ReplicaSet")) {
    if (!spec.contains("selector")) {
      causes.push_back({"FieldValueRequired", "Required value", "spec.selector"});
    } else if (!SelectorMatchesTemplate(spec)) {
      causes.push_back({"FieldValueInvalid", "Invalid value: map[string]string{...}: `selector` does not match template `labels`",
                        "spec.template.metadata.labels"});
    }
    CheckPodTemplate(spec, "spec.", causes);
    if (old != nullptr && kind == "Deployment") {
      const Object* a = FindPath(*old, "spec.selector");
      const Object* b = FindPath(obj, "spec.selector");
      if (a != nullptr && b != nullptr && CanonicalJson(*a) != CanonicalJson(*b)) {
        causes.push_back({"FieldValueInvalid", "Invalid value: field is immutable", "spec.selector"});
      }
    }
  }
  if (type.info.group == "batch" && kind == "Job") {
    std::string rp = GetString(spec, "template.spec.restartPolicy");
    if (rp != "Never" && rp != "OnFailure") {
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: \"" + rp + "\": supported values: \"OnFailure\", \"Never\"",
                        "spec.template.spec.restartPolicy"});
    }
    CheckPodTemplate(spec, "spec.", causes);
  }
  if (type.info.group.empty() && kind == "Service" && spec.contains("ports") && spec["ports"].is_array()) {
    for (size_t i = 0; i < spec["ports"].size(); ++i) {
      if (!spec["ports"][i].contains("port")) {
        causes.push_back({"FieldValueRequired", "Required value", "spec.ports[" + std::to_string(i) + "].port"});
      }
    }
  }
  if (causes.empty()) return std::nullopt;
  return Invalid(kind, type.info.group, obj["metadata"].value("name", ""), causes);
}

}  // namespace gitopsd::kubesim
