#include "kubesim/write.h"

#include <algorithm>

#include "core/yaml.h"
#include "kubesim/admission.h"
#include "kubesim/controllers.h"
#include "kubesim/crd.h"
#include "kubesim/defaults.h"
#include "kubesim/ssa.h"
#include "kubesim/fields.h"
#include "kubesim/util.h"

namespace gitopsd::kubesim {
namespace {

bool IsDeployment(const ResourceType& t) { return t.info.group == "apps" && t.info.kind == "Deployment"; }

// apiVersion, kind, metadata first; the rest in their order.
Object Canonical(const ResourceType& type, const std::string& version, const Object& obj) {
  Object out = Object::object();
  out["apiVersion"] = type.ApiVersion(version);
  out["kind"] = type.info.kind;
  out["metadata"] = obj.contains("metadata") ? obj["metadata"] : Object::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.key() != "apiVersion" && it.key() != "kind" && it.key() != "metadata") out[it.key()] = it.value();
  }
  return out;
}

std::vector<std::string> Finalizers(const Object& obj) {
  std::vector<std::string> out;
  const Object* f = FindPath(obj, "metadata.finalizers");
  if (f != nullptr && f->is_array()) {
    for (const auto& v : *f) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

Object InitialStatus(const ResourceType& t) {
  const std::string& k = t.info.kind;
  if (k == "Service" || k == "Ingress") return Object{{"loadBalancer", Object::object()}};
  if (k == "Namespace") return Object{{"phase", "Active"}};
  if (k == "PersistentVolumeClaim") return Object{{"phase", "Pending"}};
  return Object::object();
}

WriteResult Error(ApiError e) {
  WriteResult r;
  r.error = std::move(e);
  return r;
}

void CopyMeta(const Object& from, Object& to, const char* key) {
  const Object& m = from["metadata"];
  if (m.contains(key)) {
    to["metadata"][key] = m[key];
  } else {
    to["metadata"].erase(key);
  }
}

}  // namespace

Object Served(const ResourceType& type, const std::string& version, Object obj) {
  obj["apiVersion"] = type.ApiVersion(version.empty() ? type.info.version : version);
  obj["kind"] = type.info.kind;
  return obj;
}

bool HasGeneration(const ResourceType& t) {
  Object probe{{"apiVersion", t.ApiVersion(t.info.version)}, {"kind", t.info.kind}};
  return t.custom || TracksGeneration(probe);
}

bool GenerationChanges(const ResourceType& type, const Object& old, const Object& now) {
  if (!HasGeneration(type)) return false;
  WriteScope scope;
  scope.status_is_subresource = !type.custom || type.HasSubresource("status");
  return BumpsGeneration(old, now, scope);
}

std::optional<ApiError> DecodeBody(const std::string& body, const std::string& content_type, Object* out) {
  if (content_type.find("protobuf") != std::string::npos) return UnsupportedMediaType(false, true);
  bool yaml = content_type.find("yaml") != std::string::npos;
  if (!yaml) {
    try {
      *out = Object::parse(body);
    } catch (const std::exception& e) {
      return BadRequest(std::string("the request body is not valid JSON: ") + e.what());
    }
  } else {
    Result<Object> parsed = ParseYaml(body, YamlReadOptions{"request body"});
    if (!parsed.ok()) return BadRequest(parsed.status().message());
    *out = std::move(parsed).value();
  }
  if (!out->is_object()) return BadRequest("the request body must be a JSON object");
  return std::nullopt;
}

std::optional<ApiError> CheckBodyMatchesUrl(const ApiRequest& req, const ResourceType& type, Object& obj,
                                            bool name_required) {
  std::string api_version = obj.value("apiVersion", "");
  std::string kind = obj.value("kind", "");
  if ((!api_version.empty() && api_version != type.ApiVersion(req.version)) ||
      (!kind.empty() && kind != type.info.kind)) {
    return BadRequest("the API version in the data (" + api_version + ") does not match the expected API version (" +
                      type.ApiVersion(req.version) + ")");
  }
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Object::object();
  Object& meta = obj["metadata"];
  if (type.info.namespaced) {
    std::string ns = meta.value("namespace", "");
    if (!ns.empty() && ns != req.ns) {
      return BadRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    meta["namespace"] = req.ns;
  } else {
    meta.erase("namespace");
  }
  std::string name = meta.value("name", "");
  if (!req.name.empty()) {
    if (name.empty() && !name_required) {
      meta["name"] = req.name;
    } else if (name != req.name) {
      return BadRequest("the name of the object (" + name + ") does not match the name on the URL (" + req.name + ")");
    }
  }
  return std::nullopt;
}

std::optional<ApiError> CheckNamespaceWritable(ServerState& state, const ResourceType& type, const std::string& ns,
                                               const std::string& name) {
  if (!type.info.namespaced) return std::nullopt;
  const ResourceType* ns_type = state.cluster.FindResource("", "v1", "namespaces");
  const Object* nso = state.cluster.Get(ns_type->StorageKey(), "", ns);
  if (nso == nullptr) return NotFoundObject("namespaces", "", ns);
  if (FindPath(*nso, "metadata.deletionTimestamp") != nullptr) {
    Object details{{"name", name},
                   {"kind", type.info.plural},
                   {"causes", Object::array({Object{{"reason", "NamespaceTerminating"},
                                                    {"message", "namespace " + ns + " is being terminated"},
                                                    {"field", "metadata.namespace"}}})}};
    if (!type.info.group.empty()) details["group"] = type.info.group;
    return Forbidden(Qualified(type.info.plural, type.info.group) + " \"" + name +
                         "\" is forbidden: unable to create new content in namespace " + ns +
                         " because it is being terminated",
                     details);
  }
  return std::nullopt;
}

WriteResult CommitCreate(ServerState& state, const WriteContext& ctx, Object obj) {
  const ResourceType& type = *ctx.type;
  obj = Canonical(type, type.info.version, obj);
  Object& meta = obj["metadata"];
  std::string name = meta.value("name", "");
  if (name.empty() && !meta.value("generateName", "").empty()) {
    name = meta["generateName"].get<std::string>() + RandomSuffix(5);
    meta["name"] = name;
  }
  std::string ns = type.info.namespaced ? meta.value("namespace", "") : "";
  if (auto e = ValidateName(type, name)) return Error(*e);
  if (auto e = CheckNamespaceWritable(state, type, ns, name)) return Error(*e);
  if (state.cluster.Get(type.StorageKey(), ns, name) != nullptr) {
    return Error(AlreadyExistsObject(type.info.plural, type.info.group, name));
  }
  meta["uid"] = NewUid();
  meta["creationTimestamp"] = NowRfc3339();
  for (const char* k : {"resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"}) {
    meta.erase(k);
  }
  if (HasGeneration(type)) {
    meta["generation"] = 1;
  } else {
    meta.erase("generation");
  }
  if (type.custom && type.HasSubresource("status")) {
    obj.erase("status");
  } else if (type.HasSubresource("status") || type.info.kind == "Namespace") {
    obj["status"] = InitialStatus(type);
  }
  if (!ctx.apply) {
    Object* mf = FindPath(obj, "metadata.managedFields");
    if (mf != nullptr && (!mf->is_array() || mf->empty() || (mf->size() == 1 && (*mf)[0].empty()))) {
      obj["metadata"].erase("managedFields");
    }
  }
  if (auto e = Admit(state, type, obj, nullptr)) return Error(*e);
  if (auto e = Validate(type, obj, nullptr)) return Error(*e);
  if (!ctx.apply) RecordUpdateOwnership(type, nullptr, obj, ctx.manager, ctx.subresource);
  WriteResult r;
  r.code = 201;
  if (ctx.dry_run) {
    r.object = Served(type, ctx.version, std::move(obj));
    return r;
  }
  const Object& stored = state.cluster.Put(type, std::move(obj), true);
  r.object = Served(type, ctx.version, stored);
  AfterWrite(state, type, nullptr, stored);
  return r;
}

WriteResult CommitUpdate(ServerState& state, const WriteContext& ctx, const Object& old, Object obj) {
  const ResourceType& type = *ctx.type;
  obj = Canonical(type, type.info.version, obj);
  std::string want_rv = obj["metadata"].value("resourceVersion", "");
  std::string name = old["metadata"].value("name", "");
  if (!want_rv.empty() && want_rv != old["metadata"].value("resourceVersion", "")) {
    return Error(ConflictObject(type.info.plural, type.info.group, name));
  }
  if (ctx.subresource == "status") {
    Object next = old;
    if (obj.contains("status")) {
      next["status"] = obj["status"];
    } else {
      next.erase("status");
    }
    const Object* ann = FindPath(obj, "metadata.annotations");
    if (ann != nullptr && IsDeployment(type)) next["metadata"]["annotations"] = *ann;
    const Object* mf = FindPath(obj, "metadata.managedFields");
    if (mf != nullptr) next["metadata"]["managedFields"] = *mf;
    obj = std::move(next);
  } else if (type.HasSubresource("status") || type.info.kind == "Namespace") {
    if (old.contains("status")) {
      obj["status"] = old["status"];
    } else {
      obj.erase("status");
    }
  }
  for (const char* k : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                        "namespace", "name"}) {
    CopyMeta(old, obj, k);
  }
  obj["metadata"]["resourceVersion"] = old["metadata"].value("resourceVersion", "");
  if (FindPath(old, "metadata.deletionTimestamp") != nullptr) {
    std::vector<std::string> before = Finalizers(old);
    for (const auto& f : Finalizers(obj)) {
      if (std::find(before.begin(), before.end(), f) == before.end()) {
        return Error(Invalid(type.info.kind, type.info.group, name,
                             {FieldCause{"FieldValueForbidden",
                                         "Forbidden: no new finalizers can be added if the object is being deleted, "
                                         "found new finalizers []string{\"" + f + "\"}",
                                         "metadata.finalizers"}}));
      }
    }
  }
  if (auto e = Admit(state, type, obj, &old)) return Error(*e);
  if (auto e = Validate(type, obj, &old)) return Error(*e);
  if (HasGeneration(type)) {
    int64_t gen = old["metadata"].value("generation", int64_t{1});
    if (ctx.subresource != "status" && GenerationChanges(type, old, obj)) ++gen;
    obj["metadata"]["generation"] = gen;
  }
  if (!ctx.apply) RecordUpdateOwnership(type, &old, obj, ctx.manager, ctx.subresource);
  WriteResult r;
  if (IsNoOpWrite(old, obj)) {
    r.object = Served(type, ctx.version, old);
    return r;
  }
  bool finalize = FindPath(obj, "metadata.deletionTimestamp") != nullptr && Finalizers(obj).empty();
  if (ctx.dry_run) {
    r.object = Served(type, ctx.version, std::move(obj));
    return r;
  }
  if (finalize) {
    std::string ns = type.info.namespaced ? obj["metadata"].value("namespace", "") : "";
    r.object = Served(type, ctx.version, obj);
    r.deleted = true;
    state.cluster.Remove(type, ns, name);
    AfterDelete(state, type, obj);
    return r;
  }
  const Object& stored = state.cluster.Put(type, std::move(obj), false);
  r.object = Served(type, ctx.version, stored);
  AfterWrite(state, type, &old, stored);
  return r;
}

WriteResult CommitDelete(ServerState& state, const WriteContext& ctx, const Object& old,
                         const std::string& propagation) {
  const ResourceType& type = *ctx.type;
  std::string name = old["metadata"].value("name", "");
  std::string ns = type.info.namespaced ? old["metadata"].value("namespace", "") : "";
  bool is_namespace = type.info.kind == "Namespace" && type.info.group.empty();
  if (is_namespace && (name == "default" || name == "kube-system" || name == "kube-public")) {
    return Error(Forbidden("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted",
                           Object{{"name", name}, {"kind", "namespaces"}}));
  }
  Object next = old;
  std::vector<std::string> fins = Finalizers(old);
  auto add_fin = [&](const std::string& f) {
    if (std::find(fins.begin(), fins.end(), f) == fins.end()) {
      fins.push_back(f);
      next["metadata"]["finalizers"] = fins;
    }
  };
  bool already = FindPath(old, "metadata.deletionTimestamp") != nullptr;
  if (!already && propagation == "Foreground") add_fin("foregroundDeletion");
  if (!already && propagation == "Orphan") add_fin("orphan");
  WriteResult r;
  if (fins.empty() && !is_namespace) {
    Object details{{"name", name}, {"kind", type.info.plural}, {"uid", old["metadata"].value("uid", "")}};
    if (!type.info.group.empty()) details["group"] = type.info.group;
    r.object = SuccessStatus(details);
    if (ctx.dry_run) return r;
    state.cluster.Remove(type, ns, name);
    AfterDelete(state, type, old);
    return r;
  }
  if (already) {
    r.object = Served(type, ctx.version, old);
    return r;
  }
  next["metadata"]["deletionTimestamp"] = NowRfc3339();
  next["metadata"]["deletionGracePeriodSeconds"] = 0;
  if (is_namespace) next["status"]["phase"] = "Terminating";
  if (ctx.dry_run) {
    r.object = Served(type, ctx.version, std::move(next));
    return r;
  }
  const Object& stored = state.cluster.Put(type, std::move(next), false);
  r.object = Served(type, ctx.version, stored);
  AfterWrite(state, type, &old, stored);
  return r;
}

}  // namespace gitopsd::kubesim
