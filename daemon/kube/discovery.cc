#include "daemon/kube/discovery.h"

namespace gitopsd::kube {
namespace {

std::vector<std::string> Strings(const Object& obj, const char* key) {
  std::vector<std::string> out;
  const Object* list = FindPath(obj, key);
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& v : *list) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

Gvk Gvk::FromApiVersion(std::string_view api_version, std::string kind) {
  Gvk gvk;
  ResId::SplitApiVersion(api_version, &gvk.group, &gvk.version);
  gvk.kind = std::move(kind);
  return gvk;
}

bool ResourceInfo::HasVerb(std::string_view verb) const {
  for (const auto& v : verbs) {
    if (v == verb) return true;
  }
  return false;
}

std::string ResourceInfo::GroupResource() const {
  return gvk.group.empty() ? resource : resource + "." + gvk.group;
}

Result<std::vector<ResourceInfo>> ParseAggregatedDiscovery(const Object& doc) {
  const Object* items = FindPath(doc, "items");
  if (items == nullptr || !items->is_array()) {
    return InvalidArgument("aggregated discovery document has no items list");
  }
  std::vector<ResourceInfo> out;
  for (const auto& group : *items) {
    std::string group_name = GetString(group, "metadata.name");
    const Object* versions = FindPath(group, "versions");
    if (versions == nullptr || !versions->is_array()) continue;
    for (const auto& version : *versions) {
      const Object* resources = FindPath(version, "resources");
      if (resources == nullptr || !resources->is_array()) continue;
      for (const auto& r : *resources) {
        ResourceInfo info;
        info.resource = GetString(r, "resource");
        info.gvk.group = group_name;
        info.gvk.version = GetString(version, "version");
        info.gvk.kind = GetString(r, "responseKind.kind");
        info.singular = GetString(r, "singularResource");
        info.namespaced = GetString(r, "scope") == "Namespaced";
        info.verbs = Strings(r, "verbs");
        info.short_names = Strings(r, "shortNames");
        if (info.resource.empty() || info.gvk.kind.empty()) continue;
        out.push_back(std::move(info));
      }
    }
  }
  return out;
}

std::vector<std::string> ParseLegacyGroupVersions(const Object& doc) {
  std::vector<std::string> out = Strings(doc, "versions");  // APIVersions (/api)
  const Object* groups = FindPath(doc, "groups");
  if (groups != nullptr && groups->is_array()) {
    for (const auto& g : *groups) {
      const Object* versions = FindPath(g, "versions");
      if (versions == nullptr || !versions->is_array()) continue;
      for (const auto& v : *versions) out.push_back(GetString(v, "groupVersion"));
    }
  }
  return out;
}

Result<std::vector<ResourceInfo>> ParseApiResourceList(const Object& doc) {
  std::string group_version = GetString(doc, "groupVersion");
  if (group_version.empty()) return InvalidArgument("APIResourceList has no groupVersion");
  const Object* resources = FindPath(doc, "resources");
  std::vector<ResourceInfo> out;
  if (resources == nullptr || !resources->is_array()) return out;
  for (const auto& r : *resources) {
    ResourceInfo info;
    info.resource = GetString(r, "name");
    if (info.resource.empty() || info.resource.find('/') != std::string::npos) continue;
    info.gvk = Gvk::FromApiVersion(group_version, GetString(r, "kind"));
    info.singular = GetString(r, "singularName");
    const Object* namespaced = FindPath(r, "namespaced");
    info.namespaced = namespaced != nullptr && namespaced->is_boolean() && namespaced->get<bool>();
    info.verbs = Strings(r, "verbs");
    info.short_names = Strings(r, "shortNames");
    out.push_back(std::move(info));
  }
  return out;
}

void DiscoveryCache::Reset(std::vector<ResourceInfo> resources) {
  std::map<Gvk, ResourceInfo> fresh;
  for (auto& r : resources) fresh.emplace(r.gvk, std::move(r));
  std::lock_guard lock(mu_);
  by_gvk_ = std::move(fresh);
}

bool DiscoveryCache::empty() const {
  std::lock_guard lock(mu_);
  return by_gvk_.empty();
}

std::optional<ResourceInfo> DiscoveryCache::Find(const Gvk& gvk) const {
  std::lock_guard lock(mu_);
  auto it = by_gvk_.find(gvk);
  if (it == by_gvk_.end()) return std::nullopt;
  return it->second;
}

std::vector<ResourceInfo> DiscoveryCache::All() const {
  std::lock_guard lock(mu_);
  std::vector<ResourceInfo> out;
  for (const auto& [gvk, info] : by_gvk_) out.push_back(info);
  return out;
}

}  // namespace gitopsd::kube
