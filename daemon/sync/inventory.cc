#include "daemon/sync/inventory.h"

#include "daemon/kube/kubeconfig.h"
#include "diff/normalize.h"

namespace gitopsd::sync {

std::string InventoryName(const std::string& app) { return "gitopsd-app-" + app; }

Status SaveInventory(kube::Client& client, const std::string& namespace_, const std::string& app,
                     const ObjectList& desired) {
  Object list = Object::array();
  for (const Object& o : desired) list.push_back(o);
  Object secret = {
      {"apiVersion", "v1"},
      {"kind", "Secret"},
      {"metadata",
       {{"name", InventoryName(app)},
        {"namespace", namespace_},
        {"labels", {{"app.kubernetes.io/managed-by", "gitopsd"}}}}},
      {"type", "gitopsd.io/inventory"},
      {"data", {{"manifests", diff::Base64Encode(list.dump())}}}};
  auto applied = client.Apply(secret, {});
  return applied.status().WithContext("saving the inventory of app \"" + app + "\"");
}

Result<ObjectList> LoadInventory(kube::Client& client, const std::string& namespace_,
                                 const std::string& app) {
  auto secret = client.Get({"", "v1", "Secret", namespace_, InventoryName(app)});
  if (!secret.ok()) {
    return secret.status().WithContext("reading the inventory of app \"" + app + "\"");
  }
  ASSIGN_OR_RETURN(std::string raw, kube::Base64Decode(GetString(*secret, "data.manifests")));
  Object list = Object::parse(raw, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    return Internal("inventory of app \"" + app + "\" is corrupt");
  }
  ObjectList out;
  for (auto& o : list) out.push_back(std::move(o));
  return out;
}

}  // namespace gitopsd::sync
