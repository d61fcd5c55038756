// JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
#include "core/patch.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace gitopsd {
namespace {

// Deep equality where mapping key order does not matter.
bool JsonEqual(const Object& a, const Object& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a.items()) {
      auto it = b.find(k);
      if (it == b.end() || !JsonEqual(v, *it)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!JsonEqual(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

Result<std::vector<std::string>> ParsePointer(const std::string& ptr) {
  std::vector<std::string> tokens;
  if (ptr.empty()) return tokens;
  if (ptr[0] != '/') return InvalidArgument("JSON pointer must be empty or start with '/'");
  size_t pos = 1;
  while (true) {
    size_t next = ptr.find('/', pos);
    std::string raw = ptr.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token += raw[i];
      } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        return InvalidArgument("invalid escape '~' in JSON pointer");
      }
    }
    tokens.push_back(std::move(token));
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return tokens;
}

// Parses an array index; `size` allowed only when `allow_end`.
Result<size_t> ParseIndex(const std::string& token, size_t size, bool allow_end) {
  size_t idx = 0;
  bool digits = !token.empty() && (token == "0" || token[0] != '0');
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), idx);
  if (!digits || ec != std::errc() || p != token.data() + token.size()) {
    return InvalidArgument("invalid array index \"" + token + "\"");
  }
  if (idx > size || (idx == size && !allow_end)) {
    return InvalidArgument("array index " + token + " out of bounds (length " +
                           std::to_string(size) + ")");
  }
  return idx;
}

// The node a pointer names, or an error naming the first missing step.
Result<Object*> Resolve(Object& doc, const std::vector<std::string>& tokens, size_t count) {
  Object* cur = &doc;
  for (size_t i = 0; i < count; ++i) {
    const std::string& t = tokens[i];
    if (cur->is_object()) {
      auto it = cur->find(t);
      if (it == cur->end()) return NotFound("missing key \"" + t + "\"");
      cur = &*it;
    } else if (cur->is_array()) {
      ASSIGN_OR_RETURN(size_t idx, ParseIndex(t, cur->size(), false));
      cur = &(*cur)[idx];
    } else {
      return NotFound("\"" + t + "\" is under a scalar");
    }
  }
  return cur;
}

Status Add(Object& doc, const std::vector<std::string>& tokens, Object value) {
  if (tokens.empty()) {
    doc = std::move(value);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(Object * parent, Resolve(doc, tokens, tokens.size() - 1));
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    (*parent)[last] = std::move(value);
  } else if (parent->is_array()) {
    if (last == "-") {
      parent->push_back(std::move(value));
    } else {
      ASSIGN_OR_RETURN(size_t idx, ParseIndex(last, parent->size(), true));
      parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(idx), std::move(value));
    }
  } else {
    return NotFound("parent of \"" + last + "\" is a scalar");
  }
  return Status::Ok();
}

Result<Object> Remove(Object& doc, const std::vector<std::string>& tokens) {
  if (tokens.empty()) {
    Object old = std::move(doc);
    doc = nullptr;
    return old;
  }
  ASSIGN_OR_RETURN(Object * parent, Resolve(doc, tokens, tokens.size() - 1));
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    auto it = parent->find(last);
    if (it == parent->end()) return NotFound("missing key \"" + last + "\"");
    Object old = std::move(*it);
    parent->erase(it);
    return old;
  }
  if (parent->is_array()) {
    ASSIGN_OR_RETURN(size_t idx, ParseIndex(last, parent->size(), false));
    Object old = std::move((*parent)[idx]);
    parent->erase(parent->begin() + static_cast<std::ptrdiff_t>(idx));
    return old;
  }
  return NotFound("parent of \"" + last + "\" is a scalar");
}

Result<std::vector<std::string>> PointerField(const Object& op, const char* field) {
  auto it = op.find(field);
  if (it == op.end() || !it->is_string()) {
    return InvalidArgument(std::string("missing string field \"") + field + "\"");
  }
  return ParsePointer(it->get<std::string>());
}

Result<Object> ValueField(const Object& op) {
  auto it = op.find("value");
  if (it == op.end()) return InvalidArgument("missing field \"value\"");
  return *it;
}

bool IsPrefix(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() < b.size() && std::equal(a.begin(), a.end(), b.begin());
}

Status ApplyOne(Object& doc, const Object& op, const std::string& name) {
  ASSIGN_OR_RETURN(auto path, PointerField(op, "path"));
  if (name == "add") {
    ASSIGN_OR_RETURN(Object value, ValueField(op));
    return Add(doc, path, std::move(value));
  }
  if (name == "remove") return Remove(doc, path).status();
  if (name == "replace") {
    ASSIGN_OR_RETURN(Object value, ValueField(op));
    ASSIGN_OR_RETURN(Object * node, Resolve(doc, path, path.size()));
    *node = std::move(value);
    return Status::Ok();
  }
  if (name == "test") {
    ASSIGN_OR_RETURN(Object value, ValueField(op));
    ASSIGN_OR_RETURN(Object * node, Resolve(doc, path, path.size()));
    if (!JsonEqual(*node, value)) {
      return FailedPrecondition("test failed: value is " + node->dump() + ", want " + value.dump());
    }
    return Status::Ok();
  }
  if (name == "move" || name == "copy") {
    ASSIGN_OR_RETURN(auto from, PointerField(op, "from"));
    if (name == "move" && IsPrefix(from, path)) {
      return InvalidArgument("cannot move a value into one of its children");
    }
    Object value;
    if (name == "move") {
      ASSIGN_OR_RETURN(value, Remove(doc, from).WithContext("from"));
    } else {
      ASSIGN_OR_RETURN(Object * node, Resolve(doc, from, from.size()).WithContext("from"));
      value = *node;
    }
    return Add(doc, path, std::move(value));
  }
  return InvalidArgument("unknown op \"" + name + "\"");
}

}  // namespace

Status ApplyMergePatch(Object& target, const Object& patch) {
  if (!patch.is_object()) {
    target = patch;
    return Status::Ok();
  }
  if (!target.is_object()) target = Object::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      target.erase(key);
      continue;
    }
    RETURN_IF_ERROR(ApplyMergePatch(target[key], value));
  }
  return Status::Ok();
}

Status ApplyJsonPatch(Object& target, const Object& ops) {
  if (!ops.is_array()) return InvalidArgument("json patch must be a list of operations");
  Object doc = target;
  for (size_t i = 0; i < ops.size(); ++i) {
    const Object& op = ops[i];
    std::string where = "json patch op " + std::to_string(i);
    if (!op.is_object()) return InvalidArgument(where + ": operation is not a mapping");
    std::string name = op.contains("op") && op["op"].is_string() ? op["op"].get<std::string>() : "";
    std::string path = op.contains("path") && op["path"].is_string()
                           ? op["path"].get<std::string>() : "";
    Status st = ApplyOne(doc, op, name);
    if (!st.ok()) return st.WithContext(where + " (" + name + " " + path + ")");
  }
  target = std::move(doc);
  return Status::Ok();
}

}  // namespace gitopsd
