// Lifecycle controllers (§14): garbage collection of dependents by
// ownerReferences (background), the foregroundDeletion and orphan
// finalizers, namespace termination, and the objects every new namespace
// gets (ServiceAccount default, ConfigMap kube-root-ca.crt, §9.7).
#include <algorithm>

#include "kubesim/controllers.h"
#include "kubesim/util.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

struct Ref {
  const ResourceType* type;
  std::string ns, name;
};

std::vector<Ref> Dependents(ServerState& state, const std::string& uid) {
  std::vector<Ref> out;
  for (const auto& [key, obj] : state.cluster.AllObjects()) {
    if (!OwnedBy(*obj, uid)) continue;
    const ResourceType* t = state.cluster.FindByKey(key);
    if (t != nullptr) out.push_back({t, GetString(*obj, "metadata.namespace"), GetString(*obj, "metadata.name")});
  }
  return out;
}

void DeleteRef(ServerState& state, const Ref& ref, const std::string& propagation) {
  const Object* o = state.cluster.Get(ref.type->StorageKey(), ref.type->info.namespaced ? ref.ns : "", ref.name);
  if (o == nullptr) return;
  Object copy = *o;
  WriteContext ctx;
  ctx.type = ref.type;
  ctx.version = ref.type->info.version;
  ctx.manager = "kube-controller-manager";
  (void)CommitDelete(state, ctx, copy, propagation);
}

void RemoveFinalizer(ServerState& state, const ResourceType& type, const Object& obj, const std::string& fin) {
  Object next = obj;
  Object fins = Object::array();
  for (const auto& f : obj["metadata"].value("finalizers", Object::array())) {
    if (f != fin) fins.push_back(f);
  }
  if (fins.empty()) {
    next["metadata"].erase("finalizers");
  } else {
    next["metadata"]["finalizers"] = fins;
  }
  next["metadata"].erase("resourceVersion");
  WriteContext ctx;
  ctx.type = &type;
  ctx.version = type.info.version;
  ctx.manager = "kube-controller-manager";
  (void)CommitUpdate(state, ctx, obj, std::move(next));
}

bool HasFinalizer(const Object& obj, const std::string& fin) {
  const Object* f = FindPath(obj, "metadata.finalizers");
  return f != nullptr && f->is_array() && std::find(f->begin(), f->end(), Object(fin)) != f->end();
}

}  // namespace

void CollectDependents(ServerState& state, const std::string& owner_uid) {
  for (const Ref& ref : Dependents(state, owner_uid)) DeleteRef(state, ref, "Background");
}

int ReconcileOwnerFinalizers(ServerState& state, const ResourceType& type, const Object& obj) {
  std::string uid = GetString(obj, "metadata.uid");
  if (HasFinalizer(obj, "orphan")) {
    for (const Ref& ref : Dependents(state, uid)) {
      const Object* d = state.cluster.Get(ref.type->StorageKey(), ref.type->info.namespaced ? ref.ns : "", ref.name);
      if (d == nullptr) continue;
      Object copy = *d;
      Object next = copy;
      Object refs = Object::array();
      for (const auto& r : copy["metadata"]["ownerReferences"]) {
        if (r.value("uid", "") != uid) refs.push_back(r);
      }
      if (refs.empty()) {
        next["metadata"].erase("ownerReferences");
      } else {
        next["metadata"]["ownerReferences"] = refs;
      }
      next["metadata"].erase("resourceVersion");
      WriteContext ctx;
      ctx.type = ref.type;
      ctx.version = ref.type->info.version;
      ctx.manager = "kube-controller-manager";
      (void)CommitUpdate(state, ctx, copy, std::move(next));
    }
    RemoveFinalizer(state, type, obj, "orphan");
    return -1;
  }
  if (HasFinalizer(obj, "foregroundDeletion")) {
    std::vector<Ref> deps = Dependents(state, uid);
    if (!deps.empty()) {
      for (const Ref& ref : deps) DeleteRef(state, ref, "Foreground");
      return 100;
    }
    RemoveFinalizer(state, type, obj, "foregroundDeletion");
  }
  return -1;
}

int ReconcileNamespace(ServerState& state, const Object& ns) {
  std::string name = GetString(ns, "metadata.name");
  bool remaining = false;
  for (const ResourceType* t : state.cluster.Resources()) {
    if (!t->info.namespaced) continue;
    std::vector<std::string> names;
    for (const Object* o : state.cluster.List(t->StorageKey(), name)) names.push_back(GetString(*o, "metadata.name"));
    for (const auto& n : names) {
      remaining = true;
      DeleteRef(state, Ref{t, name, n}, "Background");
    }
  }
  if (remaining) {
    // Deleted objects vanish at once unless a finalizer holds them.
    for (const ResourceType* t : state.cluster.Resources()) {
      if (t->info.namespaced && !state.cluster.List(t->StorageKey(), name).empty()) return 100;
    }
  }
  const ResourceType* nst = state.cluster.FindResource("", "v1", "namespaces");
  state.cluster.Remove(*nst, "", name);
  return -1;
}

void CreateNamespaceDefaults(ServerState& state, const std::string& ns) {
  const ResourceType* sa = state.cluster.FindResource("", "v1", "serviceaccounts");
  const ResourceType* cm = state.cluster.FindResource("", "v1", "configmaps");
  WriteContext ctx;
  ctx.manager = "kube-controller-manager";
  ctx.version = "v1";
  if (sa != nullptr && state.cluster.Get(sa->StorageKey(), ns, "default") == nullptr) {
    ctx.type = sa;
    (void)CommitCreate(state, ctx, Object{{"apiVersion", "v1"}, {"kind", "ServiceAccount"},
                                          {"metadata", {{"name", "default"}, {"namespace", ns}}}});
  }
  if (cm != nullptr && state.cluster.Get(cm->StorageKey(), ns, "kube-root-ca.crt") == nullptr) {
    ctx.type = cm;
    std::string ca = state.ca_pem.empty() ? "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n" : state.ca_pem;
    (void)CommitCreate(state, ctx,
                       Object{{"apiVersion", "v1"},
                              {"kind", "ConfigMap"},
                              {"metadata",
                               {{"name", "kube-root-ca.crt"},
                                {"namespace", ns},
                                {"annotations", {{"kubernetes.io/description",
                                                  "Contains a CA bundle that can be used to verify the "
                                                  "kube-apiserver when using internal endpoints such as the "
                                                  "internal service IP or kubernetes.default.svc. No other "
                                                  "usage is guaranteed across distributions of Kubernetes "
                                                  "clusters."}}}}},
                              {"data", {{"ca.crt", ca}}}});
  }
}

bool OwnedBy(const Object& obj, const std::string& uid) {
  const Object* refs = FindPath(obj, "metadata.ownerReferences");
  if (refs == nullptr || !refs->is_array()) return false;
  for (const auto& r : *refs) {
    if (r.is_object() && r.value("uid", "") == uid) return true;
  }
  return false;
}

}  // namespace gitopsd::kubesim
