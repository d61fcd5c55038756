// Parsing API discovery documents into ResourceInfo lists, and the cache the
// REST client keeps of them. Parsers are pure; DiscoveryCache is thread-safe.
//
// Formats: aggregated discovery (`/api`, `/apis` answered as
// apidiscovery.k8s.io/v2 APIGroupDiscoveryList, Kubernetes 1.30+) and the
// legacy documents (`/api` APIVersions, `/apis` APIGroupList, then one
// APIResourceList per group-version). Subresources ("deployments/scale")
// are skipped.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "daemon/kube/client.h"

namespace gitopsd::kube {

// An APIGroupDiscoveryList (from /api or /apis).
Result<std::vector<ResourceInfo>> ParseAggregatedDiscovery(const Object& doc);

// The group-versions a legacy /api (APIVersions) or /apis (APIGroupList)
// document lists, e.g. "v1", "apps/v1".
std::vector<std::string> ParseLegacyGroupVersions(const Object& doc);

// An APIResourceList (from /api/v1 or /apis/<group>/<version>).
Result<std::vector<ResourceInfo>> ParseApiResourceList(const Object& doc);

class DiscoveryCache {
 public:
  // Replaces the whole cache.
  void Reset(std::vector<ResourceInfo> resources);
  bool empty() const;
  std::optional<ResourceInfo> Find(const Gvk& gvk) const;
  std::vector<ResourceInfo> All() const;

 private:
  mutable std::mutex mu_;
  std::map<Gvk, ResourceInfo> by_gvk_;
};

}  // namespace gitopsd::kube
