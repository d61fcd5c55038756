#include "diff/mask.h"

#include <map>
#include <string>
#include <vector>

#include "diff/normalize.h"

namespace gitopsd::diff {
namespace {

// Per key: canonical value -> mask, in order of first appearance.
using MaskTable = std::map<std::string, std::map<std::string, std::string>>;

std::string MaskFor(MaskTable& table, const std::string& key, const Object& value) {
  auto& per_key = table[key];
  std::string canon = CanonicalJson(value);
  auto it = per_key.find(canon);
  if (it != per_key.end()) return it->second;
  std::string mask = std::string(8 + 4 * per_key.size(), '+');
  per_key.emplace(canon, mask);
  return mask;
}

void MaskMap(MaskTable& table, Object& obj, const char* field) {
  auto it = obj.find(field);
  if (it == obj.end()) return;
  if (!it->is_object()) {
    *it = kMask;  // malformed: hide it whole
    return;
  }
  for (auto kv = it->begin(); kv != it->end(); ++kv) {
    kv.value() = MaskFor(table, std::string(field) + "/" + kv.key(), kv.value());
  }
}

void MaskLastApplied(MaskTable& table, Object& obj) {
  Object* ann = FindPath(obj, "metadata.annotations");
  if (ann == nullptr || !ann->is_object()) return;
  auto it = ann->find(kLastAppliedAnnotation);
  if (it == ann->end()) return;
  Object inner = it->is_string() ? Object::parse(it->get<std::string>(), nullptr, false) : Object();
  if (!inner.is_object()) {
    *it = kMask;
    return;
  }
  MaskMap(table, inner, "data");
  MaskMap(table, inner, "stringData");
  *it = inner.dump();
}

void MaskOne(MaskTable& table, Object& obj) {
  if (!IsSecret(obj)) return;
  MaskMap(table, obj, "data");
  MaskMap(table, obj, "stringData");
  MaskLastApplied(table, obj);
}

void MaskAnnotations(MaskTable& table, Object& obj, const std::vector<std::string>& keys) {
  Object* ann = FindPath(obj, "metadata.annotations");
  if (ann == nullptr || !ann->is_object()) return;
  for (const auto& key : keys) {
    auto it = ann->find(key);
    if (it != ann->end()) *it = MaskFor(table, "annotation/" + key, *it);
  }
}

}  // namespace

void MaskAnnotationsPair(Object& live, Object& desired, const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  MaskTable table;
  MaskAnnotations(table, live, keys);
  MaskAnnotations(table, desired, keys);
}

bool IsSecret(const Object& obj) {
  return obj.is_object() && ApiVersionOf(obj) == "v1" && KindOf(obj) == "Secret";
}

void MaskSecretPair(Object& live, Object& desired) {
  MaskTable table;
  MaskOne(table, live);
  MaskOne(table, desired);
}

void MaskSecret(Object& obj) {
  MaskTable table;
  MaskOne(table, obj);
}

}  // namespace gitopsd::diff
