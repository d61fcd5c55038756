#include "kustomize/target.h"

#include <unordered_set>

#include "core/yaml.h"
#include "kustomize/origin.h"

namespace gitopsd::kustomize {
namespace {

bool IsRemote(const std::string& p) {
  return p.find("://") != std::string::npos || p.rfind("github.com/", 0) == 0 ||
         p.rfind("git@", 0) == 0 || p.rfind("gitlab.com/", 0) == 0 ||
         p.rfind("bitbucket.org/", 0) == 0;
}

// The relative path from directory `from` to `to` (both root-relative).
std::string RelativePath(const std::string& from, const std::string& to) {
  auto split = [](const std::string& p) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (!p.empty() && pos <= p.size()) {
      size_t s = p.find('/', pos);
      out.push_back(p.substr(pos, s == std::string::npos ? std::string::npos : s - pos));
      if (s == std::string::npos) break;
      pos = s + 1;
    }
    return out;
  };
  std::vector<std::string> a = split(from), b = split(to);
  size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common]) ++common;
  std::string out;
  for (size_t i = common; i < a.size(); ++i) out += out.empty() ? ".." : "/..";
  for (size_t i = common; i < b.size(); ++i) out += (out.empty() ? "" : "/") + b[i];
  return out.empty() ? "." : out;
}

std::string Ptr(const std::string& field, size_t i) {
  return "/" + field + "/" + std::to_string(i);
}

}  // namespace

namespace {

std::string IdKey(const ResId& id) {
  return id.group + "|" + id.version + "|" + id.kind + "|" + EffectiveNamespace(id) + "|" + id.name;
}

// AppendUnique for many resources with one hash index: merging hundreds of
// sub-kustomizations stays linear.
Status AppendAllUnique(ResourceList& list, ResourceList more) {
  std::unordered_set<std::string> ids;
  ids.reserve(list.size() + more.size());
  for (const Resource& r : list) ids.insert(IdKey(r.CurId()));
  for (Resource& r : more) {
    ResId id = r.CurId();
    if (!ids.insert(IdKey(id)).second) {
      return AlreadyExists("may not add resource with an already registered id: " + IdString(id));
    }
    list.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

Status Accumulator::Merge(Accumulator other) {
  RETURN_IF_ERROR(AppendAllUnique(resources, std::move(other.resources)));
  RETURN_IF_ERROR(config.Merge(other.config));
  for (Var& v : other.vars) {
    for (const Var& have : vars) {
      if (have.name == v.name) return AlreadyExists("var '" + v.name + "' already encountered");
    }
    vars.push_back(std::move(v));
  }
  return Status::Ok();
}

void KustTarget::AnnotateOrigin(Resource& r, const Object& origin) const {
  if (state_.track_origin) SetOrigin(r.obj, origin);
}

std::string KustTarget::OriginPath() const { return RelativePath(state_.top_root, k_.path); }

void KustTarget::Warn(const std::string& field, const std::string& replacement) {
  std::string msg = "# Warning: '" + field + "' is deprecated. Please use '" + replacement +
                    "' instead. Run 'kustomize edit fix' to update your Kustomization automatically.";
  for (const std::string& w : state_.warnings) {
    if (w == msg) return;
  }
  state_.warnings.push_back(msg);
}

Status KustTarget::Load() {
  auto k = LoadKustomization(loader_);
  if (!k.ok()) return k.status();
  k_ = std::move(*k);
  static const std::pair<const char*, const char*> kDeprecated[] = {
      {"commonLabels", "labels"},       {"patchesStrategicMerge", "patches"},
      {"patchesJson6902", "patches"},   {"imageTags", "images"},
      {"bases", "resources"},           {"vars", "replacements"}};
  for (const auto& [field, repl] : kDeprecated) {
    if (k_.doc.contains(field)) Warn(field, repl);
  }
  return Status::Ok();
}

Status KustTarget::SetSchema() {
  const Object& oa = k_.Field("openapi");
  if (oa.is_object() && oa.contains("version")) {
    if (oa.contains("path")) {
      return k_.Error("/openapi", InvalidArgument("builtin version and custom schema provided, there "
                                                  "is a kustomization.yaml that sets both 'path' and 'version'"));
    }
    if (oa["version"] != "v1.21.2") {
      return k_.Error("/openapi", InvalidArgument("the specified OpenAPI version is not built in"));
    }
  }
  if (state_.schema_set || !oa.is_object() || oa.empty()) return Status::Ok();
  state_.schema_set = true;
  std::string file = oa.value("path", "");
  if (file.empty()) return Status::Ok();  // `version:` names a built-in schema
  auto text = loader_.Load(file);
  if (!text.ok()) return k_.Error("/openapi", text.status());
  auto doc = ParseYaml(*text, YamlReadOptions{file});
  if (!doc.ok()) return k_.Error("/openapi", doc.status());
  auto schema = std::make_unique<k8s::Schema>(k8s::Schema::Builtin());
  RETURN_IF_ERROR(k_.Error("/openapi", schema->AddOpenApi(*doc)));
  state_.schema = std::move(schema);
  return Status::Ok();
}

Status KustTarget::AccumulateInto(Accumulator& ra) {
  if (depth_ > state_.options.max_depth) {
    return ResourceExhausted("kustomizations nest deeper than " +
                             std::to_string(state_.options.max_depth) + " levels");
  }
  RETURN_IF_ERROR(SetSchema());
  RETURN_IF_ERROR(AccumulateResources(ra, k_.Field("resources"), "resources")
                      .WithContext("accumulating resources"));
  RETURN_IF_ERROR(LoadConfigurations(ra));
  RETURN_IF_ERROR(LoadCrds(ra));
  RETURN_IF_ERROR(RunGenerators(ra));
  RETURN_IF_ERROR(AccumulateComponents(ra).WithContext("accumulating components"));
  RETURN_IF_ERROR(RunTransformers(ra));
  if (!k_.Field("validators").is_null() && !k_.Field("validators").empty()) {
    return k_.Error("/validators", Unimplemented("field \"validators\" (validator plugins) is not "
                                                 "supported by gitopsd"));
  }
  RETURN_IF_ERROR(MergeVars(ra));
  if (ra.resources.size() > state_.options.max_objects) {
    return ResourceExhausted("more than " + std::to_string(state_.options.max_objects) + " objects");
  }
  return Status::Ok();
}

Status KustTarget::AccumulateResources(Accumulator& ra, const Object& paths,
                                       const std::string& field) {
  if (!paths.is_array()) return Status::Ok();
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string path = paths[i].get<std::string>();
    if (IsRemote(path)) {
      return k_.Error(Ptr(field, i), Unimplemented("remote resource \"" + path +
                                                   "\" is not supported by gitopsd"));
    }
    bool loaded = false;
    Status file_st = AccumulateFile(ra, path, &loaded);
    if (loaded) {
      if (!file_st.ok()) return k_.Error(Ptr(field, i), file_st);
      continue;
    }
    bool malformed = file_st.code() == Code::kInvalidArgument ||
                     file_st.code() == Code::kResourceExhausted;
    if (malformed) return k_.Error(Ptr(field, i), file_st);
    Status dir_st = AccumulateDirectory(ra, path, false);
    if (!dir_st.ok()) {
      return k_.Error(Ptr(field, i),
                      dir_st.WithContext("accumulation err='" + file_st.message() + "'"));
    }
  }
  return Status::Ok();
}

// Loads `path` as a file of resources. *loaded says whether the file could
// be read and parsed (then the returned status is about merging it); when
// false the caller tries a directory.
Status KustTarget::AccumulateFile(Accumulator& ra, const std::string& path, bool* loaded) {
  auto fs_path = loader_.Resolve(path);
  if (fs_path.ok() && loader_.fs().IsDir(*fs_path)) {
    return NotFound("'" + path + "' is a directory");
  }
  auto text = loader_.Load(path);
  if (!text.ok()) {
    if (text.status().code() == Code::kResourceExhausted) return text.status();
    return NotFound(text.status().message());
  }
  auto res = ParseResources(*text, loader_.Display(*fs_path));
  if (!res.ok()) return res.status();
  *loaded = true;
  for (Resource& r : *res) {
    AnnotateOrigin(r, FileOrigin(RelativePath(state_.top_root, *fs_path)));
  }
  Status st = AppendAllUnique(ra.resources, std::move(*res));
  if (!st.ok()) return st.WithContext("merging resources from '" + path + "'");
  return Status::Ok();
}

Status KustTarget::AccumulateDirectory(Accumulator& ra, const std::string& path, bool component) {
  auto child = loader_.Child(path);
  if (!child.ok()) return child.status();
  KustTarget sub(**child, state_, depth_ + 1);
  Status st = sub.Load();
  if (!st.ok()) return st.WithContext("couldn't make target for path '" + (*child)->Display((*child)->root()) + "'");
  std::string where = (*child)->Display((*child)->root());
  if (component && !sub.k_.is_component) {
    return InvalidArgument("expected kind 'Component' for path '" + where + "' but got '" +
                           sub.k_.String("kind") + "'");
  }
  if (!component && sub.k_.is_component) {
    return InvalidArgument("expected kind != 'Component' for path '" + where + "'");
  }
  if (component) {
    return sub.AccumulateInto(ra).WithContext("recursed accumulation of path '" + where + "'");
  }
  Accumulator sub_ra;
  RETURN_IF_ERROR(sub.AccumulateInto(sub_ra).WithContext("recursed accumulation of path '" + where + "'"));
  return ra.Merge(std::move(sub_ra)).WithContext("recursed merging from path '" + where + "'");
}

Status KustTarget::LoadConfigurations(Accumulator& ra) {
  const Object& paths = k_.Field("configurations");
  if (!paths.is_array()) return Status::Ok();
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string p = paths[i].get<std::string>();
    auto text = loader_.Load(p);
    if (!text.ok()) return k_.Error(Ptr("configurations", i), text.status());
    auto doc = ParseYaml(*text, YamlReadOptions{p});
    if (!doc.ok()) return k_.Error(Ptr("configurations", i), doc.status());
    auto tc = TransformerConfig::Parse(*doc, p);
    if (!tc.ok()) return k_.Error(Ptr("configurations", i), tc.status());
    RETURN_IF_ERROR(k_.Error(Ptr("configurations", i), ra.config.Merge(*tc)));
  }
  return Status::Ok();
}

namespace {

// Kustomize's LoadConfigFromCRDs: walks OpenAPI definitions
// ({"<pkg>.<Kind>": {"Schema": {...}}}) from the k8s-looking types down their
// $refs and turns x-kubernetes-* extensions into field specs.
void CrdFields(TransformerConfig& tc, const Object& defs, const std::string& kind,
               const std::string& type_name, std::vector<std::string> path, int depth) {
  if (depth > 32 || !defs.contains(type_name)) return;
  const Object* props = FindPath(defs[type_name], "Schema.properties");
  if (!props || !props->is_object()) return;
  for (auto it = props->begin(); it != props->end(); ++it) {
    if (!it->is_object()) continue;
    const Object& p = *it;
    std::vector<std::string> sub = path;
    sub.push_back(it.key());
    auto join = [](const std::vector<std::string>& parts) {
      std::string s;
      for (const auto& x : parts) s += (s.empty() ? "" : "/") + x;
      return s;
    };
    FieldSpec fs;
    fs.gvk.kind = kind;
    fs.path = join(sub);
    if (p.contains("x-kubernetes-annotation")) (void)MergeFieldSpecs(tc.common_annotations, {fs});
    if (p.contains("x-kubernetes-label-selector")) (void)MergeFieldSpecs(tc.common_labels, {fs});
    if (p.contains("x-kubernetes-identity")) (void)MergeFieldSpecs(tc.name_prefix, {fs});
    if (p.contains("x-kubernetes-object-ref-api-version") && p.contains("x-kubernetes-object-ref-kind")) {
      NameBackRef ref;
      ref.target.version = p.value("x-kubernetes-object-ref-api-version", "");
      ref.target.kind = p.value("x-kubernetes-object-ref-kind", "");
      FieldSpec name_fs = fs;
      name_fs.path += "/" + p.value("x-kubernetes-object-ref-name-key", std::string("name"));
      ref.referrers.push_back(name_fs);
      TransformerConfig one;
      one.name_reference.push_back(ref);
      (void)tc.Merge(one);
    }
    if (p.contains("$ref") && p["$ref"].is_string()) {
      CrdFields(tc, defs, kind, p["$ref"].get<std::string>(), sub, depth + 1);
    }
  }
}

}  // namespace

Status KustTarget::LoadCrds(Accumulator& ra) {
  const Object& paths = k_.Field("crds");
  if (!paths.is_array()) return Status::Ok();
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string p = paths[i].get<std::string>();
    auto text = loader_.Load(p);
    if (!text.ok()) return k_.Error(Ptr("crds", i), text.status());
    auto defs = ParseYaml(*text, YamlReadOptions{p});
    if (!defs.ok() || !defs->is_object()) {
      return k_.Error(Ptr("crds", i), InvalidArgument("unable to parse open API definition from '" + p + "'"));
    }
    TransformerConfig tc;
    for (auto it = defs->begin(); it != defs->end(); ++it) {
      const Object* props = FindPath(*it, "Schema.properties");
      if (!props || !props->is_object() || !props->contains("kind") || !props->contains("apiVersion") ||
          !props->contains("metadata")) {
        continue;
      }
      std::string kind = it.key().substr(it.key().rfind('.') == std::string::npos ? 0 : it.key().rfind('.') + 1);
      CrdFields(tc, *defs, kind, it.key(), {}, 0);
    }
    RETURN_IF_ERROR(k_.Error(Ptr("crds", i), ra.config.Merge(tc)));
  }
  return Status::Ok();
}

Status KustTarget::RunGenerators(Accumulator& ra) {
  std::optional<GeneratorOptions> global;
  if (!k_.Field("generatorOptions").is_null()) {
    auto g = ParseGeneratorOptions(k_.Field("generatorOptions"), "generatorOptions");
    if (!g.ok()) return k_.Error("/generatorOptions", g.status());
    global = *g;
  }
  for (const auto& [field, kind] : {std::pair{"configMapGenerator", "ConfigMap"},
                                    std::pair{"secretGenerator", "Secret"}}) {
    const Object& list = k_.Field(field);
    if (!list.is_array()) continue;
    for (size_t i = 0; i < list.size(); ++i) {
      auto res = GenerateConfigMapOrSecret(kind, list[i], global, loader_, true);
      if (!res.ok()) return k_.Error(Ptr(field, i), res.status());
      AnnotateOrigin(*res, BuiltinOrigin(OriginPath(), std::string(kind) + "Generator"));
      Status st = AbsorbGenerated(ra.resources, std::move(*res));
      if (!st.ok()) return k_.Error(Ptr(field, i), st.WithContext("merging from generator"));
    }
  }
  const Object& gens = k_.Field("generators");
  if (gens.is_array() && !gens.empty()) {
    ASSIGN_OR_RETURN(ResourceList configs, PluginConfigs(gens, "generators"));
    PluginContext ctx{loader_, ra.config};
    for (const Resource& c : configs) {
      auto out = RunBuiltinGenerator(c.obj, ctx);
      if (!out.ok()) return k_.Error("/generators", out.status());
      if (state_.track_origin) AddOriginWhereMissing(*out, PluginOrigin(c.obj));
      for (Resource& r : *out) {
        RETURN_IF_ERROR(k_.Error("/generators", AbsorbGenerated(ra.resources, std::move(r))));
      }
    }
  }
  return Status::Ok();
}

Status KustTarget::AccumulateComponents(Accumulator& ra) {
  const Object& paths = k_.Field("components");
  if (!paths.is_array()) return Status::Ok();
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string p = paths[i].get<std::string>();
    if (IsRemote(p)) {
      return k_.Error(Ptr("components", i),
                      Unimplemented("remote component \"" + p + "\" is not supported by gitopsd"));
    }
    Status st = AccumulateDirectory(ra, p, true);
    if (!st.ok()) return k_.Error(Ptr("components", i), st);
  }
  return Status::Ok();
}

Result<ResourceList> KustTarget::PluginConfigs(const Object& entries, const std::string& field) {
  ResourceList out;
  Accumulator from_paths;
  Object paths = Object::array();
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& e = entries[i].get_ref<const std::string&>();
    auto parsed = ParseResources(e, k_.display + ": " + field);
    if (parsed.ok() && !parsed->empty()) {
      for (Resource& r : *parsed) {
        AnnotateOrigin(r, FileOrigin(OriginPath()));
        out.push_back(std::move(r));
      }
    } else {
      paths.push_back(e);
    }
  }
  RETURN_IF_ERROR(AccumulateResources(from_paths, paths, field));
  for (Resource& r : from_paths.resources) out.push_back(std::move(r));
  return out;
}

Result<std::vector<KustTarget::Step>> KustTarget::FieldTransformers(const Accumulator& ra) {
  std::vector<Step> t;
  const TransformerConfig& tc = ra.config;
  auto add = [&](const std::string& ptr, Result<TransformerPtr> r,
                 std::vector<std::string> kinds) -> Status {
    if (!r.ok()) return k_.Error(ptr, r.status());
    t.push_back(Step{std::move(*r), std::move(kinds), Object()});
    return Status::Ok();
  };
  const Object& psm = k_.Field("patchesStrategicMerge");
  if (psm.is_array() && !psm.empty()) {
    std::vector<std::string> entries;
    for (const Object& e : psm) entries.push_back(e.get<std::string>());
    RETURN_IF_ERROR(add("/patchesStrategicMerge",
                        MakeStrategicMergeTransformer(entries, loader_, state_.schema.get()),
                        {"PatchStrategicMergeTransformer"}));
  }
  const Object& patches = k_.Field("patches");
  for (size_t i = 0; patches.is_array() && i < patches.size(); ++i) {
    auto args = ParsePatchArgs(patches[i], "patches");
    if (!args.ok()) return k_.Error(Ptr("patches", i), args.status());
    RETURN_IF_ERROR(add(Ptr("patches", i), MakePatchTransformer(*args, loader_, state_.schema.get()),
                        {"PatchTransformer"}));
  }
  std::string ns = k_.String("namespace");
  if (!ns.empty()) {
    NamespaceArgs a;
    a.name_space = ns;
    a.field_specs = tc.name_space;
    RETURN_IF_ERROR(add("/namespace", MakeNamespaceTransformer(std::move(a)), {"NamespaceTransformer"}));
  }
  std::string prefix = k_.String("namePrefix"), suffix = k_.String("nameSuffix");
  if (!prefix.empty() || !suffix.empty()) {
    std::vector<std::string> affix_kinds;
    if (!prefix.empty()) affix_kinds.push_back("PrefixTransformer");
    if (!suffix.empty()) affix_kinds.push_back("SuffixTransformer");
    RETURN_IF_ERROR(add("/namePrefix", MakePrefixSuffixTransformer(prefix, suffix, tc.name_prefix,
                                                                   tc.name_suffix),
                        affix_kinds));
  }
  const Object& labels = k_.Field("labels");
  for (size_t i = 0; labels.is_array() && i < labels.size(); ++i) {
    const Object l = FoldKeys(labels[i], {"pairs", "includeSelectors", "includeTemplates", "fields"});
    std::string what = "labels[" + std::to_string(i) + "]";
    for (auto it = l.begin(); it != l.end(); ++it) {
      if (it.key() != "pairs" && it.key() != "includeSelectors" && it.key() != "includeTemplates" &&
          it.key() != "fields") {
        return k_.Error(Ptr("labels", i), InvalidArgument("invalid Kustomization: json: unknown field \"" +
                                                          it.key() + "\""));
      }
    }
    auto pairs = ToStringMap(l.contains("pairs") ? l["pairs"] : Object(), what + ".pairs");
    if (!pairs.ok()) return k_.Error(Ptr("labels", i), pairs.status());
    auto fields = ParseFieldSpecs(l.contains("fields") ? l["fields"] : Object(), what + ".fields");
    if (!fields.ok()) return k_.Error(Ptr("labels", i), fields.status());
    FieldSpecs specs = *fields;
    RETURN_IF_ERROR(k_.Error(Ptr("labels", i), MergeFieldSpecs(specs, tc.labels)));
    bool selectors = l.value("includeSelectors", false);
    bool templates = l.value("includeTemplates", false);
    if (selectors) {
      RETURN_IF_ERROR(k_.Error(Ptr("labels", i), MergeFieldSpecs(specs, tc.common_labels)));
    } else {
      if (templates) RETURN_IF_ERROR(k_.Error(Ptr("labels", i), MergeFieldSpecs(specs, tc.template_labels)));
      FieldSpec meta;
      meta.path = "metadata/labels";
      meta.create = true;
      RETURN_IF_ERROR(k_.Error(Ptr("labels", i), MergeFieldSpecs(specs, {meta})));
    }
    RETURN_IF_ERROR(add(Ptr("labels", i), MakeMapTransformer(std::move(*pairs), std::move(specs)),
                        {"LabelTransformer"}));
  }
  auto common = ToStringMap(k_.Field("commonLabels"), "commonLabels");
  if (!common.ok()) return k_.Error("/commonLabels", common.status());
  if (!common->empty() || (labels.is_array() && !labels.empty())) {
    RETURN_IF_ERROR(add("/commonLabels", MakeMapTransformer(*common, tc.common_labels), {"LabelTransformer"}));
  }
  auto annos = ToStringMap(k_.Field("commonAnnotations"), "commonAnnotations");
  if (!annos.ok()) return k_.Error("/commonAnnotations", annos.status());
  if (!annos->empty()) {
    RETURN_IF_ERROR(add("/commonAnnotations", MakeMapTransformer(*annos, tc.common_annotations),
                        {"AnnotationsTransformer"}));
  }
  const Object& pj = k_.Field("patchesJson6902");
  for (size_t i = 0; pj.is_array() && i < pj.size(); ++i) {
    const Object& e = pj[i];
    std::string path = e.value("path", ""), op = e.value("patch", "");
    RETURN_IF_ERROR(add(Ptr("patchesJson6902", i),
                        MakeJson6902Transformer(e.contains("target") ? e["target"] : Object(), path, op, loader_),
                        {"PatchJson6902Transformer"}));
  }
  const Object& reps = k_.Field("replicas");
  if (reps.is_array() && !reps.empty()) {
    std::vector<ReplicaArgs> list;
    for (size_t i = 0; i < reps.size(); ++i) {
      auto a = ParseReplicaArgs(reps[i], "replicas");
      if (!a.ok()) return k_.Error(Ptr("replicas", i), a.status());
      list.push_back(std::move(*a));
    }
    std::vector<std::string> kinds(list.size(), "ReplicaCountTransformer");
    RETURN_IF_ERROR(add("/replicas", MakeReplicaTransformer(std::move(list), tc.replicas), std::move(kinds)));
  }
  const Object& imgs = k_.Field("images");
  if (imgs.is_array() && !imgs.empty()) {
    std::vector<ImageArgs> list;
    for (size_t i = 0; i < imgs.size(); ++i) {
      auto a = ParseImageArgs(imgs[i], "images");
      if (!a.ok()) return k_.Error(Ptr("images", i), a.status());
      list.push_back(std::move(*a));
    }
    std::vector<std::string> kinds(list.size(), "ImageTagTransformer");
    RETURN_IF_ERROR(add("/images", MakeImageTransformer(std::move(list), tc.images), std::move(kinds)));
  }
  const Object& repl = k_.Field("replacements");
  if (repl.is_array() && !repl.empty()) {
    RETURN_IF_ERROR(add("/replacements", MakeReplacementTransformer(repl, loader_, "replacements"),
                        {"ReplacementTransformer"}));
  }
  return t;
}

Status KustTarget::RunTransformers(Accumulator& ra) {
  ASSIGN_OR_RETURN(std::vector<Step> fields, FieldTransformers(ra));
  const Object& entries = k_.Field("transformers");
  std::vector<Step> plugins;
  if (entries.is_array() && !entries.empty()) {
    ASSIGN_OR_RETURN(ResourceList configs, PluginConfigs(entries, "transformers"));
    PluginContext ctx{loader_, ra.config, state_.schema.get()};
    for (const Resource& c : configs) {
      auto t = MakeBuiltinTransformer(c.obj, ctx);
      if (!t.ok()) return k_.Error("/transformers", t.status());
      plugins.push_back(Step{std::move(*t), {}, PluginOrigin(c.obj)});
    }
  }
  // Kustomize's multiTransformer: after each transformer, its origin is
  // recorded on every resource (when origins are tracked).
  auto run = [&](std::vector<Step>& steps, const std::string& ptr) -> Status {
    for (Step& step : steps) {
      RETURN_IF_ERROR(k_.Error(ptr, step.transformer->Apply(ra.resources)));
      if (!state_.track_origin) continue;
      for (const std::string& kind : step.kinds) {
        RETURN_IF_ERROR(AddTransformation(ra.resources, BuiltinOrigin(OriginPath(), kind)));
      }
      RETURN_IF_ERROR(AddTransformation(ra.resources, step.plugin_origin));
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(run(fields, ""));
  return run(plugins, "/transformers");
}

Status KustTarget::MergeVars(Accumulator& ra) {
  const Object& vars = k_.Field("vars");
  if (!vars.is_array()) return Status::Ok();
  for (size_t i = 0; i < vars.size(); ++i) {
    auto v = ParseVar(vars[i], "vars");
    if (!v.ok()) return k_.Error(Ptr("vars", i), v.status());
    ResId target;
    std::string api = v->obj_ref.value("apiVersion", "");
    if (api.empty()) {
      target.group = v->obj_ref.value("group", "");
      target.version = v->obj_ref.value("version", "");
    } else {
      ResId::SplitApiVersion(api, &target.group, &target.version);
    }
    target.kind = v->obj_ref.value("kind", "");
    target.name = v->obj_ref.value("name", "");
    target.namespace_ = v->obj_ref.value("namespace", "");
    bool by_ns = !target.namespace_.empty() || IsClusterScoped(target.group, target.version, target.kind);
    auto matches = [&](const ResId& id) {
      bool gvkn = id.group == target.group && id.version == target.version &&
                  id.kind == target.kind && id.name == target.name;
      return gvkn && (!by_ns || SameNamespace(id, target));
    };
    std::vector<size_t> hits;
    for (size_t r = 0; r < ra.resources.size(); ++r) {
      const Resource& res = ra.resources[r];
      bool hit = matches(res.CurId());
      for (const ResId& p : res.prev_ids) hit = hit || matches(p);
      if (hit) hits.push_back(r);
    }
    if (hits.size() > 1) {
      return k_.Error(Ptr("vars", i), InvalidArgument("found " + std::to_string(hits.size()) +
                                                      " resId matches for var " + v->name +
                                                      " (unable to disambiguate)"));
    }
    if (hits.size() == 1) ra.resources[hits[0]].ref_var_names.push_back(v->name);
    for (const Var& have : ra.vars) {
      if (have.name == v->name) {
        return k_.Error(Ptr("vars", i), AlreadyExists("var '" + v->name + "' already encountered"));
      }
    }
    ra.vars.push_back(std::move(*v));
  }
  return Status::Ok();
}

}  // namespace gitopsd::kustomize
