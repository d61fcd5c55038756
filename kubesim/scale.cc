#include "kubesim/scale.h"

#include <map>

namespace gitopsd::kubesim {

std::string SelectorString(const Object& selector) {
  std::string out;
  auto add = [&out](const std::string& s) { out += (out.empty() ? "" : ",") + s; };
  if (!selector.is_object()) return out;
  if (selector.contains("matchLabels") && selector["matchLabels"].is_object()) {
    std::map<std::string, std::string> sorted;
    for (auto it = selector["matchLabels"].begin(); it != selector["matchLabels"].end(); ++it) {
      sorted[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    }
    for (const auto& [k, v] : sorted) add(k + "=" + v);
  }
  if (selector.contains("matchExpressions") && selector["matchExpressions"].is_array()) {
    for (const auto& e : selector["matchExpressions"]) {
      std::string key = e.value("key", "");
      std::string op = e.value("operator", "");
      std::string values;
      for (const auto& v : e.value("values", Object::array())) {
        values += (values.empty() ? "" : ",") + (v.is_string() ? v.get<std::string>() : v.dump());
      }
      if (op == "In") add(key + " in (" + values + ")");
      if (op == "NotIn") add(key + " notin (" + values + ")");
      if (op == "Exists") add(key);
      if (op == "DoesNotExist") add("!" + key);
    }
  }
  return out;
}

Object ScaleOf(const Object& owner) {
  const Object& m = owner["metadata"];
  Object meta = Object::object();
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (m.contains(k)) meta[k] = m[k];
  }
  int64_t spec_replicas = 1;
  if (owner.contains("spec") && owner["spec"].contains("replicas")) spec_replicas = owner["spec"]["replicas"];
  int64_t status_replicas = 0;
  if (owner.contains("status") && owner["status"].is_object()) status_replicas = owner["status"].value("replicas", int64_t{0});
  Object status = Object{{"replicas", status_replicas}};
  if (owner.contains("spec") && owner["spec"].contains("selector")) {
    status["selector"] = SelectorString(owner["spec"]["selector"]);
  }
  return Object{{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata", meta},
                {"spec", {{"replicas", spec_replicas}}},
                {"status", status}};
}

}  // namespace gitopsd::kubesim
