// OpenAPI documents (kube-api-contract §4): the v3 root and one minimal
// document per group-version that declares, for every served kind, a PATCH
// operation with x-kubernetes-group-version-kind and a fieldValidation
// parameter (all kubectl needs for --validate=strict). /openapi/v2 is 404.
#include <map>

#include "kubesim/state.h"
#include "kubesim/util.h"

namespace gitopsd::kubesim {
namespace {

std::string GvPath(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

Object Operation(const std::string& verb, const ResourceType& t, const std::string& version) {
  std::string op_id = verb + (t.info.group.empty() ? "Core" : t.info.group) + version + t.info.kind;
  Object params = Object::array();
  if (verb == "patch" || verb == "put") {
    params.push_back({{"name", "fieldValidation"}, {"in", "query"},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
    params.push_back({{"name", "fieldManager"}, {"in", "query"},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
    params.push_back({{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
  }
  return Object{{"operationId", op_id},
                {"x-kubernetes-action", verb == "put" ? "put" : verb},
                {"x-kubernetes-group-version-kind", {{"group", t.info.group}, {"version", version}, {"kind", t.info.kind}}},
                {"parameters", params},
                {"responses", {{"200", {{"description", "OK"}}}}}};
}

// group-version path -> document
std::map<std::string, Object> BuildDocuments(const Cluster& cluster) {
  std::map<std::string, Object> docs;
  for (const ResourceType* t : cluster.Resources()) {
    for (const std::string& v : t->versions) {
      std::string gv = GvPath(t->info.group, v);
      Object& doc = docs[gv];
      if (doc.is_null()) {
        doc = Object{{"openapi", "3.0.0"},
                     {"info", {{"title", "Kubernetes"}, {"version", "v1.32.4"}}},
                     {"paths", Object::object()},
                     {"components", {{"schemas", Object::object()}}}};
      }
      std::string base = "/" + gv + "/" + (t->info.namespaced ? "namespaces/{namespace}/" : "") + t->info.plural;
      doc["paths"][base + "/{name}"] = Object{{"get", Operation("get", *t, v)},
                                              {"put", Operation("put", *t, v)},
                                              {"patch", Operation("patch", *t, v)}};
      doc["paths"][base] = Object{{"post", Operation("post", *t, v)}};
    }
  }
  return docs;
}


}  // namespace

net::HttpResponse HandleOpenApi(ServerState& state, const net::HttpRequest& req, bool* handled) {
  *handled = true;
  if (req.path == "/openapi/v2") return NotFoundPath().ToResponse();
  std::string body;
  {
    auto lock = state.cluster.Lock();
    OpenApiCache& cache = state.openapi;
    std::lock_guard cache_lock(cache.mu);
    if (cache.generation != state.cluster.registry_generation()) {
      cache.bodies.clear();
      cache.generation = state.cluster.registry_generation();
      Object root_paths = Object::object();
      for (auto& [gv, doc] : BuildDocuments(state.cluster)) {
        std::string text = doc.dump();
        std::string hash = Sha512Hex(text).substr(0, 128);
        cache.bodies[gv] = text;
        root_paths[gv] = {{"serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash}};
      }
      cache.root = Object{{"paths", root_paths}}.dump();
    }
    if (req.path == "/openapi/v3" || req.path == "/openapi/v3/") {
      body = cache.root;
    } else {
      std::string gv = req.path.substr(std::string("/openapi/v3/").size());
      auto it = cache.bodies.find(gv);
      if (it == cache.bodies.end()) return NotFoundPath().ToResponse();
      body = it->second;
    }
  }
  net::HttpResponse r;
  r.status = 200;
  r.SetHeader("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

}  // namespace gitopsd::kubesim
