// Apply order (gitops-semantics.md §6.1, Argo CD's): sort by (phase, wave,
// kind rank, name); then each Namespace moves right before the first object
// living in it, and each CRD right before the first object of its group and
// kind, both taking that object's phase and wave. Prune order is the exact
// reverse. Waves come from gitopsd.io/sync-wave, else
// argocd.argoproj.io/sync-wave; phases from gitopsd.io/hook, else
// argocd.argoproj.io/hook (PreSync, Sync, PostSync, SyncFail). Pure
// functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"

namespace gitopsd::sync {

enum class Phase { kPreSync, kSync, kPostSync, kSyncFail };
std::string_view PhaseName(Phase phase);

struct PlannedObject {
  ResId id;
  Object object;
  Phase phase = Phase::kSync;
  int wave = 0;
};

// 1 for Namespace ... 35 for APIService; every other kind ranks 36.
int KindRank(std::string_view kind);

// The object's phase and wave; InvalidArgument (naming the object) for a
// wave that is not an integer or an unknown hook.
Result<Phase> PhaseOf(const Object& obj);
Result<int> WaveOf(const Object& obj);

// The apply order. SyncFail objects are included (last); callers that are
// not handling a failure skip them.
Result<std::vector<PlannedObject>> OrderForApply(const ObjectList& objects);

// The prune order: the reverse of the apply order of the same objects.
Result<std::vector<PlannedObject>> OrderForPrune(const ObjectList& objects);

}  // namespace gitopsd::sync
