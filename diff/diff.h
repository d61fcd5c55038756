// The noise-free comparison of one object's desired and live states.
//
// CompareObjects takes the rendered (desired) object, the live object and,
// when the caller could get one, the result of a server-side dry-run apply
// of the desired object (SSA with dryRun=All). It normalizes (normalize.h),
// applies the app's ignore rules (ignore.h) and decides on canonical JSON:
//
//  - Strategy kDryRun (a dry-run result was given): compare the dry-run
//    result with live; the server has applied every default, so this is
//    exact (gitops-semantics.md, "gitopsd decisions").
//  - Strategy kStructural (no dry-run result: the object or its CRD does not
//    exist yet, or dry-run is unavailable): the predicted state is live
//    overlaid with the desired fields (internal/overlay.h), so only fields
//    present in desired count; and, as server-side apply would, the fields
//    our field manager applied before (live managedFields, operation Apply)
//    that desired no longer declares are removed from the prediction.
//  - Added (no live) / removed (no desired: a tracked object that left the
//    repo, to be pruned).
//
// The ObjectDiff holds the two sides as they will be shown: normalized,
// ignore rules applied and Secret values masked (mask.h). No Secret value
// is reachable from an ObjectDiff.
//
// Pure functions of values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"
#include "diff/ignore.h"
#include "diff/normalize.h"

namespace gitopsd::diff {

enum class ChangeKind { kUnchanged, kAdded, kRemoved, kModified };
// "unchanged", "added", "removed", "modified".
std::string_view ChangeKindName(ChangeKind kind);

enum class Strategy { kNone, kDryRun, kStructural };
std::string_view StrategyName(Strategy strategy);  // "none", "dry-run", "structural"

struct DiffOptions {
  // Per-app ignoreDifferences.
  std::vector<IgnoreRule> ignore;
  // Normalization knobs (status opt-out, app name for tracking metadata).
  NormalizeOptions normalize;
  // The field manager gitopsd applies with ("" = do not predict removals in
  // the structural strategy).
  std::string field_manager = "gitopsd";
  // Annotations whose values are masked like Secret data on every kind
  // (e.g. "vault.example.com/token").
  std::vector<std::string> sensitive_annotations;
};

// One field that differs, as a JSON pointer into the object. A value that
// does not exist on one side is absent (nullopt); lists of different
// lengths are reported as one change of the whole list.
struct PathChange {
  std::string path;  // "/spec/replicas"
  std::optional<Object> old_value;  // live
  std::optional<Object> new_value;  // desired / predicted
};

struct ObjectDiff {
  ResId id;
  ChangeKind change = ChangeKind::kUnchanged;
  Strategy strategy = Strategy::kNone;
  Object live;       // normalized, ignore rules applied, masked; null if absent
  Object predicted;  // same for the desired/predicted state; null if removed
  std::vector<PathChange> paths;  // empty unless modified

  bool HasChanges() const { return change != ChangeKind::kUnchanged; }
};

// Compares one object. Any pointer may be null (a null Object counts as
// absent too); desired and live must not both be absent. The id comes from
// desired, else live. Errors: both absent, an object that is not a mapping,
// a bad ignore rule (InvalidArgument, naming the object).
Result<ObjectDiff> CompareObjects(const Object* desired, const Object* live,
                                  const Object* dry_run, const DiffOptions& options = {});

// The JSON-pointer paths at which two (normalized) values differ.
std::vector<PathChange> DiffPaths(const Object& old_value, const Object& new_value);

}  // namespace gitopsd::diff
