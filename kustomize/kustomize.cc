#include "kustomize/kustomize.h"

#include "kustomize/origin.h"
#include "kustomize/target.h"

namespace gitopsd::kustomize {
namespace {

bool IsLocalConfig(const Object& obj) {
  const Object* a = FindPath(obj, "metadata.annotations");
  if (!a || !a->is_object()) return false;
  auto it = a->find("config.kubernetes.io/local-config");
  return it != a->end() && it->is_string() && it->get<std::string>() == "true";
}

bool HasBuildMetadata(const Kustomization& k, const char* option) {
  const Object& bm = k.Field("buildMetadata");
  if (!bm.is_array()) return false;
  for (const Object& o : bm) {
    if (o.is_string() && o.get<std::string>() == option) return true;
  }
  return false;
}

}  // namespace

Result<LoadRestrictor> ParseLoadRestrictor(std::string_view name) {
  if (name == "LoadRestrictionsRootOnly") return LoadRestrictor::kRootOnly;
  if (name == "LoadRestrictionsNone") return LoadRestrictor::kNone;
  return InvalidArgument("unknown load restrictor \"" + std::string(name) +
                         "\" (want LoadRestrictionsRootOnly or LoadRestrictionsNone)");
}

Result<RenderResult> Render(const FileSystem& fs, std::string_view dir, const RenderOptions& options) {
  RenderResult result;
  ASSIGN_OR_RETURN(std::string root, path::CleanRelative(dir));
  Loader loader(fs, root, options.load_restrictor, &result.files_read);
  loader.set_display_prefix(options.display_prefix);
  if (!fs.IsDir(root)) {
    return NotFound("must build at directory: '" + loader.Display(root) + "' is not a directory");
  }
  RenderState state{options, result.warnings, nullptr, false, false, ""};
  KustTarget target(loader, state, 0);
  RETURN_IF_ERROR(target.Load());
  const Object& build_metadata = target.kustomization().Field("buildMetadata");
  state.track_origin = build_metadata.is_array() && !build_metadata.empty();
  state.top_root = root;
  Accumulator ra;
  RETURN_IF_ERROR(target.AccumulateInto(ra));
  RETURN_IF_ERROR(AddHashSuffixes(ra.resources));
  RETURN_IF_ERROR(FixNameReferences(ra.resources, ra.config));
  RETURN_IF_ERROR(ResolveVars(ra.resources, ra.vars, ra.config.var_reference));

  const Kustomization& k = target.kustomization();
  ResourceList kept;
  kept.reserve(ra.resources.size());
  for (Resource& r : ra.resources) {
    if (!IsLocalConfig(r.obj)) kept.push_back(std::move(r));
  }
  const Object& sort = k.Field("sortOptions");
  if (sort.is_null()) {
    LegacySort(kept);
  } else {
    auto t = MakeSortTransformer(sort, k.display + ": sortOptions");
    if (!t.ok()) return t.status();
    RETURN_IF_ERROR((*t)->Apply(kept));
  }
  bool managed_by = HasBuildMetadata(k, "managedByLabel");
  bool origins = HasBuildMetadata(k, "originAnnotations");
  bool transformations = HasBuildMetadata(k, "transformerAnnotations");
  result.objects.reserve(kept.size());
  for (Resource& r : kept) {
    if (managed_by && r.obj.is_object()) {
      MetadataMap(r.obj, "labels")["app.kubernetes.io/managed-by"] = "kustomize-(devel)";
    }
    // Kustomize removes these even when a resource file wrote them.
    if (!origins) RemoveAnnotation(r.obj, kOriginAnnotation);
    if (!transformations) RemoveAnnotation(r.obj, kTransformationsAnnotation);
    if (!origins || !transformations) RewriteAnnotationsAsStrings(r.obj);
    result.objects.push_back(std::move(r.obj));
  }
  return result;
}

}  // namespace gitopsd::kustomize
