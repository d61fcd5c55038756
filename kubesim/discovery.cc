// Discovery documents (kube-api-contract §3): aggregated (apidiscovery v2)
// and legacy (APIVersions, APIGroupList, APIGroup, APIResourceList), built
// from the cluster's registry on every request so CRDs show up at once.
#include <map>
#include <vector>

#include "kubesim/state.h"

namespace gitopsd::kubesim {
namespace {

struct GroupView {
  std::string name;
  std::vector<std::string> versions;  // preferred first
  std::vector<const ResourceType*> types;
};

std::vector<GroupView> Groups(const Cluster& cluster) {
  std::vector<GroupView> out;
  std::map<std::string, size_t> index;
  for (const ResourceType* t : cluster.Resources()) {
    auto [it, inserted] = index.emplace(t->info.group, out.size());
    if (inserted) out.push_back(GroupView{t->info.group, {}, {}});
    GroupView& g = out[it->second];
    g.types.push_back(t);
    for (const auto& v : t->versions) {
      if (std::find(g.versions.begin(), g.versions.end(), v) == g.versions.end()) g.versions.push_back(v);
    }
  }
  return out;
}

Object Gvk(const std::string& g, const std::string& v, const std::string& k) {
  return Object{{"group", g}, {"version", v}, {"kind", k}};
}

Object SubresourceVerbs(const std::string& sub) {
  if (sub == "finalize") return Object::array({"update"});
  return Object::array({"get", "patch", "update"});
}

Object AggregatedResource(const ResourceType& t, const std::string& version) {
  Object r = Object::object();
  r["resource"] = t.info.plural;
  r["responseKind"] = Gvk(t.info.group, version, t.info.kind);
  r["scope"] = t.info.namespaced ? "Namespaced" : "Cluster";
  r["singularResource"] = t.info.singular;
  r["verbs"] = t.info.verbs;
  if (!t.info.short_names.empty()) r["shortNames"] = t.info.short_names;
  if (!t.info.categories.empty()) r["categories"] = t.info.categories;
  if (!t.info.subresources.empty()) {
    Object subs = Object::array();
    for (const auto& s : t.info.subresources) {
      Object sub = Object::object();
      sub["subresource"] = s;
      sub["responseKind"] = s == "scale" ? Gvk("autoscaling", "v1", "Scale") : Gvk(t.info.group, version, t.info.kind);
      sub["verbs"] = SubresourceVerbs(s);
      subs.push_back(sub);
    }
    r["subresources"] = subs;
  }
  return r;
}

Object AggregatedGroup(const GroupView& g) {
  Object item = Object::object();
  item["metadata"] = Object::object();
  if (!g.name.empty()) item["metadata"]["name"] = g.name;
  item["metadata"]["creationTimestamp"] = nullptr;
  Object versions = Object::array();
  for (const auto& v : g.versions) {
    Object resources = Object::array();
    for (const ResourceType* t : g.types) {
      if (t->ServesVersion(v)) resources.push_back(AggregatedResource(*t, v));
    }
    versions.push_back({{"version", v}, {"resources", resources}, {"freshness", "Current"}});
  }
  item["versions"] = versions;
  return item;
}

Object Aggregated(const Cluster& cluster, bool core) {
  Object items = Object::array();
  for (const GroupView& g : Groups(cluster)) {
    if (core == g.name.empty()) items.push_back(AggregatedGroup(g));
  }
  return Object{{"kind", "APIGroupDiscoveryList"},
                {"apiVersion", "apidiscovery.k8s.io/v2"},
                {"metadata", Object::object()},
                {"items", items}};
}

Object GroupVersionRef(const std::string& group, const std::string& v) {
  return Object{{"groupVersion", group + "/" + v}, {"version", v}};
}

Object LegacyGroup(const GroupView& g) {
  Object versions = Object::array();
  for (const auto& v : g.versions) versions.push_back(GroupVersionRef(g.name, v));
  return Object{{"name", g.name}, {"versions", versions}, {"preferredVersion", GroupVersionRef(g.name, g.versions[0])}};
}

Object ResourceList(const GroupView& g, const std::string& version) {
  Object resources = Object::array();
  for (const ResourceType* t : g.types) {
    if (!t->ServesVersion(version)) continue;
    Object r = Object::object();
    r["name"] = t->info.plural;
    r["singularName"] = t->info.singular;
    r["namespaced"] = t->info.namespaced;
    r["kind"] = t->info.kind;
    r["verbs"] = t->info.verbs;
    if (!t->info.short_names.empty()) r["shortNames"] = t->info.short_names;
    if (!t->info.categories.empty()) r["categories"] = t->info.categories;
    resources.push_back(r);
    for (const auto& s : t->info.subresources) {
      Object sr = Object::object();
      sr["name"] = t->info.plural + "/" + s;
      sr["singularName"] = "";
      sr["namespaced"] = t->info.namespaced;
      if (s == "scale") {
        sr["group"] = "autoscaling";
        sr["version"] = "v1";
        sr["kind"] = "Scale";
      } else {
        sr["kind"] = t->info.kind;
      }
      sr["verbs"] = SubresourceVerbs(s);
      resources.push_back(sr);
    }
  }
  std::string gv = g.name.empty() ? version : g.name + "/" + version;
  return Object{{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", gv}, {"resources", resources}};
}

bool WantsAggregated(const net::HttpRequest& req) {
  std::string accept = req.Header("accept");
  return accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
         accept.find("g=apidiscovery.k8s.io") != std::string::npos &&
         accept.find("v=v2") != std::string::npos;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

}  // namespace

net::HttpResponse HandleDiscovery(ServerState& state, const net::HttpRequest& req, bool* handled) {
  *handled = true;
  std::vector<std::string> seg = Split(req.path);
  auto lock = state.cluster.Lock();
  if (seg.size() == 1 && (seg[0] == "api" || seg[0] == "apis") && WantsAggregated(req)) {
    net::HttpResponse r = JsonResponse(200, Aggregated(state.cluster, seg[0] == "api"));
    r.SetHeader("Content-Type", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    r.SetHeader("Vary", "Accept");
    return r;
  }
  std::vector<GroupView> groups = Groups(state.cluster);
  if (seg.size() == 1 && seg[0] == "api") {
    Object cidr = Object::array({Object{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", state.server_address}}});
    return JsonResponse(200, Object{{"kind", "APIVersions"}, {"versions", Object::array({"v1"})},
                                    {"serverAddressByClientCIDRs", cidr}});
  }
  if (seg.size() == 1 && seg[0] == "apis") {
    Object list = Object::array();
    for (const auto& g : groups) {
      if (!g.name.empty()) list.push_back(LegacyGroup(g));
    }
    return JsonResponse(200, Object{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", list}});
  }
  if (seg.size() == 2 && seg[0] == "api") {
    if (seg[1] != "v1") return NotFoundPath().ToResponse();
    return JsonResponse(200, ResourceList(groups[0], "v1"));
  }
  if ((seg.size() == 2 || seg.size() == 3) && seg[0] == "apis") {
    for (const auto& g : groups) {
      if (g.name.empty() || g.name != seg[1]) continue;
      if (seg.size() == 2) {
        Object o = LegacyGroup(g);
        o["kind"] = "APIGroup";
        o["apiVersion"] = "v1";
        return JsonResponse(200, o);
      }
      if (std::find(g.versions.begin(), g.versions.end(), seg[2]) == g.versions.end()) break;
      return JsonResponse(200, ResourceList(g, seg[2]));
    }
    return NotFoundPath().ToResponse();
  }
  *handled = false;
  return {};
}

}  // namespace gitopsd::kubesim
