// create (POST), update (PUT), patch (PATCH: merge, JSON, strategic, apply),
// delete and deletecollection (§6, §7.4, §8, §10, §14), including the
// status and scale subresources.
#include "core/patch.h"
#include "kubesim/apply.h"
#include "kubesim/protobuf.h"
#include "kubesim/scale.h"
#include "kubesim/selectors.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

std::optional<ApiError> CheckDryRun(const ApiRequest& req) {
  std::string d = req.Param("dryRun");
  if (!d.empty() && d != "All") return BadRequest("Invalid dry run value \"" + d + "\": supported values: \"All\"");
  return std::nullopt;
}

WriteContext Context(const ApiRequest& req, const ResourceType* type) {
  WriteContext ctx;
  ctx.type = type;
  ctx.version = req.version;
  ctx.manager = req.Manager();
  ctx.subresource = req.sub;
  ctx.dry_run = req.DryRun();
  return ctx;
}

net::HttpResponse Reply(const WriteResult& r) {
  if (r.error) return r.error->ToResponse();
  return JsonResponse(r.code, r.object);
}

// Applies a Scale (as JSON) to the owner's spec.replicas.
WriteResult CommitScale(ServerState& state, const WriteContext& ctx, const Object& old, const Object& scale) {
  const Object* want = FindPath(scale, "spec.replicas");
  Object next = old;
  if (want != nullptr) next["spec"]["replicas"] = *want;
  std::string rv = GetString(scale, "metadata.resourceVersion");
  if (!rv.empty()) next["metadata"]["resourceVersion"] = rv;
  WriteContext c = ctx;
  c.subresource = "scale";
  WriteResult r = CommitUpdate(state, c, old, std::move(next));
  if (!r.error) r.object = ScaleOf(r.object);
  return r;
}

}  // namespace

net::HttpResponse HandleCreate(ServerState& state, const ApiRequest& req) {
  if (auto e = CheckDryRun(req)) return e->ToResponse();
  Object obj;
  std::string ct = req.http.Header("content-type");
  if (ct.find("protobuf") != std::string::npos) {
    if (auto e = DecodeProtobuf(req.http.body, &obj)) return e->ToResponse();
  } else if (auto e = DecodeBody(req.http.body, ct, &obj)) {
    return e->ToResponse();
  }
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  if (type->info.namespaced && !req.namespaced_path) return NotFoundPath().ToResponse();
  if (auto e = CheckBodyMatchesUrl(req, *type, obj, false)) return e->ToResponse();
  return Reply(CommitCreate(state, Context(req, type), std::move(obj)));
}

net::HttpResponse HandleUpdate(ServerState& state, const ApiRequest& req) {
  if (auto e = CheckDryRun(req)) return e->ToResponse();
  Object obj;
  if (auto e = DecodeBody(req.http.body, req.http.Header("content-type"), &obj)) return e->ToResponse();
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  const Object* stored = state.cluster.Get(type->StorageKey(), type->info.namespaced ? req.ns : "", req.name);
  if (stored == nullptr) return NotFoundObject(type->info.plural, type->info.group, req.name).ToResponse();
  Object old = *stored;
  if (req.sub == "scale") return Reply(CommitScale(state, Context(req, type), old, obj));
  if (auto e = CheckBodyMatchesUrl(req, *type, obj, true)) return e->ToResponse();
  return Reply(CommitUpdate(state, Context(req, type), old, std::move(obj)));
}

net::HttpResponse HandlePatch(ServerState& state, const ApiRequest& req) {
  if (auto e = CheckDryRun(req)) return e->ToResponse();
  std::string ct = req.http.Header("content-type");
  size_t semi = ct.find(';');
  if (semi != std::string::npos) ct = ct.substr(0, semi);
  bool apply = ct == "application/apply-patch+yaml" || ct == "application/apply-patch+cbor";
  if (!apply && !req.Param("force").empty()) {
    return InvalidMessage("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for "
                          "non-apply patch")
        .ToResponse();
  }
  if (apply) return HandleApply(state, req);
  Object patch;
  try {
    patch = Object::parse(req.http.body);
  } catch (const std::exception& e) {
    return BadRequest(std::string("error decoding patch: ") + e.what()).ToResponse();
  }
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  bool smp = ct == "application/strategic-merge-patch+json";
  if (ct != "application/merge-patch+json" && ct != "application/json-patch+json" && !smp) {
    return UnsupportedMediaType(true, !type->custom).ToResponse();
  }
  if (smp && type->custom) return UnsupportedMediaType(true, false).ToResponse();
  const Object* stored = state.cluster.Get(type->StorageKey(), type->info.namespaced ? req.ns : "", req.name);
  if (stored == nullptr) return NotFoundObject(type->info.plural, type->info.group, req.name).ToResponse();
  Object old = *stored;
  Object target = req.sub == "scale" ? ScaleOf(old) : Served(*type, req.version, old);
  Status st;
  if (ct == "application/merge-patch+json") {
    st = ApplyMergePatch(target, patch);
  } else if (ct == "application/json-patch+json") {
    st = ApplyJsonPatch(target, patch);
    if (!st.ok()) return InvalidMessage(st.message()).ToResponse();
  } else {
    st = ApplyStrategicMergePatch(target, patch);
  }
  if (!st.ok()) return BadRequest(st.message()).ToResponse();
  if (!target.is_object()) return BadRequest("the patch produced a non-object").ToResponse();
  if (req.sub == "scale") return Reply(CommitScale(state, Context(req, type), old, target));
  if (GetString(target, "metadata.name") != req.name) {
    return BadRequest("the name of the object (" + GetString(target, "metadata.name") +
                      ") does not match the name on the URL (" + req.name + ")")
        .ToResponse();
  }
  return Reply(CommitUpdate(state, Context(req, type), old, std::move(target)));
}

namespace {

struct DeleteOptions {
  std::string propagation = "Background";
  bool dry_run = false;
  std::string uid, rv;
};

std::optional<ApiError> ParseDeleteOptions(const ApiRequest& req, DeleteOptions* o) {
  if (!req.Param("propagationPolicy").empty()) o->propagation = req.Param("propagationPolicy");
  o->dry_run = req.DryRun();
  if (req.Param("orphanDependents") == "true") o->propagation = "Orphan";
  if (req.http.body.empty()) return std::nullopt;
  Object body;
  try {
    body = Object::parse(req.http.body);
  } catch (const std::exception& e) {
    return BadRequest(std::string("invalid DeleteOptions: ") + e.what());
  }
  if (!body.is_object()) return std::nullopt;
  if (body.contains("propagationPolicy") && body["propagationPolicy"].is_string()) {
    o->propagation = body["propagationPolicy"];
  }
  if (body.value("orphanDependents", false)) o->propagation = "Orphan";
  if (body.contains("dryRun") && body["dryRun"].is_array()) {
    for (const auto& d : body["dryRun"]) {
      if (d != "All") return BadRequest("Invalid dry run value: supported values: \"All\"");
      o->dry_run = true;
    }
  }
  o->uid = GetString(body, "preconditions.uid");
  o->rv = GetString(body, "preconditions.resourceVersion");
  if (o->propagation != "Background" && o->propagation != "Foreground" && o->propagation != "Orphan") {
    return BadRequest("propagationPolicy: Unsupported value: \"" + o->propagation + "\"");
  }
  return std::nullopt;
}

}  // namespace

net::HttpResponse HandleDelete(ServerState& state, const ApiRequest& req) {
  if (auto e = CheckDryRun(req)) return e->ToResponse();
  DeleteOptions opts;
  if (auto e = ParseDeleteOptions(req, &opts)) return e->ToResponse();
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  const Object* stored = state.cluster.Get(type->StorageKey(), type->info.namespaced ? req.ns : "", req.name);
  if (stored == nullptr) return NotFoundObject(type->info.plural, type->info.group, req.name).ToResponse();
  Object old = *stored;
  if ((!opts.uid.empty() && opts.uid != GetString(old, "metadata.uid")) ||
      (!opts.rv.empty() && opts.rv != GetString(old, "metadata.resourceVersion"))) {
    return ConflictObject(type->info.plural, type->info.group, req.name).ToResponse();
  }
  WriteContext ctx = Context(req, type);
  ctx.dry_run = opts.dry_run;
  return Reply(CommitDelete(state, ctx, old, opts.propagation));
}

net::HttpResponse HandleDeleteCollection(ServerState& state, const ApiRequest& req) {
  if (auto e = CheckDryRun(req)) return e->ToResponse();
  DeleteOptions opts;
  if (auto e = ParseDeleteOptions(req, &opts)) return e->ToResponse();
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  ListFilter filter;
  if (auto e = ListFilter::Parse(req, *type, &filter)) return e->ToResponse();
  std::vector<Object> victims;
  for (const Object* o : state.cluster.List(type->StorageKey(), type->info.namespaced ? req.ns : "")) {
    if (filter.Matches(*o)) victims.push_back(*o);
  }
  WriteContext ctx = Context(req, type);
  ctx.dry_run = opts.dry_run;
  Object items = Object::array();
  for (const Object& v : victims) {
    WriteResult r = CommitDelete(state, ctx, v, opts.propagation);
    if (!r.error) items.push_back(Served(*type, req.version, v));
  }
  return JsonResponse(200, Object{{"kind", type->list_kind},
                                  {"apiVersion", type->ApiVersion(req.version)},
                                  {"metadata", {{"resourceVersion", std::to_string(state.cluster.rv())}}},
                                  {"items", items}});
}

}  // namespace gitopsd::kubesim
