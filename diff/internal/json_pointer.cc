#include "diff/internal/json_pointer.h"

#include <charconv>

namespace gitopsd::diff::internal {
namespace {

bool ParseIndex(const std::string& token, size_t* index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), *index);
  return ec == std::errc() && ptr == token.data() + token.size();
}

int RemoveFrom(Object& node, const std::vector<std::string>& tokens, size_t at) {
  const std::string& token = tokens[at];
  bool last = at + 1 == tokens.size();
  int removed = 0;
  if (node.is_object()) {
    if (token == "*") {
      for (auto it = node.begin(); it != node.end();) {
        if (last) {
          it = node.erase(it);
          ++removed;
        } else {
          removed += RemoveFrom(*it, tokens, at + 1);
          ++it;
        }
      }
      return removed;
    }
    auto it = node.find(token);
    if (it == node.end()) return 0;
    if (last) {
      node.erase(it);
      return 1;
    }
    return RemoveFrom(*it, tokens, at + 1);
  }
  if (node.is_array()) {
    if (token == "*") {
      if (last) {
        removed = static_cast<int>(node.size());
        node = Object::array();
        return removed;
      }
      for (auto& item : node) removed += RemoveFrom(item, tokens, at + 1);
      return removed;
    }
    size_t index = 0;
    if (!ParseIndex(token, &index) || index >= node.size()) return 0;
    if (last) {
      node.erase(index);
      return 1;
    }
    return RemoveFrom(node[index], tokens, at + 1);
  }
  return 0;
}

}  // namespace

Result<std::vector<std::string>> ParsePointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') {
    return InvalidArgument("JSON pointer \"" + std::string(pointer) + "\" must start with '/'");
  }
  std::string cur;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(cur));
      cur.clear();
    } else if (pointer[i] == '~') {
      char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return InvalidArgument("JSON pointer \"" + std::string(pointer) +
                               "\": '~' must be followed by 0 or 1");
      }
      cur.push_back(next == '0' ? '~' : '/');
      ++i;
    } else {
      cur.push_back(pointer[i]);
    }
  }
  return tokens;
}

std::string EscapeToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

int RemoveAt(Object& doc, const std::vector<std::string>& tokens) {
  if (tokens.empty()) {
    doc = nullptr;
    return 1;
  }
  return RemoveFrom(doc, tokens, 0);
}

}  // namespace gitopsd::diff::internal
