#include "kubesim/apply.h"
#include "kubesim/fields.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {

net::HttpResponse HandleApply(ServerState& state, const ApiRequest& req) {
  std::string manager = req.Param("fieldManager");
  if (manager.empty()) {
    return Invalid("PatchOptions", "meta.k8s.io", "",
                   {FieldCause{"FieldValueRequired", "Required value: is required for apply patch", "fieldManager"}})
        .ToResponse();
  }
  std::string force_param = req.Param("force");
  bool force = force_param == "true" || force_param == "1";
  Object applied;
  if (auto e = DecodeBody(req.http.body, "application/yaml", &applied)) return e->ToResponse();
  if (FindPath(applied, "metadata.managedFields") != nullptr) {
    return BadRequest("metadata.managedFields must be nil").ToResponse();
  }
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  if (req.sub == "scale") return MethodNotAllowed().ToResponse();
  if (auto e = CheckBodyMatchesUrl(req, *type, applied, true)) return e->ToResponse();
  WriteContext ctx;
  ctx.type = type;
  ctx.version = req.version;
  ctx.manager = manager;
  ctx.subresource = req.sub;
  ctx.dry_run = req.DryRun();
  ctx.apply = true;
  const Object* stored = state.cluster.Get(type->StorageKey(), type->info.namespaced ? req.ns : "", req.name);
  if (stored == nullptr) {
    if (!req.sub.empty()) return NotFoundObject(type->info.plural, type->info.group, req.name).ToResponse();
    if (auto e = CheckNamespaceWritable(state, *type, type->info.namespaced ? req.ns : "", req.name)) {
      return e->ToResponse();
    }
    Object created;
    if (auto e = ApplyToObject(*type, nullptr, applied, manager, req.sub, force, &created)) return e->ToResponse();
    WriteResult r = CommitCreate(state, ctx, std::move(created));
    if (r.error) return r.error->ToResponse();
    return JsonResponse(201, r.object);
  }
  Object old = *stored;
  Object merged;
  if (auto e = ApplyToObject(*type, &old, applied, manager, req.sub, force, &merged)) return e->ToResponse();
  WriteResult r = CommitUpdate(state, ctx, old, std::move(merged));
  if (r.error) return r.error->ToResponse();
  return JsonResponse(200, r.object);
}

}  // namespace gitopsd::kubesim
