// core/yaml.h: the public entry points; the work is in core/internal/yaml_*.
#include "core/yaml.h"

#include "core/internal/yaml_emitter.h"
#include "core/internal/yaml_reader.h"

namespace gitopsd {

Result<std::vector<YamlDocument>> ParseYamlDocuments(std::string_view text,
                                                     const YamlReadOptions& options) {
  return yaml_internal::ReadDocuments(text, options);
}

Result<ObjectList> ParseYamlStream(std::string_view text, const YamlReadOptions& options) {
  ASSIGN_OR_RETURN(std::vector<YamlDocument> docs, yaml_internal::ReadDocuments(text, options));
  ObjectList out;
  out.reserve(docs.size());
  for (YamlDocument& d : docs) {
    if (!d.value.is_null()) out.push_back(std::move(d.value));
  }
  return out;
}

Result<Object> ParseYaml(std::string_view text, const YamlReadOptions& options) {
  ASSIGN_OR_RETURN(std::vector<YamlDocument> docs, yaml_internal::ReadDocuments(text, options));
  size_t non_empty = 0;
  Object* value = nullptr;
  for (YamlDocument& d : docs) {
    if (d.value.is_null()) continue;
    ++non_empty;
    value = &d.value;
  }
  if (non_empty > 1) {
    std::string src = options.source_name.empty() ? "" : options.source_name + ": ";
    return InvalidArgument(src + "expected one YAML document, found " + std::to_string(non_empty));
  }
  if (value == nullptr) return Object(nullptr);
  return std::move(*value);
}

std::string WriteYaml(const Object& value, const YamlWriteOptions& options) {
  std::string out;
  out.reserve(1024);
  yaml_internal::EmitDocument(value, options.sort_keys, out);
  return out;
}

std::string WriteYamlStream(const ObjectList& docs, const YamlWriteOptions& options) {
  std::string out;
  out.reserve(docs.size() * 1024);
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) out += "---\n";
    yaml_internal::EmitDocument(docs[i], options.sort_keys, out);
  }
  return out;
}

}  // namespace gitopsd
