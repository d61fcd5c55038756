// Which live objects a sync deletes: those tracked by the app (their
// tracking id names themselves, see tracking.h) that are no longer desired.
// Matching ignores the API version (a Deployment moved from one version to
// another is the same object). Objects marked gitopsd.io/prune: "false" or
// Argo CD's Prune=false are kept and reported as skipped. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/object.h"
#include "core/resid.h"

namespace gitopsd::sync {

struct PruneCandidate {
  ResId id;
  Object live;
  bool skipped = false;  // protected from pruning
  std::string reason;    // why skipped
};

// `desired` must carry final namespaces (see PrepareDesired). Objects in
// `live` not tracked by `app` are ignored. Result in prune order.
std::vector<PruneCandidate> ComputePrune(const ObjectList& desired, const ObjectList& live,
                                         const std::string& app);

}  // namespace gitopsd::sync
