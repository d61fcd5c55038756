#include "diff/internal/overlay.h"

#include <vector>

#include "core/k8s_schema.h"
#include "core/resid.h"

namespace gitopsd::diff::internal {
namespace {

const k8s::Schema& S() { return k8s::Schema::Builtin(); }

bool IsZero(const Object& v) {
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_number()) return v == 0;
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  if (v.is_object() || v.is_array()) return v.empty();
  return v.is_null();
}

// Key field value of a list item, with the API's default for `protocol`.
Object KeyValue(const Object& item, const std::string& key) {
  auto it = item.find(key);
  if (it != item.end()) return *it;
  if (key == "protocol") return "TCP";
  return nullptr;
}

bool SameKeys(const Object& a, const Object& b, const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    if (KeyValue(a, k) != KeyValue(b, k)) return false;
  }
  return true;
}

// Index of the live item matching `want` by merge key (and extra keys when
// several share the merge key); -1 when none.
long MatchKeyed(const Object& live, const Object& want, const k8s::FieldSchema& f,
                std::vector<bool>& used) {
  if (!want.is_object() || !want.contains(f.merge_key)) return -1;
  long first = -1;
  for (size_t i = 0; i < live.size(); ++i) {
    if (used[i] || !live[i].is_object()) continue;
    if (KeyValue(live[i], f.merge_key) != KeyValue(want, f.merge_key)) continue;
    if (SameKeys(live[i], want, f.extra_keys)) return static_cast<long>(i);
    if (first < 0) first = static_cast<long>(i);
  }
  return first;
}

Object OverlayValue(const Object& live, const Object& desired, const k8s::TypeSchema* type);

// Keyed (associative) lists are sets by key: matched items keep the live
// order (an order change is not a change), desired items live lacks follow
// in desired order, live items desired lacks are dropped. Other lists take
// desired's items and order, overlaid position by position.
Object OverlayList(const Object& live, const Object& desired, const k8s::FieldSchema* f) {
  const k8s::TypeSchema* elem = f != nullptr ? S().Type(f->type) : nullptr;
  bool keyed = f != nullptr && f->shape == k8s::FieldSchema::Shape::kList && !f->merge_key.empty();
  Object out = Object::array();
  if (!keyed) {
    for (size_t i = 0; i < desired.size(); ++i) {
      out.push_back(i < live.size() ? OverlayValue(live[i], desired[i], elem) : desired[i]);
    }
    return out;
  }
  std::vector<bool> used(live.size(), false);
  std::vector<long> match_of_live(live.size(), -1);
  std::vector<size_t> unmatched;
  for (size_t i = 0; i < desired.size(); ++i) {
    long m = MatchKeyed(live, desired[i], *f, used);
    if (m < 0) {
      unmatched.push_back(i);
      continue;
    }
    used[static_cast<size_t>(m)] = true;
    match_of_live[static_cast<size_t>(m)] = static_cast<long>(i);
  }
  for (size_t j = 0; j < live.size(); ++j) {
    if (match_of_live[j] < 0) continue;
    out.push_back(OverlayValue(live[j], desired[static_cast<size_t>(match_of_live[j])], elem));
  }
  for (size_t i : unmatched) out.push_back(desired[i]);
  return out;
}

Object OverlayMap(const Object& live, const Object& desired, const k8s::TypeSchema* type) {
  Object out = live;
  for (auto it = desired.begin(); it != desired.end(); ++it) {
    auto l = out.find(it.key());
    if (l == out.end()) {
      if (!IsZero(*it)) out[it.key()] = *it;
      continue;
    }
    const k8s::FieldSchema* f = type != nullptr ? type->Field(it.key()) : nullptr;
    if (it->is_array() && l->is_array()) {
      *l = OverlayList(*l, *it, f);
    } else {
      const k8s::TypeSchema* child = nullptr;
      if (f != nullptr && (f->shape == k8s::FieldSchema::Shape::kObject)) child = S().Type(f->type);
      *l = OverlayValue(*l, *it, child);
    }
  }
  return out;
}

Object OverlayValue(const Object& live, const Object& desired, const k8s::TypeSchema* type) {
  if (live.is_object() && desired.is_object()) return OverlayMap(live, desired, type);
  if (live.is_array() && desired.is_array()) return OverlayList(live, desired, nullptr);
  return desired;
}

}  // namespace

Object Overlay(const Object& live, const Object& desired) {
  ResId id = ResId::Of(desired);
  return OverlayValue(live, desired, S().TypeForKind(id.group, id.kind));
}

}  // namespace gitopsd::diff::internal
