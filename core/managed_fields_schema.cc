#include "core/managed_fields_schema.h"

#include <array>

#include "core/k8s_schema.h"

namespace gitopsd {
namespace {

using k8s::FieldSchema;
using k8s::TypeSchema;

// Field names whose value is an atomic struct or map wherever they appear in
// a built-in kind (LabelSelector and NodeSelector are `structType=atomic`,
// PodSpec.nodeSelector is `mapType=atomic`).
constexpr std::array<std::string_view, 4> kAtomicAnywhere = {"podSelector", "namespaceSelector",
                                                             "labelSelector", "nodeSelector"};

std::vector<std::string_view> FieldNames(const FieldPath& path) {
  std::vector<std::string_view> names;
  for (const PathElement& pe : path) {
    if (pe.kind() == PathElement::Kind::kField) names.push_back(pe.field());
  }
  return names;
}

ListSchema ListFromField(const FieldSchema& f) {
  ListSchema out;
  if (f.shape != FieldSchema::Shape::kList || !f.merge) return out;
  if (f.merge_key.empty()) {
    out.type = ListSchema::Type::kSet;
    return out;
  }
  out.type = ListSchema::Type::kMap;
  out.keys.push_back(f.merge_key);
  for (const std::string& k : f.extra_keys) out.keys.push_back(k);
  for (const std::string& k : out.keys) {
    if (k == "protocol") out.key_defaults[k] = "TCP";  // ports: protocol defaults to TCP
  }
  return out;
}

}  // namespace

struct ApplySchema::Rules {
  std::string group;
  std::string kind;

  // The schema of the field named last in `names`, or nullptr when the
  // built-in tables do not describe it.
  const FieldSchema* FieldAt(const std::vector<std::string_view>& names) const {
    const k8s::Schema& schema = k8s::Schema::Builtin();
    const TypeSchema* type = schema.TypeForKind(group, kind);
    for (size_t i = 0; i < names.size(); ++i) {
      if (i == 0 && names[0] == "metadata") {
        type = schema.Type("ObjectMeta");
        if (names.size() == 1) return nullptr;
        continue;
      }
      if (type == nullptr) return nullptr;
      const FieldSchema* f = type->Field(names[i]);
      if (f == nullptr) return nullptr;
      if (i + 1 == names.size()) return f;
      if (f->shape == FieldSchema::Shape::kMap) ++i;  // the next name is a map key
      type = f->type.empty() ? nullptr : schema.Type(f->type);
    }
    return nullptr;
  }
};

ApplySchema::ApplySchema() = default;

ApplySchema ApplySchema::ForKind(std::string_view api_version, std::string_view kind) {
  ApplySchema out;
  size_t slash = api_version.find('/');
  std::string group = slash == std::string_view::npos ? "" : std::string(api_version.substr(0, slash));
  if (k8s::Schema::Builtin().KnowsKind(group, kind)) {
    auto rules = std::make_shared<Rules>();
    rules->group = std::move(group);
    rules->kind = std::string(kind);
    out.builtin_ = std::move(rules);
  }
  return out;
}

ListSchema ApplySchema::List(const FieldPath& path) const {
  std::string sp = SchemaPath(path);
  if (auto it = lists_.find(sp); it != lists_.end()) return it->second;
  if (sp == "metadata.finalizers") return {ListSchema::Type::kSet, {}, Object::object()};
  if (sp == "metadata.ownerReferences") return {ListSchema::Type::kMap, {"uid"}, Object::object()};
  if (builtin_ == nullptr) return {};
  const FieldSchema* f = builtin_->FieldAt(FieldNames(path));
  return f == nullptr ? ListSchema{} : ListFromField(*f);
}

bool ApplySchema::IsAtomicMap(const FieldPath& path) const {
  std::string sp = SchemaPath(path);
  if (auto it = atomic_maps_.find(sp); it != atomic_maps_.end()) return it->second;
  if (builtin_ == nullptr) return false;
  if (sp == "spec.selector") return true;  // LabelSelector / Service selector
  std::vector<std::string_view> names = FieldNames(path);
  if (names.empty()) return false;
  for (std::string_view name : kAtomicAnywhere) {
    if (names.back() == name) return true;
  }
  return false;
}

void ApplySchema::SetList(std::string schema_path, ListSchema list) {
  lists_[std::move(schema_path)] = std::move(list);
}

void ApplySchema::SetAtomicMap(std::string schema_path) {
  atomic_maps_[std::move(schema_path)] = true;
}

namespace {

std::string StringAt(const Object& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void AddCrdRules(const Object& node, const std::string& path, ApplySchema& out) {
  if (!node.is_object()) return;
  std::string list_type = StringAt(node, "x-kubernetes-list-type");
  if (list_type == "map" || list_type == "set") {
    ListSchema list;
    list.type = list_type == "map" ? ListSchema::Type::kMap : ListSchema::Type::kSet;
    auto keys = node.find("x-kubernetes-list-map-keys");
    if (keys != node.end() && keys->is_array()) {
      for (const Object& k : *keys) {
        if (!k.is_string()) continue;
        list.keys.push_back(k.get<std::string>());
        const Object* def = FindPath(node, "items.properties." + k.get<std::string>() + ".default");
        if (def != nullptr) list.key_defaults[k.get<std::string>()] = *def;
      }
    }
    out.SetList(path, std::move(list));
  }
  if (StringAt(node, "x-kubernetes-map-type") == "atomic" && !path.empty()) out.SetAtomicMap(path);
  if (auto it = node.find("properties"); it != node.end() && it->is_object()) {
    for (auto p = it->begin(); p != it->end(); ++p) {
      AddCrdRules(p.value(), path.empty() ? p.key() : path + "." + p.key(), out);
    }
  }
  if (auto it = node.find("items"); it != node.end()) AddCrdRules(*it, path, out);
}

}  // namespace

ApplySchema ApplySchema::ForCustomResource(const Object& open_api_v3_schema) {
  ApplySchema out;
  AddCrdRules(open_api_v3_schema, "", out);
  return out;
}

}  // namespace gitopsd
