#include "core/managed_fields_ops.h"

#include <map>

namespace gitopsd {
namespace {

bool IsEmptyOrAbsent(const Object* v) {
  return v == nullptr || v->is_null() || ((v->is_object() || v->is_array()) && v->empty());
}

class SetBuilder {
 public:
  explicit SetBuilder(const ApplySchema& schema) : schema_(schema) {}

  Status Walk(const Object& v, FieldPath& path) {
    if (v.is_object()) {
      if (!path.empty() && schema_.IsAtomicMap(path)) {
        out_.Insert(path);
        return Status::Ok();
      }
      return WalkMap(v, path);
    }
    if (v.is_array()) return WalkList(v, path);
    out_.Insert(path);
    return Status::Ok();
  }

  FieldSet Take() { return std::move(out_); }

 private:
  Status WalkMap(const Object& v, FieldPath& path) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      path.push_back(PathElement::Field(it.key()));
      Status st = Walk(it.value(), path);
      path.pop_back();
      RETURN_IF_ERROR(st);
    }
    return Status::Ok();
  }

  Status WalkList(const Object& v, FieldPath& path) {
    ListSchema list = schema_.List(path);
    if (list.type == ListSchema::Type::kAtomic) {
      out_.Insert(path);
      return Status::Ok();
    }
    for (size_t i = 0; i < v.size(); ++i) {
      auto pe = ListItemElement(v[i], list, i);
      if (!pe.ok()) return pe.status().WithContext(PathString(path) + ": element " + std::to_string(i));
      path.push_back(std::move(pe).value());
      if (out_.Has(path)) {
        Status st = InvalidArgument(PathString(path) + ": duplicate entries for key");
        path.pop_back();
        return st;
      }
      out_.Insert(path);
      Status st = list.type == ListSchema::Type::kMap ? WalkMap(v[i], path) : Status::Ok();
      path.pop_back();
      RETURN_IF_ERROR(st);
    }
    return Status::Ok();
  }

  const ApplySchema& schema_;
  FieldSet out_;
};

// Items of a keyed/set list indexed by path element (first occurrence wins).
std::map<PathElement, const Object*> IndexItems(const Object* list, const ListSchema& schema, bool* ok) {
  std::map<PathElement, const Object*> out;
  if (list == nullptr || !list->is_array()) return out;
  for (size_t i = 0; i < list->size(); ++i) {
    auto pe = ListItemElement((*list)[i], schema, i);
    if (!pe.ok()) {
      *ok = false;
      return {};
    }
    out.emplace(std::move(pe).value(), &(*list)[i]);
  }
  return out;
}

class Comparer {
 public:
  explicit Comparer(const ApplySchema& schema) : schema_(schema) {}

  void Compare(const Object* l, const Object* r, FieldPath& path) {
    const Object* shape = l != nullptr && !l->is_null() ? l : r;
    bool mismatch = l != nullptr && r != nullptr && !l->is_null() && !r->is_null() &&
                    (l->is_object() != r->is_object() || l->is_array() != r->is_array());
    if (shape == nullptr || shape->is_null() || mismatch ||
        !(shape->is_object() || shape->is_array())) {
      return Leaf(l, r, path);
    }
    if (!path.empty() && IsEmptyOrAbsent(l) && IsEmptyOrAbsent(r)) return Leaf(l, r, path);
    if (shape->is_object()) {
      if (!path.empty() && schema_.IsAtomicMap(path)) return Leaf(l, r, path);
      CompareMap(l, r, path);
    } else {
      ListSchema list = schema_.List(path);
      if (list.type == ListSchema::Type::kAtomic || !CompareList(l, r, list, path)) {
        return Leaf(l, r, path);
      }
    }
    PostItem(l, r, path);
  }

  FieldChanges Take() { return std::move(out_); }

 private:
  void Leaf(const Object* l, const Object* r, const FieldPath& path) {
    if (l == nullptr) {
      out_.added.Insert(path);
    } else if (r == nullptr) {
      out_.removed.Insert(path);
    } else if (!ValuesEqual(*l, *r)) {
      out_.modified.Insert(path);
    }
  }

  void PostItem(const Object* l, const Object* r, const FieldPath& path) {
    if (path.empty()) return;
    if (l == nullptr) out_.added.Insert(path);
    if (r == nullptr) out_.removed.Insert(path);
  }

  void CompareMap(const Object* l, const Object* r, FieldPath& path) {
    auto child = [](const Object* m, const std::string& k) -> const Object* {
      if (m == nullptr || !m->is_object()) return nullptr;
      auto it = m->find(k);
      return it == m->end() ? nullptr : &*it;
    };
    std::vector<std::string> keys;
    if (l != nullptr && l->is_object()) {
      for (auto it = l->begin(); it != l->end(); ++it) keys.push_back(it.key());
    }
    if (r != nullptr && r->is_object()) {
      for (auto it = r->begin(); it != r->end(); ++it) {
        if (child(l, it.key()) == nullptr) keys.push_back(it.key());
      }
    }
    for (const std::string& k : keys) {
      path.push_back(PathElement::Field(k));
      Compare(child(l, k), child(r, k), path);
      path.pop_back();
    }
  }

  // False when an item has no usable key: the caller compares the list whole.
  bool CompareList(const Object* l, const Object* r, const ListSchema& list, FieldPath& path) {
    bool ok = true;
    auto left = IndexItems(l, list, &ok);
    auto right = IndexItems(r, list, &ok);
    if (!ok) return false;
    std::map<PathElement, std::pair<const Object*, const Object*>> all;
    for (const auto& [pe, v] : left) all[pe].first = v;
    for (const auto& [pe, v] : right) all[pe].second = v;
    for (const auto& [pe, pair] : all) {
      path.push_back(pe);
      if (list.type == ListSchema::Type::kSet) {
        Leaf(pair.first, pair.second, path);
      } else {
        CompareItem(pair.first, pair.second, path);
      }
      path.pop_back();
    }
    return true;
  }

  void CompareItem(const Object* l, const Object* r, FieldPath& path) {
    bool maps = (l == nullptr || l->is_object()) && (r == nullptr || r->is_object());
    if (!maps) return Leaf(l, r, path);
    CompareMap(l, r, path);
    PostItem(l, r, path);
  }

  const ApplySchema& schema_;
  FieldChanges out_;
};

Object* Child(Object& parent, const PathElement& pe, const FieldPath& prefix, const ApplySchema& schema,
              size_t* index) {
  if (pe.kind() == PathElement::Kind::kField) {
    if (!parent.is_object()) return nullptr;
    auto it = parent.find(pe.field());
    return it == parent.end() ? nullptr : &*it;
  }
  if (!parent.is_array()) return nullptr;
  if (pe.kind() == PathElement::Kind::kIndex) {
    if (pe.index() < 0 || static_cast<size_t>(pe.index()) >= parent.size()) return nullptr;
    *index = static_cast<size_t>(pe.index());
    return &parent[*index];
  }
  ListSchema list = schema.List(prefix);
  if (pe.kind() == PathElement::Kind::kValue) list.type = ListSchema::Type::kSet;
  if (pe.kind() == PathElement::Kind::kKey && list.type != ListSchema::Type::kMap) {
    // Unknown to the schema: key on the fields the element names.
    list.type = ListSchema::Type::kMap;
    list.keys.clear();
    for (auto it = pe.value().begin(); it != pe.value().end(); ++it) list.keys.push_back(it.key());
  }
  for (size_t i = 0; i < parent.size(); ++i) {
    auto item_pe = ListItemElement(parent[i], list, i);
    if (item_pe.ok() && *item_pe == pe) {
      *index = i;
      return &parent[i];
    }
  }
  return nullptr;
}

}  // namespace

bool ValuesEqual(const Object& a, const Object& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !ValuesEqual(it.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!ValuesEqual(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

Result<PathElement> ListItemElement(const Object& item, const ListSchema& list, size_t index) {
  switch (list.type) {
    case ListSchema::Type::kAtomic:
      return PathElement::Index(static_cast<int64_t>(index));
    case ListSchema::Type::kSet:
      return PathElement::Value(item);
    case ListSchema::Type::kMap:
      break;
  }
  if (!item.is_object()) return InvalidArgument("associative list item is not an object");
  Object key = Object::object();
  for (const std::string& k : list.keys) {
    auto it = item.find(k);
    if (it != item.end() && !it->is_null()) {
      key[k] = *it;
    } else if (list.key_defaults.contains(k)) {
      key[k] = list.key_defaults[k];
    } else if (list.keys.size() == 1 || k == list.keys.front()) {
      return InvalidArgument("associative list with keys has an element that omits key field \"" + k +
                             "\" (and doesn't have default value)");
    }
  }
  return PathElement::Key(key);
}

Result<FieldSet> FieldsOf(const Object& obj, const ApplySchema& schema) {
  SetBuilder builder(schema);
  FieldPath path;
  RETURN_IF_ERROR(builder.Walk(obj, path));
  return builder.Take();
}

FieldChanges CompareObjects(const Object* before, const Object& after, const ApplySchema& schema) {
  Comparer comparer(schema);
  FieldPath path;
  comparer.Compare(before, &after, path);
  return comparer.Take();
}

const Object* FindField(const Object& obj, const FieldPath& path, const ApplySchema& schema) {
  // Child() only reads; the const_cast lets one helper serve find and erase.
  Object* cur = const_cast<Object*>(&obj);
  FieldPath prefix;
  for (const PathElement& pe : path) {
    size_t index = 0;
    cur = Child(*cur, pe, prefix, schema, &index);
    if (cur == nullptr) return nullptr;
    prefix.push_back(pe);
  }
  return cur;
}

bool EraseField(Object& obj, const FieldPath& path, const ApplySchema& schema) {
  if (path.empty()) return false;
  std::vector<Object*> chain{&obj};
  std::vector<size_t> indexes;
  FieldPath prefix;
  for (const PathElement& pe : path) {
    size_t index = 0;
    Object* next = Child(*chain.back(), pe, prefix, schema, &index);
    if (next == nullptr) return false;
    chain.push_back(next);
    indexes.push_back(index);
    prefix.push_back(pe);
  }
  // Erase the node, then each container the erase left empty.
  for (size_t depth = path.size(); depth > 0; --depth) {
    Object& parent = *chain[depth - 1];
    const PathElement& pe = path[depth - 1];
    if (pe.kind() == PathElement::Kind::kField) {
      parent.erase(pe.field());
    } else {
      parent.erase(indexes[depth - 1]);
    }
    if (depth == 1 || !parent.empty()) break;
  }
  return true;
}

void RemoveFields(Object& obj, const FieldSet& set, const ApplySchema& schema) {
  for (auto it = set.paths().rbegin(); it != set.paths().rend(); ++it) {
    if (set.HasMemberBelow(*it)) continue;
    // Key fields stay: they identify the item for its other fields.
    const FieldPath& p = *it;
    if (p.size() >= 2 && p.back().kind() == PathElement::Kind::kField &&
        p[p.size() - 2].kind() == PathElement::Kind::kKey && p[p.size() - 2].value().contains(p.back().field())) {
      continue;
    }
    EraseField(obj, p, schema);
  }
}

}  // namespace gitopsd
