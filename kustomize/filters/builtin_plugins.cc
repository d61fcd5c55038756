// Builtin plugin configs (`apiVersion: builtin`) listed under
// `transformers:` / `generators:`: each kind maps onto the same filters the
// kustomization fields use, with the field specs its config gives.
#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

// Plugin configs are decoded like Go's encoding/json: field names match
// case-insensitively, unknown fields are ignored.
const Object& Get(const Object& doc, const char* key) {
  static const Object kNull;
  auto it = doc.find(key);
  if (it != doc.end()) return *it;
  std::string_view k(key);
  for (auto i = doc.begin(); i != doc.end(); ++i) {
    const std::string& name = i.key();
    if (name.size() != k.size()) continue;
    bool same = true;
    for (size_t c = 0; c < k.size() && same; ++c) {
      same = tolower(static_cast<unsigned char>(name[c])) == tolower(static_cast<unsigned char>(k[c]));
    }
    if (same) return *i;
  }
  return kNull;
}

std::string Str(const Object& doc, const char* key) {
  const Object& v = Get(doc, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

Result<FieldSpecs> Specs(const Object& doc, const std::string& what) {
  return ParseFieldSpecs(Get(doc, "fieldSpecs"), what + ": fieldSpecs");
}

Result<TransformerPtr> Namespace(const Object& doc, const std::string& what) {
  NamespaceArgs a;
  a.name_space = GetString(doc, "metadata.namespace");
  ASSIGN_OR_RETURN(a.field_specs, Specs(doc, what));
  const Object& unset = Get(doc, "unsetOnly");
  a.unset_only = unset.is_boolean() && unset.get<bool>();
  a.role_binding_subjects = Str(doc, "setRoleBindingSubjects");
  return MakeNamespaceTransformer(std::move(a));
}

Result<TransformerPtr> Affix(const Object& doc, const std::string& what, bool prefix, bool suffix) {
  if (Get(doc, "fieldSpecs").is_null()) return InvalidArgument(what + ": fieldSpecs is not expected to be nil");
  ASSIGN_OR_RETURN(FieldSpecs specs, Specs(doc, what));
  return MakePrefixSuffixTransformer(prefix ? Str(doc, "prefix") : "", suffix ? Str(doc, "suffix") : "",
                                     specs, specs);
}

Result<TransformerPtr> MapT(const Object& doc, const std::string& what, const char* field) {
  ASSIGN_OR_RETURN(StringMap m, ToStringMap(Get(doc, field), what + ": " + field));
  ASSIGN_OR_RETURN(FieldSpecs specs, Specs(doc, what));
  return MakeMapTransformer(std::move(m), std::move(specs));
}

Result<TransformerPtr> Image(const Object& doc, const std::string& what) {
  ASSIGN_OR_RETURN(ImageArgs a, ParseImageArgs(Get(doc, "imageTag"), what + ": imageTag"));
  ASSIGN_OR_RETURN(FieldSpecs specs, Specs(doc, what));
  return MakeImageTransformer({std::move(a)}, std::move(specs));
}

Result<TransformerPtr> Replica(const Object& doc, const std::string& what) {
  ASSIGN_OR_RETURN(ReplicaArgs a, ParseReplicaArgs(Get(doc, "replica"), what + ": replica"));
  ASSIGN_OR_RETURN(FieldSpecs specs, Specs(doc, what));
  return MakeReplicaTransformer({std::move(a)}, std::move(specs));
}

Result<TransformerPtr> SmPatches(const Object& doc, const PluginContext& ctx, const std::string& what) {
  std::vector<std::string> entries;
  const Object& paths = Get(doc, "paths");
  if (paths.is_array()) {
    for (const Object& p : paths) {
      if (!p.is_string()) return InvalidArgument(what + ": paths must be strings");
      entries.push_back(p.get<std::string>());
    }
  }
  std::string inline_patches = Str(doc, "patches");
  if (!inline_patches.empty()) entries.push_back(inline_patches);
  if (entries.empty()) return InvalidArgument(what + ": empty file path and empty patch");
  return MakeStrategicMergeTransformer(entries, ctx.loader, ctx.schema);
}

// IAMPolicyGenerator: for cloud "gke", the Kubernetes service account bound
// to a Google service account (workload identity).
Result<ResourceList> IamPolicy(const Object& doc, const std::string& what) {
  std::string cloud = Str(doc, "cloud");
  if (cloud != "gke") return InvalidArgument(what + ": cloud provider " + cloud + " not supported yet");
  const Object& ksa = Get(doc, "kubernetesService");
  const Object& gsa = Get(doc, "serviceAccount");
  static const Object kEmpty = Object::object();
  const Object& k = ksa.is_object() ? ksa : kEmpty;
  const Object& g = gsa.is_object() ? gsa : kEmpty;
  Resource r;
  r.obj = Object::object();
  r.obj["apiVersion"] = "v1";
  r.obj["kind"] = "ServiceAccount";
  Object& meta = r.obj["metadata"];
  meta["annotations"]["iam.gke.io/gcp-service-account"] =
      Str(g, "name") + "@" + Str(g, "projectId") + ".iam.gserviceaccount.com";
  meta["name"] = Str(k, "name");
  if (!Str(k, "namespace").empty()) meta["namespace"] = Str(k, "namespace");
  ResourceList out;
  out.push_back(std::move(r));
  return out;
}

}  // namespace

Result<TransformerPtr> MakeBuiltinTransformer(const Object& doc, const PluginContext& ctx) {
  std::string kind = KindOf(doc);
  std::string api = ApiVersionOf(doc);
  std::string what = "transformer " + kind + " \"" + NameOf(doc) + "\"";
  if (api != "builtin") {
    return Unimplemented(what + ": plugin " + api + "/" + kind +
                         " is not builtin; external (exec/Go/KRM function) plugins are not supported");
  }
  if (kind == "PatchTransformer") {
    Object o = Object::object();
    for (const char* k : {"path", "patch", "target", "options"}) {
      if (!Get(doc, k).is_null()) o[k] = Get(doc, k);
    }
    ASSIGN_OR_RETURN(PatchArgs a, ParsePatchArgs(o, what));
    return MakePatchTransformer(a, ctx.loader, ctx.schema);
  }
  if (kind == "PatchStrategicMergeTransformer") return SmPatches(doc, ctx, what);
  if (kind == "PatchJson6902Transformer") {
    return MakeJson6902Transformer(Get(doc, "target"), Str(doc, "path"), Str(doc, "jsonOp"), ctx.loader);
  }
  if (kind == "NamespaceTransformer") return Namespace(doc, what);
  if (kind == "PrefixSuffixTransformer") return Affix(doc, what, true, true);
  if (kind == "PrefixTransformer") return Affix(doc, what, true, false);
  if (kind == "SuffixTransformer") return Affix(doc, what, false, true);
  if (kind == "LabelTransformer") return MapT(doc, what, "labels");
  if (kind == "AnnotationsTransformer") return MapT(doc, what, "annotations");
  if (kind == "ImageTagTransformer") return Image(doc, what);
  if (kind == "ReplicaCountTransformer") return Replica(doc, what);
  if (kind == "ReplacementTransformer") {
    return MakeReplacementTransformer(Get(doc, "replacements"), ctx.loader, what);
  }
  if (kind == "SortOrderTransformer") {
    // kubectl's Kustomize cannot load this builtin from a config.
    return InvalidArgument("unable to load builtin SortOrderTransformer.builtin.[noGrp]");
  }
  if (kind == "HashTransformer") return MakeFn([](ResourceList& list) { return AddHashSuffixes(list); });
  if (kind == "ValueAddTransformer") return MakeValueAddTransformer(doc, ctx.loader);
  if (kind == "HelmChartInflationGenerator") {
    return Unimplemented(what + ": Helm charts are not supported by gitopsd");
  }
  return InvalidArgument(what + ": unknown builtin transformer kind \"" + kind + "\"");
}

Result<ResourceList> RunBuiltinGenerator(const Object& doc, const PluginContext& ctx) {
  std::string kind = KindOf(doc);
  std::string api = ApiVersionOf(doc);
  std::string what = "generator " + kind + " \"" + NameOf(doc) + "\"";
  if (api != "builtin") {
    return Unimplemented(what + ": plugin " + api + "/" + kind +
                         " is not builtin; external (exec/Go/KRM function) plugins are not supported");
  }
  if (kind == "ConfigMapGenerator" || kind == "SecretGenerator") {
    Object args = doc;
    args.erase("apiVersion");
    args.erase("kind");
    ASSIGN_OR_RETURN(Resource r, GenerateConfigMapOrSecret(kind == "SecretGenerator" ? "Secret" : "ConfigMap",
                                                          args, std::nullopt, ctx.loader, false));
    ResourceList out;
    out.push_back(std::move(r));
    return out;
  }
  if (kind == "IAMPolicyGenerator") return IamPolicy(doc, what);
  if (kind == "HelmChartInflationGenerator") {
    return Unimplemented(what + ": Helm charts are not supported by gitopsd");
  }
  return InvalidArgument(what + ": unknown builtin generator kind \"" + kind + "\"");
}

}  // namespace gitopsd::kustomize
