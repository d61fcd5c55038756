// Normalization of one Kubernetes object before comparison: removes what the
// API server or controllers own so that only what a user declares is left,
// and writes equivalent values one way (gitops-semantics.md §6.5).
//
// Rules, applied in this order (each is a small function in normalize.cc):
//  1. server-set metadata: uid, resourceVersion, generation,
//     creationTimestamp (also the `creationTimestamp: null` of nested
//     templates), managedFields, selfLink, deletionTimestamp,
//     deletionGracePeriodSeconds; annotation
//     kubectl.kubernetes.io/last-applied-configuration; empty
//     labels/annotations maps left behind.
//  2. `status` (unless NormalizeOptions::keep_status).
//  3. gitopsd's tracking annotation (gitopsd.io/tracking-id) when it is ours:
//     it names this very object (and options.app_name's app when set); the
//     tracking label gitopsd.io/app when it equals app_name (any value when
//     app_name is empty). A tracking id copied from another object is kept.
//  4. Secrets (core v1): `stringData` folded into `data` as base64 (it wins
//     over a same-named `data` key, as on the server); null data values -> "".
//  5. Numbers: a float with an integral value becomes an integer (1.0 == 1).
//  6. Quantities in resource fields (containers' and PVCs' resources
//     requests/limits, pod overhead, emptyDir sizeLimit, LimitRange limits,
//     ResourceQuota hard, PersistentVolume capacity) in canonical form.
//  7. Null values inside mappings are dropped (null = absent).
//  8. RBAC Role/ClusterRole: empty `rules` == absent.
//  9. Endpoints: ports default to protocol TCP; subsets, their addresses,
//     notReadyAddresses and ports are sorted (controllers write them in any
//     order).
//
// Pure function of its inputs; thread-safe.
#pragma once

#include <string>

#include "core/object.h"

namespace gitopsd::diff {

inline constexpr char kTrackingAnnotation[] = "gitopsd.io/tracking-id";
inline constexpr char kTrackingLabel[] = "gitopsd.io/app";
inline constexpr char kLastAppliedAnnotation[] =
    "kubectl.kubernetes.io/last-applied-configuration";

struct NormalizeOptions {
  // Keep `status` (for custom resources whose status is declared in git).
  bool keep_status = false;
  // The app the objects belong to; tracking metadata of another app is kept
  // (it then shows as a difference). Empty: any gitopsd tracking is ours.
  std::string app_name;
};

// Returns a normalized copy of `obj` (a null input yields null).
Object Normalize(const Object& obj, const NormalizeOptions& options = {});

// base64 (RFC 4648, with padding) of raw bytes; used for Secret stringData.
std::string Base64Encode(std::string_view bytes);

}  // namespace gitopsd::diff
