// kyaml whole-target list normalization (see patch_kyaml.h).
#include "core/internal/patch_kyaml.h"

#include <algorithm>
#include <vector>

namespace gitopsd::patch_internal {
namespace {

using k8s::FieldSchema;

// The item's key tuple: primary key value then each secondary key value
// (null when absent).
Object KeyTuple(const Object& item, const FieldSchema& fs) {
  Object t = Object::array();
  t.push_back(item.contains(fs.merge_key) ? item[fs.merge_key] : Object());
  for (const auto& k : fs.extra_keys) t.push_back(item.contains(k) ? item[k] : Object());
  return t;
}

bool HasSecondary(const Object& item, const FieldSchema& fs) {
  return std::any_of(fs.extra_keys.begin(), fs.extra_keys.end(),
                     [&item](const std::string& k) { return item.contains(k); });
}

void CollapseKeyedList(Object& list, const FieldSchema& fs) {
  std::vector<Object> keys;
  bool multi_key = false;
  for (const auto& item : list) {
    keys.push_back(item.is_object() && item.contains(fs.merge_key) ? KeyTuple(item, fs) : Object());
    multi_key = multi_key || (item.is_object() && HasSecondary(item, fs));
  }
  Object out = Object::array();
  for (size_t i = 0; i < list.size(); ++i) {
    if (keys[i].is_null()) {
      out.push_back(list[i]);
      continue;
    }
    size_t first = std::find(keys.begin(), keys.end(), keys[i]) - keys.begin();
    size_t last = keys.rend() - std::find(keys.rbegin(), keys.rend(), keys[i]) - 1;
    if (multi_key ? i == last : i == first) out.push_back(list[last]);
  }
  list = std::move(out);
}

void CollapseScalarSet(Object& list) {
  Object out = Object::array();
  for (const auto& v : list) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  list = std::move(out);
}

}  // namespace

void CollapseKeyedDuplicates(Object& node, const k8s::TypeSchema* type, const k8s::Schema& schema) {
  if (type == nullptr || !node.is_object()) return;
  for (auto& [key, value] : node.items()) {
    const FieldSchema* fs = type->Field(key);
    if (fs == nullptr) continue;
    const k8s::TypeSchema* child = fs->type.empty() ? nullptr : schema.Type(fs->type);
    if (fs->shape == FieldSchema::Shape::kObject) {
      CollapseKeyedDuplicates(value, child, schema);
    } else if (fs->shape == FieldSchema::Shape::kMap && value.is_object()) {
      for (auto& [k, v] : value.items()) CollapseKeyedDuplicates(v, child, schema);
    } else if (fs->shape == FieldSchema::Shape::kList && value.is_array()) {
      for (auto& item : value) CollapseKeyedDuplicates(item, child, schema);
      if (fs->merge && !fs->merge_key.empty()) CollapseKeyedList(value, *fs);
      if (fs->merge && fs->merge_key.empty()) CollapseScalarSet(value);
    }
  }
}

}  // namespace gitopsd::patch_internal
