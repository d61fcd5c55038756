#include "diff/health/checks.h"

namespace gitopsd::diff::health {

int64_t Int(const Object& obj, std::string_view dotted, int64_t fallback) {
  const Object* v = FindPath(obj, dotted);
  if (v == nullptr || !v->is_number()) return fallback;
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (!(d > -9.0e18 && d < 9.0e18)) return fallback;  // also NaN
    return static_cast<int64_t>(d);
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return fallback;
  return v->get<int64_t>();
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
