// An in-memory kube::Client for the sync tests: a fixed set of served kinds,
// objects keyed by group/kind/namespace/name, resourceVersion bumped on
// every change, apply = replace (enough to observe created / configured /
// unchanged), an operation log to check ordering.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "daemon/kube/client.h"

namespace gitopsd::testing {

class FakeClient : public kube::Client {
 public:
  FakeClient() {
    Serve("", "v1", "Namespace", "namespaces", false);
    Serve("", "v1", "ConfigMap", "configmaps", true);
    Serve("", "v1", "Secret", "secrets", true);
    Serve("", "v1", "Service", "services", true);
    Serve("apps", "v1", "Deployment", "deployments", true);
    Serve("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false);
  }
  void Serve(std::string group, std::string version, std::string kind, std::string plural,
             bool namespaced) {
    kube::ResourceInfo info;
    info.gvk = {group, version, kind};
    info.resource = plural;
    info.namespaced = namespaced;
    info.verbs = {"get", "list", "patch", "delete", "create", "watch"};
    std::lock_guard lock(mu_);
    served_[info.gvk] = info;
  }

  std::string DefaultNamespace() const override { return "default"; }
  Result<kube::ResourceInfo> Resolve(const kube::Gvk& gvk) override {
    std::lock_guard lock(mu_);
    auto it = served_.find(gvk);
    if (it == served_.end()) return NotFound("no matches for kind \"" + gvk.kind + "\"");
    return it->second;
  }
  Result<std::vector<kube::ResourceInfo>> ServerResources() override {
    std::lock_guard lock(mu_);
    std::vector<kube::ResourceInfo> out;
    for (auto& [k, v] : served_) out.push_back(v);
    return out;
  }
  Result<Object> Get(const ResId& id) override {
    RETURN_IF_ERROR(Resolve(kube::Gvk::Of(id)).status());
    std::lock_guard lock(mu_);
    gets_++;
    auto it = objects_.find(Key(id));
    if (it == objects_.end()) return NotFound(id.ToString() + " not found");
    return it->second;
  }
  Result<kube::ListResult> List(const kube::Gvk& gvk, const kube::ListOptions& o) override {
    RETURN_IF_ERROR(Resolve(gvk).status());
    std::lock_guard lock(mu_);
    kube::ListResult out;
    // "key=value", or "key" alone (the label is present).
    const size_t eq = o.label_selector.find('=');
    std::string key = o.label_selector.substr(0, eq);
    std::optional<std::string> value;
    if (eq != std::string::npos) value = o.label_selector.substr(eq + 1);
    for (auto& [k, obj] : objects_) {
      if (std::get<0>(k) != gvk.group || std::get<1>(k) != gvk.kind) continue;
      const Object* labels = FindPath(obj, "metadata.labels");
      bool match = labels != nullptr && labels->is_object() && labels->contains(key) &&
                   (!value || (*labels)[key] == *value);
      if (!o.label_selector.empty() && !match) continue;
      out.items.push_back(obj);
    }
    return out;
  }
  Status Watch(const kube::Gvk&, const kube::WatchOptions&,
               const std::function<bool(const kube::WatchEvent&)>&, std::string*) override {
    return Unimplemented("watch");
  }
  Result<Object> Apply(const Object& obj, const kube::ApplyOptions& options) override {
    ResId id = ResId::Of(obj);
    RETURN_IF_ERROR(Resolve(kube::Gvk::Of(id)).status());
    std::lock_guard lock(mu_);
    if (fail_apply_ == id.name) return InvalidArgument("admission denied " + id.name);
    if (!options.dry_run) log_.push_back("apply " + id.kind + "/" + id.name);
    Object stored = obj;
    auto it = objects_.find(Key(id));
    std::string rv = it == objects_.end() ? "" : GetString(it->second, "metadata.resourceVersion");
    Object cmp = it == objects_.end() ? Object() : it->second;
    if (!cmp.is_null()) cmp["metadata"].erase("resourceVersion");
    if (cmp != stored) rv = std::to_string(++rv_);
    stored["metadata"]["resourceVersion"] = rv;
    if (!options.dry_run) objects_[Key(id)] = stored;
    return stored;
  }
  Result<Object> Create(const Object& obj, const kube::CreateOptions&) override {
    return Apply(obj, {});
  }
  Status Delete(const ResId& id, const kube::DeleteOptions& options) override {
    std::lock_guard lock(mu_);
    auto it = objects_.find(Key(id));
    if (it == objects_.end()) return NotFound(id.ToString() + " not found");
    if (!options.dry_run) {
      log_.push_back("delete " + id.kind + "/" + id.name);
      objects_.erase(it);
    }
    return Status::Ok();
  }

  // Test helpers.
  void Put(Object obj) {
    std::lock_guard lock(mu_);
    obj["metadata"]["resourceVersion"] = std::to_string(++rv_);
    objects_[Key(ResId::Of(obj))] = obj;
  }
  bool Has(const ResId& id) {
    std::lock_guard lock(mu_);
    return objects_.count(Key(id)) != 0;
  }
  std::vector<std::string> log() {
    std::lock_guard lock(mu_);
    return log_;
  }
  int gets() {
    std::lock_guard lock(mu_);
    return gets_;
  }
  void FailApplyOf(std::string name) { fail_apply_ = std::move(name); }

 private:
  using ObjKey = std::tuple<std::string, std::string, std::string, std::string>;
  static ObjKey Key(const ResId& id) { return {id.group, id.kind, id.namespace_, id.name}; }

  std::mutex mu_;
  std::map<kube::Gvk, kube::ResourceInfo> served_;
  std::map<ObjKey, Object> objects_;
  std::vector<std::string> log_;
  int gets_ = 0;
  std::string fail_apply_;
  int rv_ = 0;
};

}  // namespace gitopsd::testing
