#include "kustomize/kustomization.h"

#include <array>
#include <string_view>

#include "core/yaml.h"

namespace gitopsd::kustomize {
namespace {

constexpr std::array<std::string_view, 3> kFileNames = {"kustomization.yaml", "kustomization.yml",
                                                         "Kustomization"};

enum class Shape { kString, kStringMap, kStringList, kMapList, kMap, kAny, kUnsupported };

struct FieldRule {
  std::string_view name;
  Shape shape;
};

// Every field of Kustomize v5.5.0's Kustomization type.
constexpr std::array kFields = {
    FieldRule{"apiVersion", Shape::kString},
    FieldRule{"kind", Shape::kString},
    FieldRule{"metadata", Shape::kMap},
    FieldRule{"openapi", Shape::kStringMap},
    FieldRule{"namePrefix", Shape::kString},
    FieldRule{"nameSuffix", Shape::kString},
    FieldRule{"namespace", Shape::kString},
    FieldRule{"commonLabels", Shape::kStringMap},
    FieldRule{"labels", Shape::kMapList},
    FieldRule{"commonAnnotations", Shape::kStringMap},
    FieldRule{"patchesStrategicMerge", Shape::kStringList},
    FieldRule{"patchesJson6902", Shape::kMapList},
    FieldRule{"patches", Shape::kMapList},
    FieldRule{"images", Shape::kMapList},
    FieldRule{"imageTags", Shape::kMapList},
    FieldRule{"replacements", Shape::kMapList},
    FieldRule{"replicas", Shape::kMapList},
    FieldRule{"vars", Shape::kMapList},
    FieldRule{"sortOptions", Shape::kMap},
    FieldRule{"resources", Shape::kStringList},
    FieldRule{"components", Shape::kStringList},
    FieldRule{"crds", Shape::kStringList},
    FieldRule{"bases", Shape::kStringList},
    FieldRule{"configMapGenerator", Shape::kMapList},
    FieldRule{"secretGenerator", Shape::kMapList},
    FieldRule{"helmGlobals", Shape::kUnsupported},
    FieldRule{"helmCharts", Shape::kUnsupported},
    FieldRule{"helmChartInflationGenerator", Shape::kUnsupported},
    FieldRule{"generatorOptions", Shape::kMap},
    FieldRule{"configurations", Shape::kStringList},
    FieldRule{"generators", Shape::kStringList},
    FieldRule{"transformers", Shape::kStringList},
    FieldRule{"validators", Shape::kStringList},
    FieldRule{"buildMetadata", Shape::kStringList},
};

const char* ShapeName(Shape s) {
  switch (s) {
    case Shape::kString: return "a string";
    case Shape::kStringMap: return "a map of strings";
    case Shape::kStringList: return "a list of strings";
    case Shape::kMapList: return "a list of mappings";
    case Shape::kMap: return "a mapping";
    default: return "a value";
  }
}

bool ShapeOk(const Object& v, Shape s) {
  if (v.is_null()) return true;
  switch (s) {
    case Shape::kString: return v.is_string();
    case Shape::kMap: return v.is_object();
    case Shape::kStringMap:
      if (!v.is_object()) return false;
      for (const auto& e : v) {
        if (!e.is_string() && !e.is_null()) return false;
      }
      return true;
    case Shape::kStringList:
      if (!v.is_array()) return false;
      for (const auto& e : v) {
        if (!e.is_string()) return false;
      }
      return true;
    case Shape::kMapList:
      if (!v.is_array()) return false;
      for (const auto& e : v) {
        if (!e.is_object()) return false;
      }
      return true;
    default: return true;
  }
}

// Go's encoding/json matches field names case-insensitively.
const FieldRule* FindRule(std::string_view name) {
  for (const FieldRule& r : kFields) {
    if (r.name == name) return &r;
  }
  for (const FieldRule& r : kFields) {
    if (r.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = tolower(static_cast<unsigned char>(r.name[i])) == tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return &r;
  }
  return nullptr;
}

// Kustomize converts kustomization YAML to JSON with a decoder that lets a
// repeated top-level key override the earlier one; our YAML reader refuses
// duplicates, so the earlier blocks of repeated top-level keys are dropped
// from the text first (keeping line numbers: dropped lines become blank).
std::string DropRepeatedTopLevelKeys(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  auto key_of = [](const std::string& l) -> std::string {
    if (l.empty() || !(isalpha(static_cast<unsigned char>(l[0])) || l[0] == '_')) return "";
    size_t c = l.find(':');
    if (c == std::string::npos) return "";
    if (c + 1 < l.size() && l[c + 1] != ' ' && l[c + 1] != '\t') return "";
    return l.substr(0, c);
  };
  std::unordered_map<std::string, size_t> last;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string k = key_of(lines[i]);
    if (!k.empty()) last[k] = i;
  }
  bool any = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string k = key_of(lines[i]);
    if (k.empty() || last[k] == i) continue;
    any = true;
    lines[i].clear();
    for (size_t j = i + 1; j < lines.size() && key_of(lines[j]).empty() && lines[j] != "---"; ++j) {
      lines[j].clear();
    }
  }
  if (!any) return text;
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size()) out.push_back('\n');
  }
  return out;
}

// Folds deprecated spellings into the current fields, as Kustomize does.
void FixDeprecated(Object& doc) {
  auto append = [&](const char* from, const char* to) {
    auto it = doc.find(from);
    if (it == doc.end()) return;
    Object moved = std::move(*it);
    doc.erase(from);
    if (!moved.is_array() || moved.empty()) return;
    Object& dst = doc[to];
    if (!dst.is_array()) dst = Object::array();
    for (auto& e : moved) dst.push_back(std::move(e));
  };
  append("bases", "resources");
  append("imageTags", "images");
  for (const char* gen : {"configMapGenerator", "secretGenerator"}) {
    auto it = doc.find(gen);
    if (it == doc.end() || !it->is_array()) continue;
    for (Object& g : *it) {
      auto env = g.find("env");
      if (env == g.end()) continue;
      if (env->is_string() && !env->get<std::string>().empty()) {
        Object& envs = g["envs"];
        if (!envs.is_array()) envs = Object::array();
        envs.push_back(*g.find("env"));
      }
      g.erase("env");
    }
  }
}

}  // namespace

Status Kustomization::Error(const std::string& pointer, const Status& cause) const {
  std::string where = display;
  auto it = lines.find(pointer);
  if (it != lines.end()) where += ": line " + std::to_string(it->second);
  return cause.WithContext(where);
}

const Object& Kustomization::Field(const char* name) const {
  static const Object kNull;
  auto it = doc.find(name);
  return it == doc.end() ? kNull : *it;
}

std::string Kustomization::String(const char* name) const {
  const Object& v = Field(name);
  return v.is_string() ? v.get<std::string>() : std::string();
}

Result<Kustomization> LoadKustomization(const Loader& loader) {
  std::string content, found;
  int matches = 0;
  for (std::string_view name : kFileNames) {
    auto p = path::Join(loader.root(), name);
    if (!p.ok() || !loader.fs().IsFile(*p)) continue;
    ++matches;
    found = std::string(name);
  }
  if (matches == 0) {
    return NotFound("unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
                    "'Kustomization' in directory '" + loader.Display(loader.root()) + "'");
  }
  if (matches > 1) {
    return InvalidArgument("found multiple kustomization files under: " +
                           loader.Display(loader.root()));
  }
  ASSIGN_OR_RETURN(content, loader.Load(found));
  content = DropRepeatedTopLevelKeys(content);
  Kustomization k;
  k.path = *path::Join(loader.root(), found);
  k.display = loader.Display(k.path);
  YamlReadOptions opts;
  opts.source_name = k.display;
  opts.record_lines = true;
  // sigs.k8s.io/yaml lets the last of repeated keys win, nested ones too.
  opts.allow_duplicate_keys = true;
  auto docs = ParseYamlDocuments(content, opts);
  if (!docs.ok()) return docs.status();
  const YamlDocument* doc = nullptr;
  for (const YamlDocument& d : *docs) {
    if (d.value.is_null()) continue;
    if (doc) return InvalidArgument(k.display + ": a kustomization file must hold one document");
    doc = &d;
  }
  if (!doc) return InvalidArgument(k.display + ": kustomization.yaml is empty");
  if (!doc->value.is_object()) return InvalidArgument(k.display + ": expected a mapping");
  k.lines = doc->lines;
  k.doc = Object::object();
  for (auto it = doc->value.begin(); it != doc->value.end(); ++it) {
    const FieldRule* rule = FindRule(it.key());
    k.doc[rule ? std::string(rule->name) : it.key()] = it.value();
  }
  for (auto it = k.doc.begin(); it != k.doc.end(); ++it) {
    const FieldRule* rule = FindRule(it.key());
    std::string ptr = "/" + it.key();
    if (!rule) return k.Error(ptr, InvalidArgument("json: unknown field \"" + it.key() + "\""));
    if (rule->shape == Shape::kUnsupported) {
      return k.Error(ptr, Unimplemented("field \"" + it.key() +
                                        "\" (Helm charts) is not supported by gitopsd"));
    }
    if (!ShapeOk(*it, rule->shape)) {
      return k.Error(ptr, InvalidArgument("field \"" + it.key() + "\" must be " +
                                          ShapeName(rule->shape)));
    }
  }
  std::string kind = k.String("kind");
  if (kind == "Component") {
    k.is_component = true;
  } else if (!kind.empty() && kind != "Kustomization") {
    return k.Error("/kind", InvalidArgument("kind should be Kustomization or Component"));
  }
  std::string api = k.String("apiVersion");
  std::string want = k.is_component ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
  if (!api.empty() && api != want) {
    return k.Error("/apiVersion", InvalidArgument("apiVersion for " + (kind.empty() ? "Kustomization" : kind) +
                                                  " should be " + want));
  }
  FixDeprecated(k.doc);
  return k;
}

}  // namespace gitopsd::kustomize
