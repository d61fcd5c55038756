// ResId: the one identity type for a Kubernetes object everywhere in gitopsd
// (render output, diff, sync plan, cache keys, API). A value type: ordered,
// hashable, cheap to copy.
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>

#include "core/object.h"

namespace gitopsd {

struct ResId {
  std::string group;      // "" for the core group
  std::string version;    // "v1"
  std::string kind;       // "Deployment"
  std::string namespace_; // "" for cluster-scoped or unset
  std::string name;

  // Splits an apiVersion: "apps/v1" -> {"apps","v1"}, "v1" -> {"","v1"}.
  static void SplitApiVersion(std::string_view api_version, std::string* group,
                              std::string* version);
  // Reads apiVersion, kind, metadata.namespace, metadata.name of an object.
  static ResId Of(const Object& obj);

  std::string ApiVersion() const;  // inverse of SplitApiVersion
  // Group/kind only, e.g. "Deployment.apps" or "ConfigMap".
  std::string GroupKind() const;
  // Human form used in messages: "apps/v1 Deployment ns/name"
  // (cluster-scoped: "rbac.authorization.k8s.io/v1 ClusterRole name").
  std::string ToString() const;

  auto operator<=>(const ResId&) const = default;
  bool operator==(const ResId&) const = default;
};

struct ResIdHash {
  size_t operator()(const ResId& id) const noexcept;
};

}  // namespace gitopsd

template <>
struct std::hash<gitopsd::ResId> : gitopsd::ResIdHash {};
