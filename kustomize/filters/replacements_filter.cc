// The `replacements` field and ReplacementTransformer: entries inline or
// loaded from files (`path:`), applied by kustomize/replacements.h.
#include "core/yaml.h"
#include "kustomize/filters/filters.h"
#include "kustomize/replacements.h"

namespace gitopsd::kustomize {

Result<TransformerPtr> MakeReplacementTransformer(const Object& replacements,
                                                  const Loader& loader, const std::string& what) {
  if (!replacements.is_array()) return InvalidArgument(what + ": replacements must be a list");
  Object entries = Object::array();
  for (const Object& r : replacements) {
    if (!r.is_object()) return InvalidArgument(what + ": a replacement must be a mapping");
    auto p = r.find("path");
    if (p == r.end()) {
      entries.push_back(r);
      continue;
    }
    if (r.contains("source") || r.contains("targets")) {
      return InvalidArgument(what + ": cannot specify both path and inline replacement");
    }
    if (!p->is_string()) return InvalidArgument(what + ": path must be a string");
    std::string file = p->get<std::string>();
    ASSIGN_OR_RETURN(std::string text, loader.Load(file));
    auto doc = ParseYaml(text, YamlReadOptions{file});
    if (!doc.ok()) return doc.status();
    if (doc->is_array()) {
      for (const Object& e : *doc) entries.push_back(e);
    } else if (doc->is_object()) {
      entries.push_back(*doc);
    } else {
      return InvalidArgument(what + ": " + file + " holds no replacement");
    }
  }
  return MakeFn([entries](ResourceList& list) -> Status {
    ObjectList objects;
    std::vector<std::vector<ResId>> earlier;
    objects.reserve(list.size());
    earlier.reserve(list.size());
    for (const Resource& r : list) {
      objects.push_back(r.obj);
      earlier.push_back(r.prev_ids);
    }
    RETURN_IF_ERROR(ApplyReplacements(objects, earlier, entries));
    for (size_t i = 0; i < list.size() && i < objects.size(); ++i) list[i].obj = std::move(objects[i]);
    return Status::Ok();
  });
}

}  // namespace gitopsd::kustomize
