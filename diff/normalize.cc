#include "diff/normalize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "core/resid.h"
#include "diff/quantity.h"

namespace gitopsd::diff {
namespace {

void EraseEmptyMap(Object& parent, std::string_view key) {
  auto it = parent.find(key);
  if (it != parent.end() && (it->is_null() || (it->is_object() && it->empty()))) parent.erase(it);
}

// Rule 1.
void StripServerMetadata(Object& obj) {
  Object* meta = FindPath(obj, "metadata");
  if (meta == nullptr || !meta->is_object()) return;
  static constexpr std::array<std::string_view, 8> kServerSet = {
      "uid",           "resourceVersion",   "generation",        "creationTimestamp",
      "managedFields", "selfLink",          "deletionTimestamp", "deletionGracePeriodSeconds"};
  for (std::string_view key : kServerSet) meta->erase(std::string(key));
  if (Object* ann = FindPath(*meta, "annotations"); ann != nullptr && ann->is_object()) {
    ann->erase(kLastAppliedAnnotation);
  }
  EraseEmptyMap(*meta, "annotations");
  EraseEmptyMap(*meta, "labels");
}

// Splits "<app>:<group>/<kind>:<namespace>/<name>".
struct TrackingId {
  std::string app, group, kind, namespace_, name;
};

std::optional<TrackingId> ParseTrackingId(std::string_view v) {
  size_t c1 = v.find(':');
  size_t c2 = v.rfind(':');
  if (c1 == std::string_view::npos || c2 == c1) return std::nullopt;
  std::string_view gk = v.substr(c1 + 1, c2 - c1 - 1);
  std::string_view nn = v.substr(c2 + 1);
  size_t s1 = gk.rfind('/');
  size_t s2 = nn.find('/');
  if (s1 == std::string_view::npos || s2 == std::string_view::npos) return std::nullopt;
  return TrackingId{std::string(v.substr(0, c1)), std::string(gk.substr(0, s1)),
                    std::string(gk.substr(s1 + 1)), std::string(nn.substr(0, s2)),
                    std::string(nn.substr(s2 + 1))};
}

bool TrackingIdIsOurs(const Object& obj, std::string_view value, const std::string& app) {
  auto t = ParseTrackingId(value);
  if (!t) return false;
  ResId id = ResId::Of(obj);
  bool same_ns = t->namespace_ == id.namespace_ || t->namespace_.empty() || id.namespace_.empty();
  return (app.empty() || t->app == app) && t->group == id.group && t->kind == id.kind &&
         t->name == id.name && same_ns;
}

// Rule 3.
void StripTracking(Object& obj, const NormalizeOptions& options) {
  Object* meta = FindPath(obj, "metadata");
  if (meta == nullptr || !meta->is_object()) return;
  if (Object* ann = FindPath(*meta, "annotations"); ann != nullptr && ann->is_object()) {
    auto it = ann->find(kTrackingAnnotation);
    if (it != ann->end() && it->is_string() &&
        TrackingIdIsOurs(obj, it->get_ref<const std::string&>(), options.app_name)) {
      ann->erase(it);
    }
  }
  if (Object* labels = FindPath(*meta, "labels"); labels != nullptr && labels->is_object()) {
    auto it = labels->find(kTrackingLabel);
    if (it != labels->end() && (options.app_name.empty() || *it == options.app_name)) {
      labels->erase(it);
    }
  }
  EraseEmptyMap(*meta, "annotations");
  EraseEmptyMap(*meta, "labels");
}

bool IsCore(const Object& obj, std::string_view kind) {
  return ApiVersionOf(obj) == "v1" && KindOf(obj) == kind;
}

// Rule 4.
void FoldSecretStringData(Object& obj) {
  if (!IsCore(obj, "Secret")) return;
  auto sd = obj.find("stringData");
  if (sd != obj.end()) {
    if (sd->is_object()) {
      Object& data = obj["data"];
      if (!data.is_object()) data = Object::object();
      for (auto it = sd->begin(); it != sd->end(); ++it) {
        std::string raw = it->is_string() ? it->get<std::string>() : it->is_null() ? "" : it->dump();
        data[it.key()] = Base64Encode(raw);
      }
    }
    obj.erase("stringData");
  }
  auto data = obj.find("data");
  if (data != obj.end() && data->is_object()) {
    for (auto& v : *data) {
      if (v.is_null()) v = "";
    }
  }
}

// Rules 5 and 7, recursively.
void NormalizeValues(Object& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null()) {
        it = v.erase(it);
      } else {
        NormalizeValues(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (auto& item : v) NormalizeValues(item);
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) {
      v = static_cast<long long>(d);
    }
  }
}

void CanonicalizeQuantityMap(Object* map) {
  if (map == nullptr || !map->is_object()) return;
  for (auto& v : *map) {
    if (auto q = CanonicalQuantityValue(v)) v = *q;
  }
}

// Rule 6, part 1: every `resources: {limits, requests}` and `overhead` map,
// and `emptyDir.sizeLimit`, wherever they are nested (pod templates in any
// workload, PVCs, volumeClaimTemplates, CRDs embedding pod specs).
void CanonicalizeNestedQuantities(Object& v) {
  if (v.is_array()) {
    for (auto& item : v) CanonicalizeNestedQuantities(item);
    return;
  }
  if (!v.is_object()) return;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() == "resources" && it->is_object()) {
      CanonicalizeQuantityMap(FindPath(*it, "limits"));
      CanonicalizeQuantityMap(FindPath(*it, "requests"));
    } else if (it.key() == "overhead") {
      CanonicalizeQuantityMap(&*it);
    } else if (it.key() == "emptyDir" && it->is_object()) {
      auto sl = it->find("sizeLimit");
      if (sl != it->end()) {
        if (auto q = CanonicalQuantityValue(*sl)) *sl = *q;
      }
    }
    CanonicalizeNestedQuantities(*it);
  }
}

// Rule 6, part 2: kinds whose spec is a resource list.
void CanonicalizeKindQuantities(Object& obj) {
  if (IsCore(obj, "ResourceQuota")) CanonicalizeQuantityMap(FindPath(obj, "spec.hard"));
  if (IsCore(obj, "PersistentVolume")) CanonicalizeQuantityMap(FindPath(obj, "spec.capacity"));
  if (IsCore(obj, "LimitRange")) {
    Object* limits = FindPath(obj, "spec.limits");
    if (limits == nullptr || !limits->is_array()) return;
    for (auto& item : *limits) {
      if (!item.is_object()) continue;
      for (const char* f : {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
        CanonicalizeQuantityMap(FindPath(item, f));
      }
    }
  }
}

// Rule 8.
void NormalizeRbac(Object& obj) {
  if (ApiVersionOf(obj).rfind("rbac.authorization.k8s.io/", 0) != 0) return;
  if (KindOf(obj) != "Role" && KindOf(obj) != "ClusterRole") return;
  auto rules = obj.find("rules");
  if (rules != obj.end() && rules->is_array() && rules->empty()) obj.erase(rules);
}

void SortByCanonicalJson(Object* list) {
  if (list == nullptr || !list->is_array()) return;
  std::vector<std::pair<std::string, Object>> keyed;
  for (auto& item : *list) keyed.emplace_back(CanonicalJson(item), std::move(item));
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Object sorted = Object::array();
  for (auto& kv : keyed) sorted.push_back(std::move(kv.second));
  *list = std::move(sorted);
}

// Rule 9: Endpoints are written by controllers in no particular order.
void NormalizeEndpoints(Object& obj) {
  if (!IsCore(obj, "Endpoints")) return;
  Object* subsets = FindPath(obj, "subsets");
  if (subsets == nullptr || !subsets->is_array()) return;
  for (auto& subset : *subsets) {
    if (!subset.is_object()) continue;
    if (Object* ports = FindPath(subset, "ports"); ports != nullptr && ports->is_array()) {
      for (auto& port : *ports) {
        if (port.is_object() && !port.contains("protocol")) port["protocol"] = "TCP";
      }
    }
    for (const char* f : {"addresses", "notReadyAddresses", "ports"}) SortByCanonicalJson(FindPath(subset, f));
  }
  SortByCanonicalJson(subsets);
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int s : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> s) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Object Normalize(const Object& obj, const NormalizeOptions& options) {
  if (!obj.is_object()) return obj;
  Object out = obj;
  StripServerMetadata(out);
  if (!options.keep_status) out.erase("status");
  StripTracking(out, options);
  FoldSecretStringData(out);
  NormalizeValues(out);  // drops nested `creationTimestamp: null` too
  CanonicalizeNestedQuantities(out);
  CanonicalizeKindQuantities(out);
  NormalizeRbac(out);
  NormalizeEndpoints(out);
  return out;
}

}  // namespace gitopsd::diff
