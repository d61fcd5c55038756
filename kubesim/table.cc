#include "kubesim/table.h"

#include <ctime>
#include <functional>

#include "kubesim/scale.h"
#include "kubesim/util.h"

namespace gitopsd::kubesim {
namespace {

struct Column {
  const char* name;
  const char* type;  // "string" | "integer"
  int priority;
  std::function<Object(const Object&)> cell;
};

int64_t Int(const Object& o, const char* path) {
  const Object* v = FindPath(o, path);
  return v != nullptr && v->is_number_integer() ? v->get<int64_t>() : 0;
}

Object NameCell(const Object& o) { return GetString(o, "metadata.name"); }
Object AgeCell(const Object& o) { return Age(GetString(o, "metadata.creationTimestamp")); }

std::string Ports(const Object& svc) {
  std::string out;
  const Object* ports = FindPath(svc, "spec.ports");
  if (ports == nullptr || !ports->is_array()) return "<none>";
  for (const auto& p : *ports) {
    std::string s = std::to_string(p.value("port", 0));
    if (p.contains("nodePort")) s += ":" + std::to_string(p.value("nodePort", 0));
    s += "/" + p.value("protocol", std::string("TCP"));
    out += (out.empty() ? "" : ",") + s;
  }
  return out.empty() ? "<none>" : out;
}

std::string ExternalIp(const Object& svc) {
  const Object* ing = FindPath(svc, "status.loadBalancer.ingress");
  if (ing != nullptr && ing->is_array() && !ing->empty()) return (*ing)[0].value("ip", std::string("<pending>"));
  return GetString(svc, "spec.type") == "LoadBalancer" ? "<pending>" : "<none>";
}

std::string Containers(const Object& o, const char* field) {
  std::string out;
  const Object* cs = FindPath(o, "spec.template.spec.containers");
  if (cs == nullptr || !cs->is_array()) return out;
  for (const auto& c : *cs) out += (out.empty() ? "" : ",") + c.value(field, std::string());
  return out;
}

std::vector<Column> ColumnsFor(const ResourceType& t) {
  const std::string& k = t.info.kind;
  const std::string& g = t.info.group;
  Column name{"Name", "string", 0, NameCell};
  Column age{"Age", "string", 0, AgeCell};
  if (g.empty() && k == "Namespace") {
    return {name, {"Status", "string", 0, [](const Object& o) { return Object(GetString(o, "status.phase")); }}, age};
  }
  if (g.empty() && k == "ConfigMap") {
    return {name, {"Data", "integer", 0, [](const Object& o) {
                     return Object(o.contains("data") ? o["data"].size() : 0) ; }}, age};
  }
  if (g.empty() && k == "Secret") {
    return {name, {"Type", "string", 0, [](const Object& o) { return Object(GetString(o, "type")); }},
            {"Data", "integer", 0, [](const Object& o) { return Object(o.contains("data") ? o["data"].size() : 0); }},
            age};
  }
  if (g.empty() && k == "Service") {
    return {name,
            {"Type", "string", 0, [](const Object& o) { return Object(GetString(o, "spec.type")); }},
            {"Cluster-IP", "string", 0, [](const Object& o) { return Object(GetString(o, "spec.clusterIP")); }},
            {"External-IP", "string", 0, [](const Object& o) { return Object(ExternalIp(o)); }},
            {"Port(s)", "string", 0, [](const Object& o) { return Object(Ports(o)); }},
            age,
            {"Selector", "string", 1, [](const Object& o) {
               const Object* s = FindPath(o, "spec.selector");
               return Object(s ? SelectorString(Object{{"matchLabels", *s}}) : std::string("<none>")); }}};
  }
  if (g.empty() && k == "Pod") {
    return {name,
            {"Ready", "string", 0, [](const Object& o) {
               const Object* cs = FindPath(o, "spec.containers");
               size_t n = cs && cs->is_array() ? cs->size() : 0;
               size_t ready = 0;
               const Object* st = FindPath(o, "status.containerStatuses");
               if (st && st->is_array()) for (const auto& c : *st) ready += c.value("ready", false) ? 1 : 0;
               return Object(std::to_string(ready) + "/" + std::to_string(n)); }},
            {"Status", "string", 0, [](const Object& o) { return Object(GetString(o, "status.phase")); }},
            {"Restarts", "integer", 0, [](const Object&) { return Object(0); }},
            age};
  }
  if (g == "apps" && k == "Deployment") {
    return {name,
            {"Ready", "string", 0, [](const Object& o) {
               return Object(std::to_string(Int(o, "status.readyReplicas")) + "/" +
                             std::to_string(FindPath(o, "spec.replicas") ? Int(o, "spec.replicas") : 1)); }},
            {"Up-to-date", "integer", 0, [](const Object& o) { return Object(Int(o, "status.updatedReplicas")); }},
            {"Available", "integer", 0, [](const Object& o) { return Object(Int(o, "status.availableReplicas")); }},
            age,
            {"Containers", "string", 1, [](const Object& o) { return Object(Containers(o, "name")); }},
            {"Images", "string", 1, [](const Object& o) { return Object(Containers(o, "image")); }},
            {"Selector", "string", 1, [](const Object& o) {
               const Object* s = FindPath(o, "spec.selector");
               return Object(s ? SelectorString(*s) : std::string()); }}};
  }
  if (g == "apps" && k == "StatefulSet") {
    return {name,
            {"Ready", "string", 0, [](const Object& o) {
               return Object(std::to_string(Int(o, "status.readyReplicas")) + "/" +
                             std::to_string(FindPath(o, "spec.replicas") ? Int(o, "spec.replicas") : 1)); }},
            age};
  }
  if (g == "apps" && k == "ReplicaSet") {
    return {name,
            {"Desired", "integer", 0, [](const Object& o) { return Object(Int(o, "spec.replicas")); }},
            {"Current", "integer", 0, [](const Object& o) { return Object(Int(o, "status.replicas")); }},
            {"Ready", "integer", 0, [](const Object& o) { return Object(Int(o, "status.readyReplicas")); }},
            age};
  }
  if (g == "batch" && k == "Job") {
    return {name,
            {"Status", "string", 0, [](const Object& o) {
               return Object(Int(o, "status.succeeded") > 0 ? "Complete" : Int(o, "status.failed") > 0 ? "Failed" : "Running"); }},
            {"Completions", "string", 0, [](const Object& o) {
               return Object(std::to_string(Int(o, "status.succeeded")) + "/" + std::to_string(
                   FindPath(o, "spec.completions") ? Int(o, "spec.completions") : 1)); }},
            age};
  }
  return {name, age};
}

}  // namespace

std::string Age(const std::string& since) {
  long long t = ParseRfc3339(since);
  if (t == 0) return "<unknown>";
  long long d = static_cast<long long>(std::time(nullptr)) - t;
  if (d < 0) d = 0;
  if (d < 120) return std::to_string(d) + "s";
  if (d < 600) return std::to_string(d / 60) + "m" + (d % 60 ? std::to_string(d % 60) + "s" : "");
  if (d < 3 * 3600) return std::to_string(d / 60) + "m";
  if (d < 8 * 3600) return std::to_string(d / 3600) + "h" + (d % 3600 / 60 ? std::to_string(d % 3600 / 60) + "m" : "");
  if (d < 48 * 3600) return std::to_string(d / 3600) + "h";
  if (d < 8 * 86400) return std::to_string(d / 86400) + "d" + (d % 86400 / 3600 ? std::to_string(d % 86400 / 3600) + "h" : "");
  return std::to_string(d / 86400) + "d";
}

Object TableOf(const ResourceType& type, const std::vector<const Object*>& objects, const std::string& rv,
               bool with_columns) {
  std::vector<Column> cols = ColumnsFor(type);
  Object table = Object{{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", {{"resourceVersion", rv}}}};
  if (with_columns) {
    Object defs = Object::array();
    for (const auto& c : cols) {
      defs.push_back({{"name", c.name}, {"type", c.type}, {"format", std::string(c.name) == "Name" ? "name" : ""},
                      {"description", c.name}, {"priority", c.priority}});
    }
    table["columnDefinitions"] = defs;
  }
  Object rows = Object::array();
  for (const Object* o : objects) {
    Object cells = Object::array();
    for (const auto& c : cols) cells.push_back(c.cell(*o));
    Object meta = (*o)["metadata"];
    meta.erase("managedFields");
    rows.push_back({{"cells", cells},
                    {"object", {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", meta}}}});
  }
  table["rows"] = rows;
  return table;
}

}  // namespace gitopsd::kubesim
