#include "kustomize/origin.h"

#include "core/yaml.h"
#include "kustomize/replacements_path.h"

namespace gitopsd::kustomize {
namespace {

std::string OriginYaml(const Object& v) {
  YamlWriteOptions o;
  o.sort_keys = false;
  return WriteYaml(v, o);
}

const Object* AnnotationValue(const Object& obj, const char* key) {
  const Object* a = FindPath(obj, "metadata.annotations");
  if (!a || !a->is_object()) return nullptr;
  auto it = a->find(key);
  return it == a->end() ? nullptr : &*it;
}

}  // namespace

Object FileOrigin(const std::string& path) {
  Object o = Object::object();
  o["path"] = path;
  return o;
}

Object BuiltinOrigin(const std::string& configured_in, const std::string& kind) {
  Object o = Object::object();
  o["configuredIn"] = configured_in;
  o["configuredBy"] = Object::object();
  o["configuredBy"]["apiVersion"] = "builtin";
  o["configuredBy"]["kind"] = kind;
  return o;
}

Object PluginOrigin(const Object& config) {
  const Object* text = AnnotationValue(config, kOriginAnnotation);
  if (!text || !text->is_string()) return Object();
  auto parsed = ParseYaml(text->get<std::string>());
  if (!parsed.ok() || !parsed->is_object()) return Object();
  Object o = Object::object();
  for (const char* k : {"repo", "ref"}) {
    if (parsed->contains(k) && (*parsed)[k].is_string()) o[k] = (*parsed)[k];
  }
  o["configuredIn"] = parsed->value("path", "");
  Object by = Object::object();
  for (const auto& [key, value] : {std::pair<const char*, std::string>{"apiVersion", ApiVersionOf(config)},
                                   {"kind", KindOf(config)},
                                   {"name", NameOf(config)},
                                   {"namespace", NamespaceOf(config)}}) {
    if (!value.empty()) by[key] = value;
  }
  o["configuredBy"] = std::move(by);
  return o;
}

void SetOrigin(Object& obj, const Object& origin) {
  if (!obj.is_object() || origin.is_null()) return;
  MetadataMap(obj, "annotations")[kOriginAnnotation] = OriginYaml(origin);
}

void AddOriginWhereMissing(ResourceList& list, const Object& origin) {
  if (origin.is_null()) return;
  for (Resource& r : list) {
    if (!AnnotationValue(r.obj, kOriginAnnotation)) SetOrigin(r.obj, origin);
  }
}

Status AddTransformation(ResourceList& list, const Object& origin) {
  if (origin.is_null()) return Status::Ok();
  for (Resource& r : list) {
    if (!r.obj.is_object()) continue;
    if (!AnnotationValue(r.obj, kOriginAnnotation)) {
      SetOrigin(r.obj, origin);
      continue;
    }
    Object list_value = Object::array();
    if (const Object* have = AnnotationValue(r.obj, kTransformationsAnnotation); have && have->is_string()) {
      auto parsed = ParseYaml(have->get<std::string>());
      if (!parsed.ok()) return parsed.status().WithContext("reading " + std::string(kTransformationsAnnotation));
      if (parsed->is_array()) list_value = std::move(*parsed);
    }
    list_value.push_back(origin);
    MetadataMap(r.obj, "annotations")[kTransformationsAnnotation] = OriginYaml(list_value);
  }
  return Status::Ok();
}

void RemoveAnnotation(Object& obj, const std::string& key) {
  if (!obj.is_object()) return;
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return;
  auto annos = meta->find("annotations");
  if (annos == meta->end() || !annos->is_object() || !annos->contains(key)) return;
  annos->erase(key);
  if (annos->empty()) meta->erase("annotations");
}

void RewriteAnnotationsAsStrings(Object& obj) {
  if (!obj.is_object()) return;
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return;
  auto annos = meta->find("annotations");
  if (annos == meta->end()) return;
  if (!annos->is_object() || annos->empty()) {
    if (annos->is_null() || annos->is_object()) meta->erase("annotations");
    return;
  }
  for (auto it = annos->begin(); it != annos->end(); ++it) {
    if (it->is_string()) continue;
    *it = it->is_primitive() ? replacements_internal::ScalarText(*it) : std::string();
  }
}

}  // namespace gitopsd::kustomize
