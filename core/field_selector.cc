// Field selector parsing and matching.
#include "core/field_selector.h"

#include <algorithm>

namespace gitopsd {
namespace {

// Splits on `sep` not preceded by a backslash escape.
std::vector<std::string> SplitUnescaped(std::string_view s, char sep) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      parts.back() += s.substr(i, 2);
      ++i;
    } else if (s[i] == sep) {
      parts.emplace_back();
    } else {
      parts.back() += s[i];
    }
  }
  return parts;
}

Result<std::string> Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      if (s[i] == '=' || s[i] == ',') {
        return InvalidArgument("invalid field selector value \"" + std::string(s) +
                               "\": unescaped '" + std::string(1, s[i]) + "'");
      }
      out += s[i];
      continue;
    }
    if (i + 1 >= s.size() || (s[i + 1] != '\\' && s[i + 1] != ',' && s[i + 1] != '=')) {
      return InvalidArgument("invalid field selector value \"" + std::string(s) +
                             "\": invalid escape sequence");
    }
    out += s[++i];
  }
  return out;
}

// Position of the first unescaped operator in a term.
size_t FindOperator(std::string_view term, size_t* op_len, bool* not_equals) {
  for (size_t i = 0; i < term.size(); ++i) {
    if (term[i] == '\\') {
      ++i;
      continue;
    }
    if (term.substr(i, 2) == "!=" || term.substr(i, 2) == "==") {
      *op_len = 2;
      *not_equals = term[i] == '!';
      return i;
    }
    if (term[i] == '=') {
      *op_len = 1;
      *not_equals = false;
      return i;
    }
  }
  return std::string_view::npos;
}

std::string FieldString(const Object& obj, const std::string& field) {
  const Object* v = FindPath(obj, field);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_primitive()) return v->dump();
  return "";
}

}  // namespace

Result<FieldSelector> FieldSelector::Parse(std::string_view text) {
  FieldSelector s;
  if (text.find_first_not_of(" \t") == std::string_view::npos) return s;
  for (const std::string& term : SplitUnescaped(text, ',')) {
    size_t op_len = 0;
    bool not_equals = false;
    size_t at = FindOperator(term, &op_len, &not_equals);
    if (at == std::string_view::npos || at == 0) {
      return InvalidArgument("invalid selector: '" + std::string(text) + "'; can't understand '" +
                             term + "'");
    }
    FieldRequirement r;
    r.field = term.substr(0, at);
    r.not_equals = not_equals;
    ASSIGN_OR_RETURN(r.value, Unescape(std::string_view(term).substr(at + op_len)));
    s.requirements_.push_back(std::move(r));
  }
  return s;
}

bool FieldSelector::Matches(const Object& obj) const {
  return std::all_of(requirements_.begin(), requirements_.end(), [&](const FieldRequirement& r) {
    return (FieldString(obj, r.field) == r.value) != r.not_equals;
  });
}

Status FieldSelector::ValidateFields(const std::vector<std::string>& supported) const {
  for (const auto& r : requirements_) {
    if (std::find(supported.begin(), supported.end(), r.field) == supported.end()) {
      return InvalidArgument("field label not supported: " + r.field);
    }
  }
  return Status::Ok();
}

}  // namespace gitopsd
