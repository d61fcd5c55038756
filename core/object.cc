#include "core/object.h"

#include <map>

namespace gitopsd {
namespace {

template <typename Obj>
Obj* FindPathImpl(Obj& obj, std::string_view dotted) {
  Obj* cur = &obj;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string_view step = dotted.substr(0, dot);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(step);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return cur;
}

void WriteCanonical(const Object& v, std::string& out) {
  if (v.is_object()) {
    std::map<std::string_view, const Object*> sorted;
    for (auto it = v.begin(); it != v.end(); ++it) sorted.emplace(it.key(), &it.value());
    out.push_back('{');
    bool first = true;
    for (const auto& [k, child] : sorted) {
      if (!first) out.push_back(',');
      first = false;
      out += Object(std::string(k)).dump();
      out.push_back(':');
      WriteCanonical(*child, out);
    }
    out.push_back('}');
  } else if (v.is_array()) {
    out.push_back('[');
    bool first = true;
    for (const auto& child : v) {
      if (!first) out.push_back(',');
      first = false;
      WriteCanonical(child, out);
    }
    out.push_back(']');
  } else {
    out += v.dump();
  }
}

}  // namespace

const Object* FindPath(const Object& obj, std::string_view dotted) {
  return FindPathImpl(obj, dotted);
}
Object* FindPath(Object& obj, std::string_view dotted) { return FindPathImpl(obj, dotted); }

std::string GetString(const Object& obj, std::string_view dotted) {
  const Object* v = FindPath(obj, dotted);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string CanonicalJson(const Object& obj) {
  std::string out;
  WriteCanonical(obj, out);
  return out;
}

}  // namespace gitopsd
