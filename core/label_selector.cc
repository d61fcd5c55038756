// Label selector parsing (string and metav1.LabelSelector forms) and matching.
#include "core/label_selector.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace gitopsd {
namespace {

using Op = LabelRequirement::Op;

enum class Tok { kEnd, kIdent, kNot, kEq, kDoubleEq, kNotEq, kIn, kNotIn, kOpen, kClose, kComma, kGt, kLt };

struct Token {
  Tok kind;
  std::string text;
};

bool IsSpecial(char c) {
  return c == ',' || c == '=' || c == '!' || c == '(' || c == ')' || c == '<' || c == '>' ||
         std::isspace(static_cast<unsigned char>(c));
}

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (s.substr(i, 2) == "==") {
      out.push_back({Tok::kDoubleEq, "=="}), i += 2;
    } else if (s.substr(i, 2) == "!=") {
      out.push_back({Tok::kNotEq, "!="}), i += 2;
    } else if (c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<') {
      static const std::string_view kChars = "=!(),><";
      static const Tok kKinds[] = {Tok::kEq, Tok::kNot, Tok::kOpen, Tok::kClose,
                                   Tok::kComma, Tok::kGt, Tok::kLt};
      out.push_back({kKinds[kChars.find(c)], std::string(1, c)}), ++i;
    } else {
      size_t start = i;
      while (i < s.size() && !IsSpecial(s[i])) ++i;
      std::string word(s.substr(start, i - start));
      Tok kind = word == "in" ? Tok::kIn : word == "notin" ? Tok::kNotIn : Tok::kIdent;
      out.push_back({kind, std::move(word)});
    }
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters.
bool IsQualifiedNamePart(std::string_view s) {
  if (s.empty() || s.size() > 63 || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// RFC 1123 subdomain: lowercase alnum, '-', '.', at most 253 characters.
bool IsDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  auto ok_end = [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); };
  if (!ok_end(s.front()) || !ok_end(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return ok_end(c) || c == '-' || c == '.'; });
}

std::optional<std::string> LabelString(const Object& labels, const std::string& key) {
  if (!labels.is_object()) return std::nullopt;
  auto it = labels.find(key);
  if (it == labels.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_null()) return std::string();
  return it->dump();
}

class Parser {
 public:
  explicit Parser(std::string_view text) : toks_(Lex(text)) {}

  Result<std::vector<LabelRequirement>> Parse() {
    std::vector<LabelRequirement> reqs;
    if (Peek().kind == Tok::kEnd) return reqs;
    while (true) {
      ASSIGN_OR_RETURN(LabelRequirement r, Requirement());
      reqs.push_back(std::move(r));
      Token t = Next();
      if (t.kind == Tok::kEnd) return reqs;
      if (t.kind != Tok::kComma) return Unexpected(t, "',' or end of string");
    }
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  Token Next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }

  static Status Unexpected(const Token& t, std::string_view expected) {
    std::string found = t.kind == Tok::kEnd ? "end of string" : "'" + t.text + "'";
    return InvalidArgument("unable to parse requirement: found " + found + ", expected: " +
                           std::string(expected));
  }

  Result<LabelRequirement> Requirement() {
    LabelRequirement r;
    Token t = Next();
    if (t.kind == Tok::kNot) {
      r.op = Op::kDoesNotExist;
      t = Next();
    }
    if (t.kind != Tok::kIdent) return Unexpected(t, "identifier");
    RETURN_IF_ERROR(ValidateLabelKey(t.text));
    r.key = t.text;
    if (r.op == Op::kDoesNotExist) return r;
    Token op = Peek();
    if (op.kind == Tok::kEnd || op.kind == Tok::kComma) {
      r.op = Op::kExists;
      return r;
    }
    Next();
    switch (op.kind) {
      case Tok::kEq:
      case Tok::kDoubleEq:
      case Tok::kNotEq:
      case Tok::kGt:
      case Tok::kLt:
        r.op = op.kind == Tok::kNotEq ? Op::kNotEquals
               : op.kind == Tok::kGt  ? Op::kGreaterThan
               : op.kind == Tok::kLt  ? Op::kLessThan
                                      : Op::kEquals;
        RETURN_IF_ERROR(SingleValue(r));
        return r;
      case Tok::kIn:
      case Tok::kNotIn:
        r.op = op.kind == Tok::kIn ? Op::kIn : Op::kNotIn;
        RETURN_IF_ERROR(ValueSet(r));
        return r;
      default:
        return Unexpected(op, "'=', '!=', '==', 'in', 'notin', '>' or '<'");
    }
  }

  Status SingleValue(LabelRequirement& r) {
    std::string value;
    if (Peek().kind == Tok::kIdent || Peek().kind == Tok::kIn || Peek().kind == Tok::kNotIn) {
      value = Next().text;
    } else if (Peek().kind != Tok::kEnd && Peek().kind != Tok::kComma) {
      return Unexpected(Peek(), "identifier");
    }
    if (r.op == Op::kGreaterThan || r.op == Op::kLessThan) {
      long long n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || p != value.data() + value.size()) {
        return InvalidArgument("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
      }
    } else {
      RETURN_IF_ERROR(ValidateLabelValue(value));
    }
    r.values = {value};
    return Status::Ok();
  }

  Status ValueSet(LabelRequirement& r) {
    Token open = Next();
    if (open.kind != Tok::kOpen) return Unexpected(open, "'('");
    while (true) {
      Token t = Next();
      if (t.kind == Tok::kClose && r.values.empty()) {
        return InvalidArgument(
            "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty");
      }
      std::string value;
      if (t.kind == Tok::kIdent || t.kind == Tok::kIn || t.kind == Tok::kNotIn) {
        value = t.text;
        t = Next();
      }
      RETURN_IF_ERROR(ValidateLabelValue(value));
      r.values.push_back(value);
      if (t.kind == Tok::kClose) break;
      if (t.kind != Tok::kComma) return Unexpected(t, "',' or ')'");
    }
    std::sort(r.values.begin(), r.values.end());
    r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
    return Status::Ok();
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
};

std::string OpText(Op op) {
  switch (op) {
    case Op::kEquals: return "=";
    case Op::kNotEquals: return "!=";
    case Op::kIn: return " in ";
    case Op::kNotIn: return " notin ";
    case Op::kGreaterThan: return ">";
    case Op::kLessThan: return "<";
    default: return "";
  }
}

}  // namespace

Status ValidateLabelKey(std::string_view key) {
  auto slash = key.find('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  if (slash != std::string_view::npos && !IsDnsSubdomain(key.substr(0, slash))) {
    return InvalidArgument("invalid label key \"" + std::string(key) +
                           "\": prefix part must be a lowercase RFC 1123 subdomain");
  }
  if (!IsQualifiedNamePart(name)) {
    return InvalidArgument("invalid label key \"" + std::string(key) +
                           "\": name part must consist of alphanumeric characters, '-', '_' or "
                           "'.', start and end with an alphanumeric character, and be at most 63 "
                           "characters");
  }
  return Status::Ok();
}

Status ValidateLabelValue(std::string_view value) {
  if (value.empty() || IsQualifiedNamePart(value)) return Status::Ok();
  return InvalidArgument("invalid label value: \"" + std::string(value) +
                         "\": a valid label must be an empty string or consist of alphanumeric "
                         "characters, '-', '_' or '.', and must start and end with an alphanumeric "
                         "character (at most 63 characters)");
}

bool LabelRequirement::Matches(const Object& labels) const {
  std::optional<std::string> v = LabelString(labels, key);
  auto in_values = [&] { return v && std::find(values.begin(), values.end(), *v) != values.end(); };
  switch (op) {
    case Op::kEquals:
    case Op::kIn:
      return in_values();
    case Op::kNotEquals:
    case Op::kNotIn:
      return !in_values();
    case Op::kExists:
      return v.has_value();
    case Op::kDoesNotExist:
      return !v.has_value();
    case Op::kGreaterThan:
    case Op::kLessThan: {
      if (!v || values.empty()) return false;
      long long have = 0, want = 0;
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), have);
      if (ec != std::errc() || p != v->data() + v->size()) return false;
      std::from_chars(values[0].data(), values[0].data() + values[0].size(), want);
      return op == Op::kGreaterThan ? have > want : have < want;
    }
  }
  return false;
}

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  ASSIGN_OR_RETURN(auto reqs, Parser(text).Parse());
  LabelSelector s;
  s.requirements_ = std::move(reqs);
  return s;
}

Result<LabelSelector> LabelSelector::FromObject(const Object& selector) {
  LabelSelector s;
  if (selector.is_null()) return s;
  if (!selector.is_object()) return InvalidArgument("label selector is not a mapping");
  if (auto it = selector.find("matchLabels"); it != selector.end() && !it->is_null()) {
    if (!it->is_object()) return InvalidArgument("matchLabels is not a mapping");
    for (const auto& [k, v] : it->items()) {
      RETURN_IF_ERROR(ValidateLabelKey(k));
      std::string value = v.is_string() ? v.get<std::string>() : v.dump();
      RETURN_IF_ERROR(ValidateLabelValue(value));
      s.requirements_.push_back({k, Op::kEquals, {value}});
    }
  }
  if (auto it = selector.find("matchExpressions"); it != selector.end() && !it->is_null()) {
    if (!it->is_array()) return InvalidArgument("matchExpressions is not a list");
    for (const auto& e : *it) {
      std::string key = e.is_object() && e.contains("key") && e["key"].is_string() ? e["key"].get<std::string>() : "";
      std::string op = e.is_object() && e.contains("operator") && e["operator"].is_string() ? e["operator"].get<std::string>() : "";
      RETURN_IF_ERROR(ValidateLabelKey(key));
      LabelRequirement r{key, Op::kIn, {}};
      if (e.contains("values") && e["values"].is_array()) {
        for (const auto& v : e["values"]) r.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      }
      if (op == "In" || op == "NotIn") {
        r.op = op == "In" ? Op::kIn : Op::kNotIn;
        if (r.values.empty()) return InvalidArgument("matchExpressions: values must be non-empty for " + op);
      } else if (op == "Exists" || op == "DoesNotExist") {
        r.op = op == "Exists" ? Op::kExists : Op::kDoesNotExist;
        if (!r.values.empty()) return InvalidArgument("matchExpressions: values must be empty for " + op);
      } else {
        return InvalidArgument("matchExpressions: \"" + op + "\" is not a valid label selector operator");
      }
      s.requirements_.push_back(std::move(r));
    }
  }
  return s;
}

bool LabelSelector::Matches(const Object& labels) const {
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const LabelRequirement& r) { return r.Matches(labels); });
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  Object obj = Object::object();
  for (const auto& [k, v] : labels) obj[k] = v;
  return Matches(obj);
}

bool LabelSelector::MatchesObjectLabels(const Object& obj) const {
  const Object* labels = FindPath(obj, "metadata.labels");
  return Matches(labels ? *labels : Object());
}

std::string LabelSelector::ToString() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ',';
    if (r.op == Op::kDoesNotExist) out += '!';
    out += r.key + OpText(r.op);
    if (r.op == Op::kIn || r.op == Op::kNotIn) {
      out += '(';
      for (size_t i = 0; i < r.values.size(); ++i) out += (i ? "," : "") + r.values[i];
      out += ')';
    } else if (!r.values.empty()) {
      out += r.values[0];
    }
  }
  return out;
}

}  // namespace gitopsd
