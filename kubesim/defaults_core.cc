// §9.3, §9.4, §9.6: Service, Secret, Namespace, PVC, Ingress, NetworkPolicy
// and RBAC bindings.
#include <cstdint>
#include <string>

#include "kubesim/internal/ssa_defaults.h"

namespace gitopsd::kubesim::internal {
namespace {

constexpr char kRbacGroup[] = "rbac.authorization.k8s.io";

std::string Base64(const std::string& in) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

std::string ProtocolOf(const Object& port) {
  std::string protocol = GetString(port, "protocol");
  return protocol.empty() ? "TCP" : protocol;
}

bool SamePort(const Object& a, const Object& b) {
  auto pa = a.find("port");
  auto pb = b.find("port");
  return pa != a.end() && pb != b.end() && CanonicalJson(*pa) == CanonicalJson(*pb) &&
         ProtocolOf(a) == ProtocolOf(b);
}

// Cluster IPs and node ports the write omitted, taken from the stored object.
void CarryOverAllocations(Object& spec, const Object* old_obj) {
  const Object* old_spec = old_obj != nullptr ? FindPath(*old_obj, "spec") : nullptr;
  if (old_spec == nullptr || !old_spec->is_object()) return;
  for (const char* key : {"clusterIP", "clusterIPs", "healthCheckNodePort"}) {
    if (auto it = old_spec->find(key); it != old_spec->end() && (!spec.contains(key) || spec[key].is_null() ||
                                                                  (spec[key].is_string() && spec[key] == ""))) {
      spec[key] = *it;
    }
  }
  auto old_ports = old_spec->find("ports");
  auto ports = spec.find("ports");
  if (old_ports == old_spec->end() || ports == spec.end() || !old_ports->is_array() || !ports->is_array()) return;
  for (Object& p : *ports) {
    if (!p.is_object() || p.contains("nodePort")) continue;
    for (const Object& q : *old_ports) {
      if (q.is_object() && q.contains("nodePort") && SamePort(p, q)) {
        p["nodePort"] = q["nodePort"];
      }
    }
  }
}

void DefaultServiceIps(Object& spec, const DefaultsContext& ctx) {
  std::string ip = GetString(spec, "clusterIP");
  if (ip.empty() && ctx.allocate_cluster_ip) {
    ip = ctx.allocate_cluster_ip();
    spec["clusterIP"] = ip;
  }
  if (!ip.empty()) SetDefault(spec, "clusterIPs", Object::array({ip}));
  SetDefault(spec, "ipFamilies", Object::array({"IPv4"}));
  SetDefault(spec, "ipFamilyPolicy", "SingleStack");
  SetDefault(spec, "internalTrafficPolicy", "Cluster");
}

}  // namespace

void DefaultService(Object& obj, const DefaultsContext& ctx) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  SetDefault(spec, "type", "ClusterIP");
  SetDefault(spec, "sessionAffinity", "None");
  std::string type = GetString(spec, "type");
  CarryOverAllocations(spec, ctx.old_obj);
  bool node_ports = type == "NodePort" || type == "LoadBalancer";
  if (auto ports = spec.find("ports"); ports != spec.end() && ports->is_array()) {
    for (Object& p : *ports) {
      if (!p.is_object()) continue;
      SetDefault(p, "protocol", "TCP");
      if (p.contains("port")) SetDefault(p, "targetPort", p["port"]);
      if (node_ports && !p.contains("nodePort") && ctx.allocate_node_port) p["nodePort"] = ctx.allocate_node_port();
    }
  }
  if (type != "ExternalName") DefaultServiceIps(spec, ctx);
  if (node_ports) SetDefault(spec, "externalTrafficPolicy", "Cluster");
  if (type == "LoadBalancer") SetDefault(spec, "allocateLoadBalancerNodePorts", true);
  if (GetString(spec, "sessionAffinity") == "ClientIP") {
    SetDefault(Child(Child(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds", 10800);
  }
  SetDefault(obj, "status", Object{{"loadBalancer", Object::object()}});
}

void DefaultSecret(Object& obj, const DefaultsContext&) {
  auto type = obj.find("type");
  if (type == obj.end() || type->is_null() || *type == "") obj["type"] = "Opaque";
  auto string_data = obj.find("stringData");
  if (string_data == obj.end()) return;
  if (string_data->is_object()) {
    Object& data = Child(obj, "data");
    for (auto it = string_data->begin(); it != string_data->end(); ++it) {
      if (it->is_string()) data[it.key()] = Base64(it->get<std::string>());
    }
  }
  obj.erase("stringData");
}

void DefaultNamespace(Object& obj, const DefaultsContext&) {
  std::string name = NameOf(obj);
  if (!name.empty()) Child(Child(obj, "metadata"), "labels")["kubernetes.io/metadata.name"] = name;
  SetDefault(Child(obj, "spec"), "finalizers", Object::array({"kubernetes"}));
  SetDefault(Child(obj, "status"), "phase", "Active");
}

void DefaultPersistentVolumeClaim(Object& obj, const DefaultsContext&) {
  SetDefault(Child(obj, "spec"), "volumeMode", "Filesystem");
  SetDefault(Child(obj, "status"), "phase", "Pending");
}

void DefaultIngress(Object& obj, const DefaultsContext&) {
  SetDefault(obj, "status", Object{{"loadBalancer", Object::object()}});
}

void DefaultNetworkPolicy(Object& obj, const DefaultsContext&) {
  Object& spec = Child(obj, "spec");
  if (!spec.is_object()) return;
  for (const char* dir : {"ingress", "egress"}) {
    auto rules = spec.find(dir);
    if (rules == spec.end() || !rules->is_array()) continue;
    for (Object& rule : *rules) {
      if (auto ports = rule.find("ports"); rule.is_object() && ports != rule.end() && ports->is_array()) {
        for (Object& p : *ports) SetDefault(p, "protocol", "TCP");
      }
    }
  }
  auto types = spec.find("policyTypes");
  if (types != spec.end() && types->is_array() && !types->empty()) return;
  Object defaulted = Object::array({"Ingress"});
  auto egress = spec.find("egress");
  if (egress != spec.end() && egress->is_array() && !egress->empty()) defaulted.push_back("Egress");
  spec["policyTypes"] = std::move(defaulted);
}

void DefaultRoleBinding(Object& obj, const DefaultsContext&) {
  if (Object* ref = ObjectAt(obj, "roleRef")) {
    auto group = ref->find("apiGroup");
    if (group == ref->end() || group->is_null() || *group == "") (*ref)["apiGroup"] = kRbacGroup;
  }
  auto subjects = obj.find("subjects");
  if (subjects == obj.end() || !subjects->is_array()) return;
  for (Object& s : *subjects) {
    if (!s.is_object()) continue;
    std::string kind = GetString(s, "kind");
    if ((kind == "User" || kind == "Group") && GetString(s, "apiGroup").empty()) s["apiGroup"] = kRbacGroup;
  }
}

}  // namespace gitopsd::kubesim::internal
