// Resource streams: YAML documents (`kind: *List` expanded into its items).
#include "core/yaml.h"
#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

bool IsList(const Object& doc) {
  std::string kind = KindOf(doc);
  return kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 &&
         doc.contains("items") && (doc["items"].is_array() || doc["items"].is_null());
}

}  // namespace

Result<ResourceList> ParseResources(std::string_view text, const std::string& source) {
  YamlReadOptions opts;
  opts.source_name = source;
  auto docs = ParseYamlDocuments(text, opts);
  if (!docs.ok()) return docs.status();
  ResourceList out;
  for (const YamlDocument& d : *docs) {
    if (d.value.is_null()) continue;
    if (!d.value.is_object()) {
      return InvalidArgument(source + ": line " + std::to_string(d.line) +
                             ": a resource must be a mapping");
    }
    if (d.value.empty()) continue;
    if (IsList(d.value)) {
      if (d.value["items"].is_null()) continue;
      for (const Object& item : d.value["items"]) {
        if (!item.is_object()) {
          return InvalidArgument(source + ": line " + std::to_string(d.line) +
                                 ": a List item must be a mapping");
        }
        Resource r;
        r.obj = item;
        r.source = source;
        out.push_back(std::move(r));
      }
      continue;
    }
    Resource r;
    r.obj = d.value;
    r.source = source;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace gitopsd::kustomize
