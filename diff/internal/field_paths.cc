#include "diff/internal/field_paths.h"

namespace gitopsd::diff::internal {
namespace {

Object KeyField(const Object& item, const std::string& key) {
  auto it = item.find(key);
  if (it != item.end()) return *it;
  if (key == "protocol") return "TCP";
  return nullptr;
}

bool ItemHasKey(const Object& item, const Object& key) {
  if (!item.is_object() || !key.is_object()) return false;
  for (auto it = key.begin(); it != key.end(); ++it) {
    if (CanonicalJson(KeyField(item, it.key())) != CanonicalJson(*it)) return false;
  }
  return true;
}

// The index of the list item a path element selects, or -1.
long FindItem(const Object& list, const PathElement& el) {
  for (size_t i = 0; i < list.size(); ++i) {
    bool hit = false;
    switch (el.kind()) {
      case PathElement::Kind::kKey: hit = ItemHasKey(list[i], el.value()); break;
      case PathElement::Kind::kValue: hit = CanonicalJson(list[i]) == CanonicalJson(el.value()); break;
      case PathElement::Kind::kIndex: hit = static_cast<int64_t>(i) == el.index(); break;
      case PathElement::Kind::kField: break;
    }
    if (hit) return static_cast<long>(i);
  }
  return -1;
}

// The child of `node` one path element selects, or nullptr.
template <typename Obj>
Obj* Step(Obj& node, const PathElement& el) {
  if (el.kind() == PathElement::Kind::kField) {
    if (!node.is_object()) return nullptr;
    auto it = node.find(el.field());
    return it == node.end() ? nullptr : &*it;
  }
  if (!node.is_array()) return nullptr;
  long i = FindItem(node, el);
  return i < 0 ? nullptr : &node[static_cast<size_t>(i)];
}

}  // namespace

Result<FieldSet> OwnedLeaves(const Object& live_raw, const std::string& manager, bool apply_only) {
  FieldSet owned;
  const Object* entries = FindPath(live_raw, "metadata.managedFields");
  if (entries == nullptr || !entries->is_array()) return owned;
  for (const auto& e : *entries) {
    if (!e.is_object() || GetString(e, "manager") != manager) continue;
    if (apply_only && GetString(e, "operation") != "Apply") continue;
    auto fv1 = e.find("fieldsV1");
    if (fv1 == e.end()) continue;
    ASSIGN_OR_RETURN(FieldSet set, FieldSet::FromFieldsV1(*fv1));
    owned = owned.Union(set);
  }
  FieldSet leaves;
  for (const FieldPath& p : owned) {
    if (!p.empty() && !owned.HasMemberBelow(p)) leaves.Insert(p);
  }
  return leaves;
}

bool HasFieldPath(const Object& obj, const FieldPath& path) {
  const Object* cur = &obj;
  for (const PathElement& el : path) {
    cur = Step(*cur, el);
    if (cur == nullptr) return false;
  }
  return true;
}

void RemoveFieldPath(Object& obj, const FieldPath& path) {
  if (path.empty()) return;
  Object* parent = &obj;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    parent = Step(*parent, path[i]);
    if (parent == nullptr) return;
  }
  const PathElement& last = path.back();
  if (last.kind() == PathElement::Kind::kField) {
    if (parent->is_object()) parent->erase(last.field());
    return;
  }
  if (!parent->is_array()) return;
  long i = FindItem(*parent, last);
  if (i >= 0) parent->erase(static_cast<size_t>(i));
}

}  // namespace gitopsd::diff::internal
