// How gitopsd marks the objects it manages (gitops-semantics.md, "gitopsd
// decisions"): label gitopsd.io/app=<app> (for server-side list filtering)
// and annotation gitopsd.io/tracking-id=<app>:<group>/<kind>:<namespace>/<name>.
// An object is the app's only when its tracking id describes the object
// itself: a copy made by another tool (same label, id of another object) is
// never touched. Also the per-object sync options gitopsd honours
// (gitopsd.io/prune, Argo CD's sync-options / compare-options).
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/object.h"
#include "core/resid.h"

namespace gitopsd::sync {

inline constexpr char kAppLabel[] = "gitopsd.io/app";
inline constexpr char kTrackingIdAnnotation[] = "gitopsd.io/tracking-id";
inline constexpr char kPruneAnnotation[] = "gitopsd.io/prune";
inline constexpr char kArgoSyncOptions[] = "argocd.argoproj.io/sync-options";
inline constexpr char kArgoCompareOptions[] = "argocd.argoproj.io/compare-options";

// "<app>:<group>/<kind>:<namespace>/<name>" (version not included).
std::string TrackingId(const std::string& app, const ResId& id);

// A copy of `obj` carrying the app's label and tracking annotation.
Object WithTracking(const Object& obj, const std::string& app);

// True when `live` carries the tracking id of `app` for itself.
bool IsTrackedBy(const Object& live, const std::string& app);

// The label selector that finds the app's objects server-side.
std::string AppSelector(const std::string& app);

// gitopsd.io/prune: "false", or Prune=false in Argo CD's sync-options.
bool PruneDisabled(const Object& obj);
// IgnoreExtraneous in Argo CD's compare-options: an extra live object that
// does not make the app OutOfSync.
bool IgnoreExtraneous(const Object& obj);

// The value of an annotation ("" when absent).
std::string Annotation(const Object& obj, const std::string& key);

}  // namespace gitopsd::sync
