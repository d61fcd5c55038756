#include <algorithm>

#include "diff/health/checks.h"

namespace gitopsd::diff::health {

int64_t Int(const Object& obj, std::string_view dotted, int64_t fallback) {
  // Counts are clamped to +-2^53 (beyond what JSON carries exactly), so the
  // checks' arithmetic (want - ready, replicas - partition) cannot overflow.
  constexpr int64_t kLimit = int64_t{1} << 53;
  const Object* v = FindPath(obj, dotted);
  if (v == nullptr || !v->is_number()) return fallback;
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (d != d) return fallback;  // NaN
    if (d > static_cast<double>(kLimit)) return kLimit;
    if (d < -static_cast<double>(kLimit)) return -kLimit;
    return static_cast<int64_t>(d);
  }
  if (v->is_number_unsigned()) return static_cast<int64_t>(std::min<uint64_t>(v->get<uint64_t>(), kLimit));
  return std::clamp(v->get<int64_t>(), -kLimit, kLimit);
}

const Object* FindCondition(const Object& obj, std::string_view dotted, std::string_view type) {
  const Object* list = FindPath(obj, dotted);
  if (list == nullptr || !list->is_array()) return nullptr;
  for (const auto& c : *list) {
    if (c.is_object() && CondField(c, "type") == type) return &c;
  }
  return nullptr;
}

std::string CondField(const Object& cond, const char* field) {
  auto it = cond.find(field);
  return it != cond.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool NonEmptyList(const Object& obj, std::string_view dotted) {
  const Object* v = FindPath(obj, dotted);
  return v != nullptr && v->is_array() && !v->empty();
}

}  // namespace gitopsd::diff::health
