// The app inventory: after a real `gitopsd apply`, the prepared desired
// objects are recorded in a Secret `gitopsd-app-<app>` (a Secret because
// manifests may hold Secret values) in the connection's namespace, so that
// `gitopsd status --app NAME` can compare the cluster with what was last
// applied without the repository at hand.
#pragma once

#include <string>

#include "core/object.h"
#include "core/status.h"
#include "daemon/kube/client.h"

namespace gitopsd::sync {

std::string InventoryName(const std::string& app);

// Writes (server-side applies) the inventory.
Status SaveInventory(kube::Client& client, const std::string& namespace_, const std::string& app,
                     const ObjectList& desired);

// Reads it back; NotFound when the app was never applied from here.
Result<ObjectList> LoadInventory(kube::Client& client, const std::string& namespace_,
                                 const std::string& app);

}  // namespace gitopsd::sync
