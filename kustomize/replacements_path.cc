// Field path walking and value writing for replacements.
#include "kustomize/replacements_path.h"

#include <charconv>

// Exact yaml.v3 scalar typing is part of the replacement contract (kyaml
// keeps a target's YAML tag and re-reads the new text under it), and core's
// YAML reader owns that logic; sharing it beats a second copy.
#include "core/internal/yaml_scalar.h"

namespace gitopsd::kustomize::replacements_internal {
namespace {

bool IsBracket(std::string_view e) { return e.size() >= 2 && e.front() == '[' && e.back() == ']'; }

bool IsIndex(std::string_view e, size_t* out) {
  if (e.empty()) return false;
  auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), *out);
  return ec == std::errc() && p == e.data() + e.size();
}

// True when path element `e` addresses list items (so a missing parent is a list).
bool IsListElement(std::string_view e) {
  size_t idx = 0;
  return (IsBracket(e) && e.find('=') != std::string_view::npos) || e == "*" || e == "-" ||
         IsIndex(e, &idx);
}

bool IsNullText(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// How a scalar written into a created node reads back.
Object ResolveText(const std::string& text) {
  if (IsNullText(text)) return nullptr;
  return yaml_internal::ResolvePlainScalar(text);
}

const char* TagOf(const Object& v) {
  if (v.is_boolean()) return "bool";
  if (v.is_number_integer()) return "int";
  if (v.is_number()) return "float";
  if (v.is_null()) return "null";
  return "str";
}

const char* NodeKind(const Object& v) {
  return v.is_object() ? "MappingNode" : v.is_array() ? "SequenceNode" : "ScalarNode";
}

// `lookup`: a source path (kyaml PathGetter: "-" is the last item);
// otherwise a target path (PathMatcher: "-" is a field name).
Status Walk(Object& node, const std::vector<std::string>& path, size_t i, bool create,
            bool lookup, const std::function<Status(Object&, bool)>& visit, bool created) {
  if (i == path.size()) return visit(node, created);
  const std::string& e = path[i];
  auto child_init = [&]() -> Object {
    if (i + 1 == path.size()) return nullptr;
    return IsListElement(path[i + 1]) ? Object::array() : Object::object();
  };
  bool list_elem = IsListElement(e) && (lookup || e != "-");
  if (list_elem && !node.is_array()) {
    if (!(create && node.is_null())) return Status::Ok();
    node = Object::array();
  }
  if (IsBracket(e) && list_elem) {
    size_t eq = e.find('=');
    std::string key = e.substr(1, eq - 1), want = e.substr(eq + 1, e.size() - eq - 2);
    bool matched = false;
    for (size_t k = 0; k < node.size(); ++k) {
      Object& item = node[k];
      bool hit = key.empty() ? (item.is_primitive() && ScalarText(item) == want)
                             : (item.is_object() && item.contains(key) &&
                                item[key].is_primitive() && ScalarText(item[key]) == want);
      if (!hit) continue;
      matched = true;
      RETURN_IF_ERROR(Walk(item, path, i + 1, create, lookup, visit, false));
    }
    if (matched || !create) return Status::Ok();
    Object item = key.empty() ? ResolveText(want) : Object::object();
    if (!key.empty()) item[key] = ResolveText(want);
    node.push_back(std::move(item));
    return Walk(node.back(), path, i + 1, create, lookup, visit, false);
  }
  if (e == "*") {
    for (auto& item : node) RETURN_IF_ERROR(Walk(item, path, i + 1, create, lookup, visit, false));
    return Status::Ok();
  }
  if (e == "-" && lookup) {  // the last item (never created, as in kyaml)
    if (node.empty()) return Status::Ok();
    return Walk(node.back(), path, i + 1, create, lookup, visit, false);
  }
  size_t idx = 0;
  if (node.is_array() && e.size() > 1 && e[0] == '-' && IsIndex(e.substr(1), &idx)) {
    return InvalidArgument("array index " + e + " cannot be negative");
  }
  if (node.is_array() && IsIndex(e, &idx)) {
    if (idx >= node.size()) return Status::Ok();
    return Walk(node[idx], path, i + 1, create, lookup, visit, false);
  }
  std::string field = IsBracket(e) ? e.substr(1, e.size() - 2) : e;
  if (node.is_null()) {
    if (!create) return Status::Ok();
    node = Object::object();
  }
  if (!node.is_object()) {
    return InvalidArgument(std::string("wrong node kind: expected MappingNode but got ") +
                           NodeKind(node) + ": node contents: " + node.dump());
  }
  auto it = node.find(field);
  if (it == node.end()) {
    if (!create) return Status::Ok();
    node[field] = child_init();
    return Walk(node[field], path, i + 1, create, lookup, visit, true);
  }
  return Walk(*it, path, i + 1, create, lookup, visit, false);
}

}  // namespace

std::vector<std::string> SplitFieldPath(std::string_view path) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : path) {
    if (c == '[') ++depth;
    if (c == ']' && depth > 0) --depth;
    if (c == '.' && depth == 0) {
      out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    cur += c;
  }
  out.push_back(std::move(cur));
  return out;
}

Status WalkPath(Object& root, const std::vector<std::string>& path, bool create,
                const std::function<Status(Object&, bool)>& visit) {
  return Walk(root, path, 0, create, false, visit, false);
}

Result<const Object*> LookupPath(const Object& root, const std::vector<std::string>& path) {
  const Object* found = nullptr;
  // The walk never mutates without `create`.
  RETURN_IF_ERROR(Walk(const_cast<Object&>(root), path, 0, false, true,
                       [&found](Object& n, bool) {
                         if (found == nullptr) found = &n;
                         return Status::Ok();
                       },
                       false));
  return found;
}

std::string ScalarText(const Object& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_number_float()) return yaml_internal::FormatGoFloat(v.get<double>());
  return v.dump();
}

Result<Object> RefineSourceValue(const Object& value, const FieldOptions& options) {
  if (options.delimiter.empty()) return value;
  if (value.is_object() || value.is_array()) {
    return InvalidArgument("delimiter option can only be used with scalar nodes");
  }
  std::string text = ScalarText(value);
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(options.delimiter, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + options.delimiter.size();
  }
  if (options.index < 0 || static_cast<size_t>(options.index) >= parts.size()) {
    return InvalidArgument("options.index " + std::to_string(options.index) +
                           " is out of bounds for value " + text);
  }
  // kyaml keeps the node's tag; a string source stays a string.
  if (value.is_string()) return Object(parts[static_cast<size_t>(options.index)]);
  return ResolveText(parts[static_cast<size_t>(options.index)]);
}

Status SetTargetValue(Object& target, bool created, const Object& value,
                      const FieldOptions& options) {
  bool target_scalar = !target.is_object() && !target.is_array();
  std::string text;
  bool use_text = !value.is_object() && !value.is_array();
  if (!options.delimiter.empty()) {
    if (!target_scalar) return InvalidArgument("delimiter option can only be used with scalar nodes");
    std::vector<std::string> parts;
    std::string current = ScalarText(target);
    size_t start = 0;
    while (true) {
      size_t at = current.find(options.delimiter, start);
      parts.push_back(current.substr(start, at == std::string::npos ? std::string::npos : at - start));
      if (at == std::string::npos) break;
      start = at + options.delimiter.size();
    }
    std::string v = ScalarText(value);
    if (options.index < 0) {
      parts.insert(parts.begin(), v);
    } else if (static_cast<size_t>(options.index) >= parts.size()) {
      parts.push_back(v);
    } else {
      parts[static_cast<size_t>(options.index)] = v;
    }
    for (size_t i = 0; i < parts.size(); ++i) text += (i ? options.delimiter : "") + parts[i];
    use_text = true;
  } else if (use_text) {
    text = ScalarText(value);
  }
  if (!target_scalar || !use_text) {
    target = value;  // kyaml swaps the node: the value keeps its own type
    return Status::Ok();
  }
  if (created) {
    target = ResolveText(text);
    return Status::Ok();
  }
  if (target.is_string()) {
    target = text;
    return Status::Ok();
  }
  std::string error;
  auto typed = yaml_internal::ResolveTaggedScalar(std::string("tag:yaml.org,2002:") + TagOf(target),
                                                  text, &error);
  if (!typed) return InvalidArgument(error);
  target = std::move(*typed);
  return Status::Ok();
}

}  // namespace gitopsd::kustomize::replacements_internal
