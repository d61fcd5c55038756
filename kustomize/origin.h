// Build metadata annotations (internal to gitopsd::kustomize): where each
// resource came from (`config.kubernetes.io/origin`) and which transformers
// ran over it (`alpha.config.kubernetes.io/transformations`), as Kustomize
// v5.5.0 writes them when the top kustomization sets `buildMetadata:
// [originAnnotations]` / `[transformerAnnotations]`.
//
// As in Kustomize, the annotations live on the objects while the render runs
// (tracking is on whenever buildMetadata is non-empty) and the ones not asked
// for are removed at the end. An origin is a mapping {path | configuredIn,
// configuredBy: {apiVersion, kind, name, namespace}}, written as YAML text in
// that key order. Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/object.h"
#include "core/status.h"
#include "kustomize/resource.h"

namespace gitopsd::kustomize {

inline constexpr char kOriginAnnotation[] = "config.kubernetes.io/origin";
inline constexpr char kTransformationsAnnotation[] = "alpha.config.kubernetes.io/transformations";

// {path: <path>}: a resource read from a file.
Object FileOrigin(const std::string& path);
// {configuredIn, configuredBy: {apiVersion: builtin, kind}}: a builtin
// generator or transformer configured by a kustomization field.
Object BuiltinOrigin(const std::string& configured_in, const std::string& kind);
// The origin of what a plugin config document (a `generators:` /
// `transformers:` entry) makes: configuredIn is the config's own origin
// path, configuredBy its apiVersion/kind/name/namespace. Null when the
// config carries no origin annotation (tracking off).
Object PluginOrigin(const Object& config);

// Sets the origin annotation (replacing one already there).
void SetOrigin(Object& obj, const Object& origin);
// Kustomize's AddOriginAnnotation: sets `origin` on resources that have none.
void AddOriginWhereMissing(ResourceList& list, const Object& origin);
// Kustomize's AddTransformerAnnotation: on every resource, `origin` becomes
// the origin when the resource has none, else it is appended to the
// transformations list.
Status AddTransformation(ResourceList& list, const Object& origin);
// Removes annotation `key` (and an annotations mapping left empty).
void RemoveAnnotation(Object& obj, const std::string& key);
// What Kustomize's final removal of unrequested build annotations does to
// every object as a side effect (it rewrites the annotations through
// SetAnnotations): values become strings (`port: 8080` -> "8080"), and an
// empty or null annotations field is dropped.
void RewriteAnnotationsAsStrings(Object& obj);

}  // namespace gitopsd::kustomize
