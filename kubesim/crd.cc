#include "kubesim/crd.h"

#include <algorithm>

#include "kubesim/util.h"

namespace gitopsd::kubesim {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Object Condition(const Object& status, const std::string& type, const std::string& reason,
                 const std::string& message) {
  std::string t = NowRfc3339();
  const Object* conds = status.contains("conditions") ? &status["conditions"] : nullptr;
  if (conds != nullptr && conds->is_array()) {
    for (const auto& c : *conds) {
      if (c.value("type", "") == type && c.value("status", "") == "True" && c.contains("lastTransitionTime")) {
        t = c["lastTransitionTime"].get<std::string>();
      }
    }
  }
  return Object{{"type", type}, {"status", "True"}, {"lastTransitionTime", t}, {"reason", reason}, {"message", message}};
}

ApiError CrdInvalid(const std::string& name, const std::string& field, const std::string& message) {
  return Invalid("CustomResourceDefinition", "apiextensions.k8s.io", name,
                 {FieldCause{"FieldValueInvalid", message, field}});
}

}  // namespace

std::string CrdStorageKey(const Object& crd) {
  return GetString(crd, "spec.group") + "/" + GetString(crd, "spec.names.plural");
}

std::optional<ApiError> PrepareCrd(const Cluster& cluster, Object& crd) {
  std::string name = GetString(crd, "metadata.name");
  std::string group = GetString(crd, "spec.group");
  std::string plural = GetString(crd, "spec.names.plural");
  std::string kind = GetString(crd, "spec.names.kind");
  if (group.empty() || plural.empty() || kind.empty()) {
    return CrdInvalid(name, "spec", "Required value: spec.group, spec.names.plural and spec.names.kind are required");
  }
  if (name != plural + "." + group) {
    return CrdInvalid(name, "metadata.name", "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group");
  }
  const Object* versions = FindPath(crd, "spec.versions");
  int storage = 0;
  std::string storage_version;
  if (versions != nullptr && versions->is_array()) {
    for (const auto& v : *versions) {
      if (v.value("storage", false)) {
        ++storage;
        storage_version = v.value("name", "");
      }
    }
  }
  if (storage != 1) {
    return CrdInvalid(name, "spec.versions", "Invalid value: must have exactly one version marked as storage version");
  }
  if (!crd["spec"]["names"].contains("singular")) crd["spec"]["names"]["singular"] = Lower(kind);
  if (!crd["spec"]["names"].contains("listKind")) crd["spec"]["names"]["listKind"] = kind + "List";
  if (!crd["spec"].contains("conversion")) crd["spec"]["conversion"] = Object{{"strategy", "None"}};
  if (!crd["spec"].contains("scope")) crd["spec"]["scope"] = "Namespaced";
  const Object names = crd["spec"]["names"];
  const ResourceType* clash = cluster.FindByKey(group + "/" + plural);
  if (clash != nullptr && !clash->custom) {
    return CrdInvalid(name, "spec.names.plural", "Invalid value: \"" + plural + "\": the resource is built in");
  }
  Object status = crd.contains("status") && crd["status"].is_object() ? crd["status"] : Object::object();
  Object stored = status.contains("storedVersions") ? status["storedVersions"] : Object::array();
  if (std::find(stored.begin(), stored.end(), Object(storage_version)) == stored.end()) stored.push_back(storage_version);
  Object accepted = Object{{"plural", plural}, {"singular", names["singular"]}, {"kind", kind}, {"listKind", names["listKind"]}};
  if (names.contains("shortNames")) accepted["shortNames"] = names["shortNames"];
  if (names.contains("categories")) accepted["categories"] = names["categories"];
  Object next = Object::object();
  next["conditions"] = Object::array(
      {Condition(status, "NamesAccepted", "NoConflicts", "no conflicts found"),
       Condition(status, "Established", "InitialNamesAccepted", "the initial names have been accepted")});
  next["acceptedNames"] = accepted;
  next["storedVersions"] = stored;
  crd["status"] = next;
  return std::nullopt;
}

void RegisterCrd(Cluster& cluster, const Object& crd) {
  ResourceType t;
  t.custom = true;
  t.crd_name = GetString(crd, "metadata.name");
  t.crd = crd;
  t.info.group = GetString(crd, "spec.group");
  t.info.kind = GetString(crd, "spec.names.kind");
  t.info.plural = GetString(crd, "spec.names.plural");
  t.info.singular = GetString(crd, "spec.names.singular");
  t.info.namespaced = GetString(crd, "spec.scope") != "Cluster";
  t.list_kind = GetString(crd, "spec.names.listKind");
  const Object* sn = FindPath(crd, "spec.names.shortNames");
  if (sn != nullptr && sn->is_array()) t.info.short_names = sn->get<std::vector<std::string>>();
  const Object* cat = FindPath(crd, "spec.names.categories");
  if (cat != nullptr && cat->is_array()) t.info.categories = cat->get<std::vector<std::string>>();
  t.info.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
  const Object* versions = FindPath(crd, "spec.versions");
  for (const auto& v : *versions) {
    if (!v.value("served", true)) continue;
    std::string name = v.value("name", "");
    if (v.value("storage", false)) {
      t.versions.insert(t.versions.begin(), name);
      const Object* subs = v.contains("subresources") ? &v["subresources"] : nullptr;
      if (subs != nullptr && subs->contains("scale")) t.info.subresources.push_back("scale");
      if (subs != nullptr && subs->contains("status")) t.info.subresources.push_back("status");
    } else {
      t.versions.push_back(name);
    }
  }
  if (t.versions.empty()) {
    cluster.RemoveCustomType(t.StorageKey());
    return;
  }
  t.info.version = t.versions[0];
  cluster.PutCustomType(std::move(t));
}

}  // namespace gitopsd::kubesim
