// Strategic merge patch: apimachinery semantics and Kustomize (kyaml
// merge2, list prepend) semantics; see core/patch.h for the differences.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "core/internal/patch_kyaml.h"
#include "core/internal/patch_order.h"
#include "core/patch.h"
#include "core/resid.h"

namespace gitopsd {
namespace {

using patch_internal::NormalizeOrder;

using k8s::FieldSchema;
using k8s::TypeSchema;

constexpr char kPatch[] = "$patch";
constexpr char kRetainKeys[] = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitive = "$deleteFromPrimitiveList/";
constexpr std::string_view kSetElementOrder = "$setElementOrder/";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string Directive(const Object& map) {
  auto it = map.find(kPatch);
  return it != map.end() && it->is_string() ? it->get<std::string>() : "";
}

class Merger {
 public:
  explicit Merger(const SmpOptions& options) : opt_(options) {}

  // Merges `patch` into the mapping `orig`. Sets *deleted when the patch
  // deletes the map itself (Kustomize `$patch: delete`).
  Status MergeMap(Object& orig, const Object& patch, const TypeSchema* type,
                  const std::string& path, bool* deleted) {
    *deleted = false;
    std::string directive = Directive(patch);
    if (patch.contains(kPatch) && !patch[kPatch].is_string()) {
      return InvalidArgument(Where(path) + "$patch must be a string");
    }
    if (directive == "delete") {
      if (opt_.kustomize_mode) {
        *deleted = true;
        orig = nullptr;
      } else {
        orig = Object::object();
      }
      return Status::Ok();
    }
    if (!directive.empty() && directive != "replace" && directive != "merge") {
      return InvalidArgument(Where(path) + "unknown patch type \"" + directive + "\"");
    }
    if (directive == "replace" || !orig.is_object()) orig = Object::object();
    if (!opt_.kustomize_mode) RETURN_IF_ERROR(ApplyMapDirectives(orig, patch, path));
    for (const auto& [key, value] : patch.items()) {
      // kyaml knows only $patch; other $-keys are plain fields there.
      if (key == kPatch || (!opt_.kustomize_mode && StartsWith(key, "$"))) continue;
      const FieldSchema* fs = type ? type->Field(key) : nullptr;
      RETURN_IF_ERROR(MergeField(orig, key, value, fs, patch, Join(path, key)));
    }
    if (!opt_.kustomize_mode) ApplySetElementOrderOnly(orig, patch, type);
    return Status::Ok();
  }

 private:
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string Where(const std::string& path) {
    return path.empty() ? std::string() : path + ": ";
  }

  const TypeSchema* TypeOf(const FieldSchema* fs) const {
    return fs && !fs->type.empty() ? opt_.schema->Type(fs->type) : nullptr;
  }

  // $retainKeys and $deleteFromPrimitiveList/<f> (apiserver flavour).
  Status ApplyMapDirectives(Object& orig, const Object& patch, const std::string& path) {
    if (auto it = patch.find(kRetainKeys); it != patch.end()) {
      if (!it->is_array()) return InvalidArgument(Where(path) + "$retainKeys must be a list");
      std::vector<std::string> drop;
      for (const auto& [key, _] : orig.items()) {
        if (std::find(it->begin(), it->end(), Object(key)) == it->end()) drop.push_back(key);
      }
      for (const auto& k : drop) orig.erase(k);
    }
    for (const auto& [key, value] : patch.items()) {
      if (!StartsWith(key, kDeleteFromPrimitive)) continue;
      std::string field = key.substr(kDeleteFromPrimitive.size());
      if (!value.is_array()) return InvalidArgument(Where(path) + key + " must be a list");
      auto target = orig.find(field);
      if (target == orig.end() || !target->is_array()) continue;
      Object kept = Object::array();
      for (const auto& v : *target) {
        if (std::find(value.begin(), value.end(), v) == value.end()) kept.push_back(v);
      }
      *target = std::move(kept);
    }
    return Status::Ok();
  }

  // $setElementOrder/<f> for a list the patch does not otherwise touch.
  void ApplySetElementOrderOnly(Object& orig, const Object& patch, const TypeSchema* type) {
    for (const auto& [key, order] : patch.items()) {
      if (!StartsWith(key, kSetElementOrder) || !order.is_array()) continue;
      std::string field = key.substr(kSetElementOrder.size());
      auto target = orig.find(field);
      if (patch.contains(field) || target == orig.end() || !target->is_array()) continue;
      const FieldSchema* fs = type ? type->Field(field) : nullptr;
      std::string merge_key = fs ? fs->merge_key : "";
      std::vector<Object> items(target->begin(), target->end());
      std::vector<Object> order_items(order.begin(), order.end());
      *target = NormalizeOrder(items, order_items, items, merge_key);
    }
  }

  Status MergeField(Object& orig, const std::string& key, const Object& value,
                    const FieldSchema* fs, const Object& patch, const std::string& path) {
    if (value.is_null()) {
      orig.erase(key);
      return Status::Ok();
    }
    if (opt_.kustomize_mode) RETURN_IF_ERROR(CheckSameKind(orig, key, value, path));
    if (value.is_object()) {
      const TypeSchema* child =
          fs && fs->shape == FieldSchema::Shape::kObject ? TypeOf(fs) : nullptr;
      if (fs && fs->shape == FieldSchema::Shape::kMap) return MergeStringMap(orig, key, value, fs, path);
      bool deleted = false;
      RETURN_IF_ERROR(MergeMap(orig[key], value, child, path, &deleted));
      if (deleted) orig.erase(key);
      return Status::Ok();
    }
    if (value.is_array()) {
      const Object* order = nullptr;
      if (auto it = patch.find(std::string(kSetElementOrder) + key); it != patch.end()) {
        order = &*it;
      }
      Object& dst = orig[key];
      if (!dst.is_array()) dst = Object::array();
      return MergeList(dst, value, fs, order, path);
    }
    orig[key] = value;
    return Status::Ok();
  }

  // kyaml refuses to merge nodes of different kinds (null excepted).
  static Status CheckSameKind(const Object& orig, const std::string& key, const Object& value,
                              const std::string& path) {
    auto it = orig.find(key);
    if (it == orig.end() || it->is_null()) return Status::Ok();
    auto kind = [](const Object& v) {
      return v.is_object() ? "MappingNode" : v.is_array() ? "SequenceNode" : "ScalarNode";
    };
    if (std::string_view(kind(*it)) == kind(value)) return Status::Ok();
    return InvalidArgument(path + ": wrong node kind: expected " + kind(*it) + " but got " +
                           kind(value) + ": node contents: " + value.dump());
  }

  // map[string]T: keys merge, each value merges with T.
  Status MergeStringMap(Object& orig, const std::string& key, const Object& value,
                        const FieldSchema* fs, const std::string& path) {
    Object& dst = orig[key];
    if (!dst.is_object()) dst = Object::object();
    const TypeSchema* elem = TypeOf(fs);
    for (const auto& [k, v] : value.items()) {
      if (StartsWith(k, "$")) continue;
      if (v.is_object()) {
        bool deleted = false;
        RETURN_IF_ERROR(MergeMap(dst[k], v, elem, Join(path, k), &deleted));
        if (deleted) dst.erase(k);
      } else if (v.is_null()) {
        dst.erase(k);
      } else {
        dst[k] = v;
      }
    }
    return Status::Ok();
  }

  // A patch element with directives and nulls resolved against nothing.
  Result<Object> Fresh(const Object& elem, const TypeSchema* type, const std::string& path) {
    if (!elem.is_object()) return elem;
    Object out = Object::object();
    bool deleted = false;
    RETURN_IF_ERROR(MergeMap(out, elem, type, path, &deleted));
    return out;
  }

  Status MergeList(Object& dst, const Object& patch, const FieldSchema* fs, const Object* order,
                   const std::string& path) {
    const TypeSchema* elem_type = TypeOf(fs);
    bool merge = fs && fs->shape == FieldSchema::Shape::kList && fs->merge;
    bool replace = std::any_of(patch.begin(), patch.end(), [](const Object& e) {
      return e.is_object() && Directive(e) == "replace";
    });
    if (!merge || replace) {
      Object out = Object::array();
      for (const auto& e : patch) {
        if (e.is_object() && e.contains(kPatch)) {
          if (Directive(e) == "replace") continue;
          if (Directive(e) == "delete" && merge) continue;
        }
        if (merge) {
          ASSIGN_OR_RETURN(Object fresh, Fresh(e, elem_type, path));
          out.push_back(std::move(fresh));
        } else {
          out.push_back(e);
        }
      }
      dst = std::move(out);
      return Status::Ok();
    }
    if (fs->merge_key.empty()) return MergeScalarSet(dst, patch, order);
    return MergeKeyedList(dst, patch, *fs, elem_type, order, path);
  }

  Status MergeScalarSet(Object& dst, const Object& patch, const Object* order) {
    std::vector<Object> scalars;
    for (const auto& e : patch) {
      if (!e.is_object() && !(opt_.kustomize_mode && e.is_null())) scalars.push_back(e);
    }
    std::vector<Object> original(dst.begin(), dst.end());
    std::vector<Object> merged;
    auto add = [&merged](const Object& v) {
      if (std::find(merged.begin(), merged.end(), v) == merged.end()) merged.push_back(v);
    };
    if (opt_.kustomize_mode) {
      for (const auto& v : scalars) add(v);
      for (const auto& v : original) add(v);
      dst = merged;
      return Status::Ok();
    }
    for (const auto& v : original) add(v);
    for (const auto& v : scalars) add(v);
    std::vector<Object> patch_order = order ? std::vector<Object>(order->begin(), order->end())
                                            : scalars;
    dst = NormalizeOrder(merged, patch_order, original, "");
    return Status::Ok();
  }

  enum class Match { kFound, kNew, kDrop };

  // Merge-key equality: kyaml compares the scalars' text (so 80 and "80"
  // match); the API server compares JSON values.
  bool KeyEquals(const Object& a, const Object& b) const {
    if (!opt_.kustomize_mode || !a.is_primitive() || !b.is_primitive()) return a == b;
    auto text = [](const Object& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    return text(a) == text(b);
  }

  // Finds the element of `dst` that `elem` patches. Kustomize compares the
  // list-map keys too: a key set on only one side makes the patch element
  // drop out (kyaml keeps the target's element untouched then).
  Match FindElement(const Object& dst, const Object& elem, const FieldSchema& fs, size_t* index) {
    bool conflict = false;
    for (size_t i = 0; i < dst.size(); ++i) {
      const Object& d = dst[i];
      if (!d.is_object() || !d.contains(fs.merge_key) || !KeyEquals(d[fs.merge_key], elem[fs.merge_key])) {
        continue;
      }
      bool same = true;
      if (opt_.kustomize_mode) {
        for (const auto& x : fs.extra_keys) {
          bool in_d = d.contains(x), in_e = elem.contains(x);
          if (in_d && in_e && !KeyEquals(d[x], elem[x])) same = false;
          if (in_d != in_e) conflict = true, same = false;
        }
      }
      if (same) {
        *index = i;
        return Match::kFound;
      }
    }
    return conflict ? Match::kDrop : Match::kNew;
  }

  // Bookkeeping of one keyed-list merge.
  struct KeyedMerge {
    std::vector<bool> removed, touched;
    std::vector<Object> added;     // patch items with no target item
    std::vector<long> patch_slots;  // in patch order: dst index, or -1 - index into added
    std::vector<Object> seen_keys;  // kustomize: first patch item per key wins
  };

  static bool HasSecondaryKey(const Object& item, const FieldSchema& fs) {
    return item.is_object() && item.contains(fs.merge_key) &&
           std::any_of(fs.extra_keys.begin(), fs.extra_keys.end(),
                       [&item](const std::string& k) { return item.contains(k); });
  }

  Status MergeKeyedItem(Object& dst, const Object& e, const FieldSchema& fs,
                        const TypeSchema* elem_type, const std::string& path, KeyedMerge& km) {
    const std::string& key = fs.merge_key;
    std::string where = path + "[" + key + "]";
    if (!e.is_object()) return InvalidArgument(path + ": list item is not a mapping");
    std::string directive = Directive(e);
    if (!e.contains(key)) {
      if (!opt_.kustomize_mode) {
        return InvalidArgument(path + ": list item " + e.dump() +
                               " does not contain declared merge key \"" + key + "\"");
      }
      if (directive == "delete") return Status::Ok();
      return AddNew(e, elem_type, where, km);
    }
    if (!directive.empty() && directive != "delete" && directive != "merge") {
      return InvalidArgument(path + ": unknown patch type \"" + directive + "\" in list item");
    }
    if (opt_.kustomize_mode) {
      if (std::find(km.seen_keys.begin(), km.seen_keys.end(), e[key]) != km.seen_keys.end()) {
        return Status::Ok();
      }
      km.seen_keys.push_back(e[key]);
    }
    if (directive == "delete") {
      for (size_t i = 0; i < dst.size(); ++i) {
        if (dst[i].is_object() && dst[i].contains(key) &&
            KeyEquals(dst[i][key], e[key])) {
          km.removed[i] = true;
        }
      }
      return Status::Ok();
    }
    size_t idx = 0;
    Match m = FindElement(dst, e, fs, &idx);
    if (m == Match::kDrop || (m == Match::kFound && km.removed[idx])) return Status::Ok();
    if (m == Match::kNew) return AddNew(e, elem_type, where, km);
    bool deleted = false;
    RETURN_IF_ERROR(MergeMap(dst[idx], e, elem_type, where, &deleted));
    if (deleted) km.removed[idx] = true;
    if (!km.touched[idx]) km.patch_slots.push_back(static_cast<long>(idx));
    km.touched[idx] = true;
    return Status::Ok();
  }

  Status AddNew(const Object& e, const TypeSchema* elem_type, const std::string& where,
                KeyedMerge& km) {
    ASSIGN_OR_RETURN(Object fresh, Fresh(e, elem_type, where));
    km.added.push_back(std::move(fresh));
    km.patch_slots.push_back(-static_cast<long>(km.added.size()));
    return Status::Ok();
  }

  // kyaml's prepend order: patch items (merged or new) in patch order, then
  // the target's other items. Lists whose items carry two keys (ports with
  // a protocol) keep merged items in place: new items, then the target.
  static std::vector<Object> KustomizeOrder(const Object& dst, const KeyedMerge& km,
                                            bool multi_key) {
    std::vector<Object> out;
    for (long slot : km.patch_slots) {
      if (slot < 0) out.push_back(km.added[static_cast<size_t>(-slot - 1)]);
      if (slot >= 0 && !multi_key && !km.removed[slot]) out.push_back(dst[slot]);
    }
    for (size_t i = 0; i < dst.size(); ++i) {
      if ((multi_key || !km.touched[i]) && !km.removed[i]) out.push_back(dst[i]);
    }
    return out;
  }

  Status MergeKeyedList(Object& dst, const Object& patch, const FieldSchema& fs,
                        const TypeSchema* elem_type, const Object* order,
                        const std::string& path) {
    std::vector<Object> original(dst.begin(), dst.end());
    KeyedMerge km;
    km.removed.assign(dst.size(), false);
    km.touched.assign(dst.size(), false);
    bool multi_key =
        std::any_of(dst.begin(), dst.end(), [&fs](const Object& i) { return HasSecondaryKey(i, fs); }) ||
        std::any_of(patch.begin(), patch.end(), [&fs](const Object& i) { return HasSecondaryKey(i, fs); });
    for (const auto& e : patch) RETURN_IF_ERROR(MergeKeyedItem(dst, e, fs, elem_type, path, km));
    if (opt_.kustomize_mode) {
      dst = KustomizeOrder(dst, km, multi_key);
      return Status::Ok();
    }
    std::vector<Object> merged;
    for (size_t i = 0; i < dst.size(); ++i) {
      if (!km.removed[i]) merged.push_back(dst[i]);
    }
    for (auto& a : km.added) merged.push_back(std::move(a));
    std::vector<Object> patch_order;
    if (order) {
      patch_order.assign(order->begin(), order->end());
    } else {
      for (const auto& e : patch) {
        if (e.is_object() && Directive(e) != "delete") patch_order.push_back(e);
      }
    }
    dst = NormalizeOrder(merged, patch_order, original, fs.merge_key);
    return Status::Ok();
  }

  const SmpOptions& opt_;
};

}  // namespace

Status ApplyStrategicMergePatch(Object& target, const Object& patch, const SmpOptions& options) {
  if (!patch.is_object()) return InvalidArgument("strategic merge patch must be a mapping");
  if (options.schema == nullptr) return InvalidArgument("strategic merge patch: no schema");
  std::string group, version;
  ResId::SplitApiVersion(ApiVersionOf(target.is_object() ? target : patch), &group, &version);
  std::string kind = KindOf(target.is_object() ? target : patch);
  const k8s::TypeSchema* type = options.schema->TypeForKind(group, kind);
  if (type == nullptr && options.kustomize_mode && target.is_object() && !version.empty() &&
      !KindOf(patch).empty()) {
    // kyaml takes the schema of the first merge source whose type it knows,
    // and Kustomize gives a patch the target's apiVersion with the patch's
    // own kind: a Deployment patch on an apps/v1 custom kind merges its
    // containers by name.
    type = options.schema->TypeForKind(group, KindOf(patch));
  }
  if (!target.is_object()) target = Object::object();
  // Kustomize leaves the object alone for a top-level `$patch: replace`.
  if (options.kustomize_mode && Directive(patch) == "replace") return Status::Ok();
  if (options.kustomize_mode) patch_internal::CollapseKeyedDuplicates(target, type, *options.schema);
  Merger merger(options);
  bool deleted = false;
  RETURN_IF_ERROR(merger.MergeMap(target, patch, type, "", &deleted));
  if (deleted) target = nullptr;
  return Status::Ok();
}

}  // namespace gitopsd
