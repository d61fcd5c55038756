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

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Object FoldKeys(const Object& m, std::initializer_list<std::string_view> known) {
  if (!m.is_object()) return m;
  Object out = Object::object();
  for (auto it = m.begin(); it != m.end(); ++it) {
    std::string key = it.key();
    for (std::string_view k : known) {
      if (key != k && EqualFold(key, k)) key = std::string(k);
    }
    out[key] = it.value();
  }
  return out;
}

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
