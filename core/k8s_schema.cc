// Schema: named types, kind roots, and loading OpenAPI definitions.
#include "core/k8s_schema.h"

#include <string>

namespace gitopsd::k8s {

void AddBuiltinTypes(Schema& s);  // k8s_schema_types.cc

namespace {

std::string KindKey(std::string_view group, std::string_view kind) {
  std::string key(group);
  key += '/';
  key += kind;
  return key;
}

// "#/definitions/io.k8s.api.core.v1.PodSpec" -> "io.k8s.api.core.v1.PodSpec".
std::string RefName(const Object& prop) {
  const Object* ref = nullptr;
  if (prop.contains("$ref")) {
    ref = &prop["$ref"];
  } else if (prop.contains("allOf") && prop["allOf"].is_array() && !prop["allOf"].empty() &&
             prop["allOf"][0].is_object() && prop["allOf"][0].contains("$ref")) {
    ref = &prop["allOf"][0]["$ref"];
  }
  if (ref == nullptr || !ref->is_string()) return "";
  std::string s = ref->get<std::string>();
  auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

std::string StringAt(const Object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

class OpenApiLoader {
 public:
  explicit OpenApiLoader(Schema& schema) : schema_(schema) {}

  // Registers `def` under `name`; nested inline object schemas become
  // "<name>.<field>" types.
  void AddDefinition(const std::string& name, const Object& def) {
    TypeSchema type;
    auto props = def.find("properties");
    if (props != def.end() && props->is_object()) {
      for (const auto& [field, prop] : props->items()) {
        if (prop.is_object()) type.fields[field] = FieldFor(name + "." + field, prop);
      }
    }
    schema_.AddType(name, std::move(type));
  }

 private:
  // The type name of an object-valued schema: a $ref, or an inline object.
  std::string ObjectType(const std::string& inline_name, const Object& prop) {
    std::string ref = RefName(prop);
    if (!ref.empty()) return ref;
    if (prop.contains("properties")) {
      AddDefinition(inline_name, prop);
      return inline_name;
    }
    return "";
  }

  FieldSchema FieldFor(const std::string& inline_name, const Object& prop) {
    FieldSchema f;
    std::string type = StringAt(prop, "type");
    if (type == "array") {
      f.shape = FieldSchema::Shape::kList;
      auto items = prop.find("items");
      if (items != prop.end() && items->is_object()) f.type = ObjectType(inline_name, *items);
      ApplyListExtensions(prop, f);
      return f;
    }
    auto additional = prop.find("additionalProperties");
    if (type == "object" && additional != prop.end() && additional->is_object() &&
        !prop.contains("properties")) {
      f.shape = FieldSchema::Shape::kMap;
      f.type = ObjectType(inline_name, *additional);
      return f;
    }
    std::string obj = ObjectType(inline_name, prop);
    if (!obj.empty() || type == "object") {
      f.shape = FieldSchema::Shape::kObject;
      f.type = obj;
      f.retain_keys = StringAt(prop, "x-kubernetes-patch-strategy").find("retainKeys") !=
                      std::string::npos;
    }
    return f;
  }

  static void ApplyListExtensions(const Object& prop, FieldSchema& f) {
    std::string strategy = StringAt(prop, "x-kubernetes-patch-strategy");
    f.merge = strategy.find("merge") != std::string::npos;
    f.retain_keys = strategy.find("retainKeys") != std::string::npos;
    f.merge_key = StringAt(prop, "x-kubernetes-patch-merge-key");
    std::string list_type = StringAt(prop, "x-kubernetes-list-type");
    auto keys = prop.find("x-kubernetes-list-map-keys");
    std::vector<std::string> map_keys;
    if (keys != prop.end() && keys->is_array()) {
      for (const auto& k : *keys) {
        if (k.is_string()) map_keys.push_back(k.get<std::string>());
      }
    }
    if (f.merge_key.empty() && list_type == "map" && !map_keys.empty()) {
      f.merge = true;
      f.merge_key = map_keys[0];
    }
    if (list_type == "set" && !f.merge && f.merge_key.empty()) f.merge = true;
    for (const auto& k : map_keys) {
      if (k != f.merge_key) f.extra_keys.push_back(k);
    }
  }

  Schema& schema_;
};

}  // namespace

const FieldSchema* TypeSchema::Field(std::string_view name) const {
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : &it->second;
}

const Schema& Schema::Builtin() {
  static const Schema kBuiltin = [] {
    Schema s;
    AddBuiltinTypes(s);
    return s;
  }();
  return kBuiltin;
}

void Schema::AddType(std::string name, TypeSchema type) { types_[std::move(name)] = std::move(type); }

void Schema::SetKindType(std::string_view group, std::string_view kind, std::string type_name) {
  kinds_[KindKey(group, kind)] = std::move(type_name);
}

const TypeSchema* Schema::Type(std::string_view name) const {
  auto it = types_.find(name);
  if (it != types_.end()) return &it->second;
  // Upstream names ("io.k8s.api.core.v1.PodSpec") resolve to the built-in
  // short names used by the hand-written table.
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  it = types_.find(name.substr(dot + 1));
  return it == types_.end() ? nullptr : &it->second;
}

const TypeSchema* Schema::TypeForKind(std::string_view group, std::string_view kind) const {
  auto it = kinds_.find(KindKey(group, kind));
  return it == kinds_.end() ? nullptr : Type(it->second);
}

Status Schema::AddOpenApi(const Object& document) {
  if (!document.is_object()) return InvalidArgument("openapi document is not a mapping");
  const Object* defs = nullptr;
  if (document.contains("definitions")) {
    defs = &document["definitions"];
  } else if (const Object* c = FindPath(document, "components.schemas")) {
    defs = c;
  }
  if (defs == nullptr || !defs->is_object()) {
    return InvalidArgument("openapi document has neither definitions nor components.schemas");
  }
  OpenApiLoader loader(*this);
  for (const auto& [name, def] : defs->items()) {
    if (!def.is_object()) continue;
    loader.AddDefinition(name, def);
    auto gvks = def.find("x-kubernetes-group-version-kind");
    if (gvks == def.end() || !gvks->is_array()) continue;
    for (const auto& gvk : *gvks) {
      if (!gvk.is_object()) continue;
      SetKindType(StringAt(gvk, "group"), StringAt(gvk, "kind"), name);
    }
  }
  return Status::Ok();
}

}  // namespace gitopsd::k8s
