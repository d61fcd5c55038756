#include "kubesim/internal/ssa_merge.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <map>
#include <set>
#include <string_view>

#include "core/managed_fields_ops.h"

namespace gitopsd::kubesim::internal {
namespace {

// metadata fields the server owns (structured-merge-diff's stripped set).
constexpr std::array<std::string_view, 10> kServerMetadata = {
    "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
    "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"};

}  // namespace

bool IsServerMetadata(std::string_view key) {
  for (std::string_view k : kServerMetadata) {
    if (k == key) return true;
  }
  return false;
}

bool OwnsTopLevel(std::string_view key, const WriteScope& scope) {
  if (key == "apiVersion" || key == "kind") return false;
  if (scope.subresource == "status") return key == "metadata" || key == "status";
  return !(scope.status_is_subresource && key == "status");
}

namespace {

// A key field of an associative list item (`.name` under `k:{"name":..}`):
// it stays as long as the item does.
bool IsKeyOfKeptItem(const FieldPath& p) {
  if (p.size() < 2 || p.back().kind() != PathElement::Kind::kField) return false;
  const PathElement& item = p[p.size() - 2];
  return item.kind() == PathElement::Kind::kKey && item.value().contains(p.back().field());
}

Object WithoutNulls(const Object& v) {
  if (!v.is_object()) return v;
  Object out = Object::object();
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->is_null()) out[it.key()] = WithoutNulls(*it);
  }
  return out;
}

void MergeInto(Object& dst, const Object& src, FieldPath& path, const ApplySchema& schema);

struct IndexedList {
  std::vector<PathElement> order;
  std::map<PathElement, size_t> position;  // first occurrence
};

bool Index(const Object& list, const ListSchema& schema, IndexedList& out) {
  for (size_t i = 0; i < list.size(); ++i) {
    auto pe = ListItemElement(list[i], schema, i);
    if (!pe.ok()) return false;
    if (out.position.emplace(*pe, i).second) out.order.push_back(*pe);
  }
  return true;
}

// Merges keyed/set lists the way structured-merge-diff orders them: items
// of both lists in the applied order, live-only items kept where they were.
bool MergeList(Object& dst, const Object& src, const ListSchema& list, FieldPath& path,
               const ApplySchema& schema) {
  IndexedList lhs, rhs;
  if (!Index(dst, list, lhs) || !Index(src, list, rhs)) return false;
  std::vector<PathElement> shared;
  for (const PathElement& pe : rhs.order) {
    if (lhs.position.count(pe)) shared.push_back(pe);
  }
  Object out = Object::array();
  std::set<PathElement> emitted;
  auto emit = [&](const PathElement& pe) {
    auto l = lhs.position.find(pe);
    auto r = rhs.position.find(pe);
    Object item = l != lhs.position.end() ? dst[l->second] : Object();
    if (r != rhs.position.end()) {
      if (item.is_null()) {
        item = WithoutNulls(src[r->second]);
      } else {
        path.push_back(pe);
        MergeInto(item, src[r->second], path, schema);
        path.pop_back();
      }
    }
    out.push_back(std::move(item));
    emitted.insert(pe);
  };
  size_t l = 0, r = 0, s = 0;
  const size_t ln = lhs.order.size(), rn = rhs.order.size();
  while (l < ln || r < rn) {
    while (s < shared.size() && emitted.count(shared[s])) ++s;
    if (l < ln && emitted.count(lhs.order[l])) { ++l; continue; }
    if (r < rn && emitted.count(rhs.order[r])) { ++r; continue; }
    bool l_in_rhs = l < ln && rhs.position.count(lhs.order[l]) != 0;
    if (l < ln && r < rn) {
      if (lhs.order[l] == rhs.order[r]) {
        emit(lhs.order[l]);
        ++l, ++r;
        continue;
      }
      if (l_in_rhs && s < shared.size() && !(shared[s] == lhs.order[l])) { ++l; continue; }
    }
    if (l < ln && !l_in_rhs) { emit(lhs.order[l++]); continue; }
    if (r < rn) { emit(rhs.order[r++]); continue; }
    ++l;  // a shared item the applied order already placed
  }
  dst = std::move(out);
  return true;
}

void MergeInto(Object& dst, const Object& src, FieldPath& path, const ApplySchema& schema) {
  if (src.is_object() && dst.is_object() && (path.empty() || !schema.IsAtomicMap(path))) {
    for (auto it = src.begin(); it != src.end(); ++it) {
      if (it->is_null()) {
        dst.erase(it.key());
        continue;
      }
      auto d = dst.find(it.key());
      if (d == dst.end()) {
        dst[it.key()] = WithoutNulls(*it);
        continue;
      }
      path.push_back(PathElement::Field(it.key()));
      MergeInto(*d, *it, path, schema);
      path.pop_back();
    }
    return;
  }
  if (src.is_array() && dst.is_array()) {
    ListSchema list = schema.List(path);
    if (list.type != ListSchema::Type::kAtomic && MergeList(dst, src, list, path, schema)) return;
  }
  dst = WithoutNulls(src);
}

}  // namespace

ApplySchema SchemaFor(const Object& obj, const WriteScope& scope) {
  if (scope.schema != nullptr) return *scope.schema;
  return ApplySchema::ForKind(ApiVersionOf(obj), KindOf(obj));
}

Object OwnedPart(const Object& obj, const WriteScope& scope) {
  Object out = Object::object();
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    if (!OwnsTopLevel(key, scope)) continue;
    if (key == "metadata" && it->is_object()) {
      Object meta = *it;
      for (std::string_view k : kServerMetadata) meta.erase(std::string(k));
      if (!meta.empty()) out[key] = std::move(meta);
      continue;
    }
    out[key] = *it;
  }
  return out;
}

Object Reassemble(const Object& base, const Object& owned, const WriteScope& scope) {
  Object out = Object::object();
  for (const char* key : {"apiVersion", "kind"}) {
    if (auto it = base.find(key); it != base.end()) out[key] = *it;
  }
  Object meta = Object::object();
  if (const Object* m = FindPath(base, "metadata"); m != nullptr && m->is_object()) {
    for (auto it = m->begin(); it != m->end(); ++it) {
      if (it.key() != "managedFields" && IsServerMetadata(it.key())) meta[it.key()] = *it;
    }
  }
  if (const Object* m = FindPath(owned, "metadata"); m != nullptr && m->is_object()) {
    for (auto it = m->begin(); it != m->end(); ++it) meta[it.key()] = *it;
  }
  out["metadata"] = std::move(meta);
  for (auto it = owned.begin(); it != owned.end(); ++it) {
    if (it.key() != "metadata") out[it.key()] = *it;
  }
  for (auto it = base.begin(); it != base.end(); ++it) {
    if (it.key() != "apiVersion" && it.key() != "kind" && !OwnsTopLevel(it.key(), scope)) out[it.key()] = *it;
  }
  return out;
}

Object MergeApplied(const Object& live, const Object& applied, const ApplySchema& schema) {
  Object out = live;
  FieldPath path;
  MergeInto(out, applied, path, schema);
  return out;
}

void RemoveDropped(Object& obj, const FieldSet& dropped, const FieldSet& kept, const ApplySchema& schema) {
  // Shallow first: a dropped list item goes whole (with the defaults in it)
  // before its fields would be removed one by one and lose their key.
  const FieldPath* erased = nullptr;
  for (const FieldPath& p : dropped) {
    if (erased != nullptr && p.size() > erased->size() && std::equal(erased->begin(), erased->end(), p.begin())) {
      continue;
    }
    if (kept.Has(p) || kept.HasMemberBelow(p) || IsKeyOfKeptItem(p)) continue;
    if (EraseField(obj, p, schema)) erased = &p;
  }
}

std::string TimeOf(const WriteScope& scope) {
  if (!scope.now.empty()) return scope.now;
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace gitopsd::kubesim::internal
