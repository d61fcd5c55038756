// KustTarget: accumulates one kustomization directory (internal to
// gitopsd::kustomize): its resources (files and nested kustomizations,
// depth first), generators, components, then its transformers in
// Kustomize's fixed order, then its vars. Not thread-safe (one render).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kustomize/filters/filters.h"
#include "kustomize/kustomization.h"
#include "kustomize/kustomize.h"
#include "kustomize/loader.h"
#include "kustomize/transformer_config.h"

namespace gitopsd::kustomize {

// What a kustomization (and everything below it) has built so far.
struct Accumulator {
  ResourceList resources;
  TransformerConfig config = TransformerConfig::Defaults();
  std::vector<Var> vars;

  // Adds another accumulator's resources (refusing duplicate ids), field
  // specs and vars.
  Status Merge(Accumulator other);
};

// State shared by every target of one render.
struct RenderState {
  const RenderOptions& options;
  std::vector<std::string>& warnings;
  // The types strategic merges use: set once, by the first kustomization
  // (top-level first) whose `openapi:` field names a schema, as Kustomize's
  // global schema setting behaves. Null = the built-in types.
  std::unique_ptr<k8s::Schema> schema;
  bool schema_set = false;
  // Origin tracking (kustomize/origin.h): on when the top kustomization's
  // buildMetadata is non-empty; origins are relative to top_root, the top
  // kustomization's directory.
  bool track_origin = false;
  std::string top_root;
};

class KustTarget {
 public:
  KustTarget(const Loader& loader, RenderState& state, int depth)
      : loader_(loader), state_(state), depth_(depth) {}

  Status Load();
  // Applies this kustomization's `openapi:` field to the render's schema.
  Status SetSchema();
  const Kustomization& kustomization() const { return k_; }

  // Kustomize's accumulateTarget: builds into `ra` (components build into
  // their parent's accumulator; everything else into a fresh one).
  Status AccumulateInto(Accumulator& ra);

 private:
  Status AccumulateResources(Accumulator& ra, const Object& paths, const std::string& field);
  Status AccumulateFile(Accumulator& ra, const std::string& path, bool* loaded);
  Status AccumulateDirectory(Accumulator& ra, const std::string& path, bool component);
  Status LoadConfigurations(Accumulator& ra);
  Status LoadCrds(Accumulator& ra);
  Status RunGenerators(Accumulator& ra);
  Status AccumulateComponents(Accumulator& ra);
  Status RunTransformers(Accumulator& ra);
  Status MergeVars(Accumulator& ra);
  // Plugin config documents named by `transformers:`/`generators:` entries
  // (inline YAML, files or kustomization directories).
  Result<ResourceList> PluginConfigs(const Object& entries, const std::string& field);
  // One transformer and the builtin kinds it stands for (the annotations
  // Kustomize writes after it: one per builtin plugin instance).
  struct Step {
    TransformerPtr transformer;
    std::vector<std::string> kinds;
    Object plugin_origin;  // for plugin configs: PluginOrigin of the config
  };
  Result<std::vector<Step>> FieldTransformers(const Accumulator& ra);
  // This kustomization file relative to the top one (origins' configuredIn).
  std::string OriginPath() const;
  void Warn(const std::string& field, const std::string& replacement);
  // Sets config.kubernetes.io/origin when origins are tracked.
  void AnnotateOrigin(Resource& r, const Object& origin) const;

  const Loader& loader_;
  RenderState& state_;
  int depth_;
  Kustomization k_;
};

}  // namespace gitopsd::kustomize
