#include "diff/diff.h"

#include "diff/internal/field_paths.h"
#include "diff/internal/json_pointer.h"
#include "diff/internal/overlay.h"
#include "diff/mask.h"

namespace gitopsd::diff {
namespace {

bool Absent(const Object* o) { return o == nullptr || o->is_null(); }

void CollectPaths(const Object& a, const Object& b, const std::string& at,
                  std::vector<PathChange>& out) {
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      std::string p = at + "/" + internal::EscapeToken(it.key());
      auto other = b.find(it.key());
      if (other == b.end()) {
        out.push_back({p, *it, std::nullopt});
      } else {
        CollectPaths(*it, *other, p, out);
      }
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (!a.contains(it.key())) {
        out.push_back({at + "/" + internal::EscapeToken(it.key()), std::nullopt, *it});
      }
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (size_t i = 0; i < a.size(); ++i) CollectPaths(a[i], b[i], at + "/" + std::to_string(i), out);
    return;
  }
  if (CanonicalJson(a) != CanonicalJson(b)) out.push_back({at, a, b});
}

Status CheckShape(const Object* o, std::string_view what) {
  if (!Absent(o) && !o->is_object()) {
    return InvalidArgument(std::string(what) + " object is not a mapping");
  }
  return Status::Ok();
}

// Server-side apply removes the fields a manager applied before and no
// longer applies (when no other manager owns them too; we cannot tell shared
// ownership of leaves apart here, so they are removed: SSA would remove them
// for a sole owner, the usual case).
Status DropAbandonedFields(const Object& live_raw, const std::string& manager,
                           const Object& desired_n, Object& pred) {
  if (manager.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(FieldSet owned, internal::OwnedLeaves(live_raw, manager, /*apply_only=*/true));
  for (const FieldPath& path : owned) {
    if (!internal::HasFieldPath(desired_n, path)) internal::RemoveFieldPath(pred, path);
  }
  return Status::Ok();
}

}  // namespace

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kUnchanged: return "unchanged";
    case ChangeKind::kAdded: return "added";
    case ChangeKind::kRemoved: return "removed";
    case ChangeKind::kModified: return "modified";
  }
  return "unknown";
}

std::string_view StrategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::kNone: return "none";
    case Strategy::kDryRun: return "dry-run";
    case Strategy::kStructural: return "structural";
  }
  return "unknown";
}

std::vector<PathChange> DiffPaths(const Object& old_value, const Object& new_value) {
  std::vector<PathChange> out;
  CollectPaths(old_value, new_value, "", out);
  return out;
}

Result<ObjectDiff> CompareObjects(const Object* desired, const Object* live,
                                  const Object* dry_run, const DiffOptions& options) {
  if (Absent(desired) && Absent(live)) {
    return InvalidArgument("compare: neither a desired nor a live object");
  }
  RETURN_IF_ERROR(CheckShape(desired, "desired"));
  RETURN_IF_ERROR(CheckShape(live, "live"));
  RETURN_IF_ERROR(CheckShape(dry_run, "dry-run"));
  ObjectDiff d;
  d.id = ResId::Of(Absent(desired) ? *live : *desired);

  Object live_n = Absent(live) ? Object() : Normalize(*live, options.normalize);
  Object pred;
  if (!Absent(dry_run)) {
    d.strategy = Strategy::kDryRun;
    pred = Normalize(*dry_run, options.normalize);
  } else if (!Absent(desired)) {
    Object desired_n = Normalize(*desired, options.normalize);
    pred = desired_n;
    if (!live_n.is_null()) {
      d.strategy = Strategy::kStructural;
      pred = internal::Overlay(live_n, desired_n);
      Status st = DropAbandonedFields(*live, options.field_manager, desired_n, pred);
      if (!st.ok()) return st.WithContext(d.id.ToString() + ": managedFields");
    }
  }
  if (Absent(desired)) pred = Object();  // to be pruned: nothing is predicted

  Status st = ApplyIgnoreRules(options.ignore, d.id, Absent(live) ? Object() : *live, pred, live_n);
  if (!st.ok()) return st.WithContext(d.id.ToString());

  if (live_n.is_null()) {
    d.change = ChangeKind::kAdded;
  } else if (pred.is_null()) {
    d.change = ChangeKind::kRemoved;
  } else if (CanonicalJson(live_n) != CanonicalJson(pred)) {
    d.change = ChangeKind::kModified;
  }
  MaskSecretPair(live_n, pred);
  MaskAnnotationsPair(live_n, pred, options.sensitive_annotations);
  if (d.change == ChangeKind::kModified) d.paths = DiffPaths(live_n, pred);
  d.live = std::move(live_n);
  d.predicted = std::move(pred);
  return d;
}

}  // namespace gitopsd::diff
