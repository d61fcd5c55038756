// The renderer's transformers and generators, one per file in this folder,
// like Kustomize's api/filters and builtin plugins (internal to
// gitopsd::kustomize). Each is built from its arguments (parsed from a
// kustomization field or from a builtin plugin config document) and then
// applied to the whole ResourceList. Transformers are immutable after
// construction; Apply mutates only the list it is given.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/k8s_schema.h"
#include "core/object.h"
#include "core/status.h"
#include "kustomize/fieldspec.h"
#include "kustomize/loader.h"
#include "kustomize/resource.h"
#include "kustomize/transformer_config.h"

namespace gitopsd::kustomize {

class Transformer {
 public:
  virtual ~Transformer() = default;
  virtual Status Apply(ResourceList& list) const = 0;
};
using TransformerPtr = std::unique_ptr<Transformer>;

using StringMap = std::map<std::string, std::string>;

// Go's encoding/json matches field names case-insensitively; this renames
// the keys of mapping `m` that case-insensitively equal a `known` name to
// that name (others are kept as they are).
Object FoldKeys(const Object& m, std::initializer_list<std::string_view> known);

// Reads a map of strings (null = empty); scalars are taken as their YAML
// text; `what` names the field in errors.
Result<StringMap> ToStringMap(const Object& v, const std::string& what);

// --- namespace.cc
struct NamespaceArgs {
  std::string name_space;
  FieldSpecs field_specs;
  bool unset_only = false;
  std::string role_binding_subjects = "defaultOnly";  // | allServiceAccounts | none
};
Result<TransformerPtr> MakeNamespaceTransformer(NamespaceArgs args);

// --- prefix_suffix.cc
Result<TransformerPtr> MakePrefixSuffixTransformer(std::string prefix, std::string suffix,
                                                   FieldSpecs prefix_specs,
                                                   FieldSpecs suffix_specs);

// --- labels.cc (labels and annotations: a map merged into fields)
Result<TransformerPtr> MakeMapTransformer(StringMap entries, FieldSpecs specs);

// --- images.cc
struct ImageArgs {
  std::string name, new_name, new_tag, digest, tag_suffix;
  bool has_new_tag = false;
};
Result<ImageArgs> ParseImageArgs(const Object& v, const std::string& what);
Result<TransformerPtr> MakeImageTransformer(std::vector<ImageArgs> images, FieldSpecs specs);

// --- replicas.cc
struct ReplicaArgs {
  std::string name;
  Object count;  // an integer
};
Result<ReplicaArgs> ParseReplicaArgs(const Object& v, const std::string& what);
Result<TransformerPtr> MakeReplicaTransformer(std::vector<ReplicaArgs> replicas, FieldSpecs specs);

// --- patch.cc
struct PatchArgs {
  std::string path;   // file with the patch, or
  std::string patch;  // inline patch text
  std::optional<Object> target;  // selector
  bool allow_name_change = false, allow_kind_change = false;
};
Result<PatchArgs> ParsePatchArgs(const Object& v, const std::string& what);
// The `patches` field / PatchTransformer: strategic merge or JSON 6902.
// `schema` (null = built-in types) gives the merge keys of strategic merges.
Result<TransformerPtr> MakePatchTransformer(const PatchArgs& args, const Loader& loader,
                                            const k8s::Schema* schema = nullptr);
// `patchesStrategicMerge` / PatchStrategicMergeTransformer: each entry is a
// file path or an inline patch document stream.
Result<TransformerPtr> MakeStrategicMergeTransformer(const std::vector<std::string>& entries,
                                                     const Loader& loader,
                                                     const k8s::Schema* schema = nullptr);
// `patchesJson6902` / PatchJson6902Transformer.
Result<TransformerPtr> MakeJson6902Transformer(const Object& target, const std::string& path,
                                               const std::string& inline_ops,
                                               const Loader& loader);

// --- generators.cc
struct GeneratorOptions {
  StringMap labels, annotations;
  bool disable_name_suffix_hash = false;
  bool immutable = false;
};
Result<GeneratorOptions> ParseGeneratorOptions(const Object& v, const std::string& what);
// Kustomize's MergeGlobalOptionsIntoLocal.
GeneratorOptions MergeOptions(const std::optional<GeneratorOptions>& local,
                              const std::optional<GeneratorOptions>& global);
// One configMapGenerator / secretGenerator entry (kind "ConfigMap" or
// "Secret"), its data loaded through `loader`.
// `strict` (kustomization fields) refuses unknown fields; builtin plugin
// configs ignore them, as Kustomize does.
Result<Resource> GenerateConfigMapOrSecret(const std::string& kind, const Object& args,
                                           const std::optional<GeneratorOptions>& global,
                                           const Loader& loader, bool strict);
// Adds generated resources to the list with Kustomize's create / merge /
// replace behaviors.
Status AbsorbGenerated(ResourceList& list, Resource res);

// --- hash.cc
// The content hash suffix Kustomize appends to generated names.
std::string ContentHash(const Object& obj);
// Renames every resource that needs a hash suffix.
Status AddHashSuffixes(ResourceList& list);

// --- nameref.cc
// Rewrites references to renamed objects (Kustomize's FixBackReferences).
Status FixNameReferences(ResourceList& list, const TransformerConfig& config);

// --- vars.cc
struct Var {
  std::string name;
  Object obj_ref;     // {apiVersion, kind, name, namespace}
  std::string field_path = "metadata.name";
};
Result<Var> ParseVar(const Object& v, const std::string& what);
// Replaces $(VAR) in the varReference fields; errors on unused or
// unresolvable vars as Kustomize does.
Status ResolveVars(ResourceList& list, const std::vector<Var>& vars, const FieldSpecs& specs);

// --- sort.cc
// Kustomize's legacy output order (with optional orderFirst/orderLast).
void LegacySort(ResourceList& list, const std::vector<std::string>* order_first = nullptr,
                const std::vector<std::string>* order_last = nullptr);
// A sortOptions value: nullopt = not set; else the transformer.
Result<TransformerPtr> MakeSortTransformer(const Object& sort_options, const std::string& what);

// --- replacements_filter.cc
Result<TransformerPtr> MakeReplacementTransformer(const Object& replacements,
                                                  const Loader& loader, const std::string& what);

// --- value_add.cc
// The value defaults to the base name of `loader`'s directory (the
// kustomization listing the transformer); targetFilePath reads through it.
Result<TransformerPtr> MakeValueAddTransformer(const Object& config, const Loader& loader);

// --- builtin_plugins.cc: documents listed under `transformers:`/`generators:`
struct PluginContext {
  const Loader& loader;
  const TransformerConfig& config;
  const k8s::Schema* schema = nullptr;
};
// A builtin transformer from its config document (apiVersion builtin, kind
// e.g. PrefixSuffixTransformer). Unknown kinds are refused by name.
Result<TransformerPtr> MakeBuiltinTransformer(const Object& doc, const PluginContext& ctx);
// A builtin generator (ConfigMapGenerator, SecretGenerator) from its config.
Result<ResourceList> RunBuiltinGenerator(const Object& doc, const PluginContext& ctx);

// Runs a sequence of transformers.
class MultiTransformer : public Transformer {
 public:
  void Add(TransformerPtr t) { list_.push_back(std::move(t)); }
  Status Apply(ResourceList& list) const override {
    for (const auto& t : list_) RETURN_IF_ERROR(t->Apply(list));
    return Status::Ok();
  }
  bool empty() const { return list_.empty(); }

 private:
  std::vector<TransformerPtr> list_;
};

// Wraps a lambda as a transformer.
template <typename F>
class FnTransformer : public Transformer {
 public:
  explicit FnTransformer(F f) : f_(std::move(f)) {}
  Status Apply(ResourceList& list) const override { return f_(list); }

 private:
  F f_;
};
template <typename F>
TransformerPtr MakeFn(F f) {
  return std::make_unique<FnTransformer<F>>(std::move(f));
}

// Parses a resource stream (files of resources, inline patches): every
// non-empty document, `kind: List` items expanded.
Result<ResourceList> ParseResources(std::string_view text, const std::string& source);

}  // namespace gitopsd::kustomize
