#include "core/internal/yaml_scalar.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace gitopsd::yaml_internal {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";


int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Splits Go's base-0 prefix off `s` (no sign): returns the base and the digits.
int SplitBase(std::string_view& s) {
  if (s.size() >= 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') { s.remove_prefix(2); return 16; }
    if (p == 'o' || p == 'O') { s.remove_prefix(2); return 8; }
    if (p == 'b' || p == 'B') { s.remove_prefix(2); return 2; }
    s.remove_prefix(1);
    return 8;
  }
  return 10;
}

// Unsigned magnitude of a base-0 literal (no sign).
IntSyntax ParseMagnitude(std::string_view s, uint64_t* out) {
  if (s.empty()) return IntSyntax::kSyntax;
  int base = SplitBase(s);
  if (s.empty()) return IntSyntax::kSyntax;
  uint64_t v = 0;
  bool range = false;
  for (char c : s) {
    int d = DigitValue(c);
    if (d >= base) return IntSyntax::kSyntax;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / base) range = true;
    if (!range) v = v * base + static_cast<uint64_t>(d);
  }
  if (range) return IntSyntax::kRange;
  *out = v;
  return IntSyntax::kOk;
}

std::string RemoveUnderscores(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  for (char c : s) {
    if (c != '_') r.push_back(c);
  }
  return r;
}

// yaml's resolve() for strings starting with a digit or a sign: true when
// the text is an int (any size if `big_ints`), a float or a timestamp.
enum class Kind { kString, kInt, kUint, kFloat, kTimestamp };

Kind ClassifyNumeric(std::string_view in, bool big_ints, int64_t* i, uint64_t* u, double* f) {
  if (NormalizeTimestamp(in)) return Kind::kTimestamp;
  std::string plain = RemoveUnderscores(in);
  if (ParseGoInt(plain, i) == IntSyntax::kOk) return Kind::kInt;
  IntSyntax us = ParseGoUint(plain, u);
  if (us == IntSyntax::kOk) return Kind::kUint;
  if (ParseYamlFloat(plain, f)) return Kind::kFloat;
  if (big_ints && us == IntSyntax::kRange) return Kind::kInt;
  return Kind::kString;
}

bool IsYaml12Bool(std::string_view s, bool* value) {
  if (s == "true" || s == "True" || s == "TRUE") { *value = true; return true; }
  if (s == "false" || s == "False" || s == "FALSE") { *value = false; return true; }
  return false;
}

bool IsNullSpelling(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool SpecialFloat(std::string_view s, double* out) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") { *out = std::nan(""); return true; }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF") {
    *out = kInf;
    return true;
  }
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") { *out = -kInf; return true; }
  return false;
}

// v2's YAML 1.1 booleans on top of the 1.2 ones.
bool IsYaml11Bool(std::string_view s) {
  static constexpr std::array<std::string_view, 16> kWords = {
      "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
      "n", "N", "no", "No", "NO", "off", "Off", "OFF"};
  bool unused = false;
  if (IsYaml12Bool(s, &unused)) return true;
  for (std::string_view w : kWords) {
    if (s == w) return true;
  }
  return false;
}

bool DecodeBase64(std::string_view in, std::string* out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : in) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') { ++pad; continue; }
    int v = value(c);
    if (v < 0 || pad > 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return pad <= 2;
}

}  // namespace

IntSyntax ParseGoInt(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t mag = 0;
  IntSyntax st = ParseMagnitude(s, &mag);
  if (st != IntSyntax::kOk) return st;
  constexpr uint64_t kMaxPos = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (!neg && mag > kMaxPos) return IntSyntax::kRange;
  if (neg && mag > kMaxPos + 1) return IntSyntax::kRange;
  *out = neg ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
  return IntSyntax::kOk;
}

IntSyntax ParseGoUint(std::string_view s, uint64_t* out) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) return IntSyntax::kSyntax;
  return ParseMagnitude(s, out);
}

bool ParseYamlFloat(std::string_view s, double* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
    // `[0-9]+(\.[0-9]*)?` or `\.[0-9]+`
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  std::string text(s[0] == '+' ? s.substr(1) : s);
  errno = 0;
  double v = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(v)) return false;  // Go: ErrRange on overflow
  *out = v;
  return true;
}

Object ResolvePlainScalar(std::string_view s) {
  if (s.empty()) return Object(std::string());
  char c = s[0];
  if (c == 't' || c == 'T' || c == 'f' || c == 'F') {
    bool b = false;
    if (IsYaml12Bool(s, &b)) return Object(b);
  } else if (c == 'n' || c == 'N' || c == '~') {
    if (IsNullSpelling(s)) return Object(nullptr);
  } else if (c == '.' || c == '+' || c == '-' || IsDigit(c)) {
    double f = 0;
    if (SpecialFloat(s, &f)) return Object(f);
    if (c == '.') {
      if (ParseYamlFloat(s, &f)) return Object(f);
      return Object(std::string(s));
    }
    int64_t i = 0;
    uint64_t u = 0;
    switch (ClassifyNumeric(s, false, &i, &u, &f)) {
      case Kind::kTimestamp: return Object(*NormalizeTimestamp(s));
      case Kind::kInt: return Object(i);
      case Kind::kUint: return Object(u);
      case Kind::kFloat: return Object(f);
      case Kind::kString: break;
    }
  }
  return Object(std::string(s));
}

std::optional<Object> ResolveTaggedScalar(std::string_view tag, std::string_view s,
                                          std::string* error_message) {
  if (tag.substr(0, kTagPrefix.size()) != kTagPrefix) return Object(std::string(s));
  std::string_view kind = tag.substr(kTagPrefix.size());
  if (kind == "str") return Object(std::string(s));
  if (kind == "binary") {
    std::string decoded;
    if (!DecodeBase64(s, &decoded)) {
      *error_message = "!!binary value contains invalid base64 data";
      return std::nullopt;
    }
    return Object(std::move(decoded));
  }
  if (kind == "timestamp") {
    if (auto t = NormalizeTimestamp(s)) return Object(std::move(*t));
  }
  Object v = IsNullSpelling(s) ? Object(nullptr) : ResolvePlainScalar(s);
  bool fits = (kind == "int" && v.is_number_integer()) ||
              (kind == "float" && v.is_number()) || (kind == "bool" && v.is_boolean()) ||
              (kind == "null" && v.is_null());
  if (kind == "float" && v.is_number_integer()) v = Object(v.get<double>());
  if (kind == "map" || kind == "seq" || kind == "merge") fits = false;
  if (kind != "int" && kind != "float" && kind != "bool" && kind != "null" && kind != "map" &&
      kind != "seq" && kind != "merge" && kind != "timestamp") {
    return Object(std::string(s));  // unknown yaml.org tag: keep the text
  }
  if (!fits) {
    *error_message = "cannot decode `" + std::string(s) + "` as a !!" + std::string(kind);
    return std::nullopt;
  }
  return v;
}

bool ResolvesToNonStringV2(std::string_view s) {
  if (s.empty()) return true;  // null
  char c = s[0];
  switch (c) {
    case 'y': case 'Y': case 'n': case 'N': case 't': case 'T':
    case 'f': case 'F': case 'o': case 'O':
      return IsYaml11Bool(s) || IsNullSpelling(s);
    case '~':
      return s.size() == 1;
    case '.': {
      double f = 0;
      return SpecialFloat(s, &f) || ParseYamlFloat(s, &f);
    }
    case '+': case '-': {
      double f = 0;
      if (SpecialFloat(s, &f)) return true;
      break;
    }
    default:
      if (!IsDigit(c)) return false;
  }
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
  if (ClassifyNumeric(s, true, &i, &u, &f) != Kind::kString) return true;
  // yaml.v2 also quotes YAML 1.1 base-60 floats such as 1:20 or 190:20:30.
  if (s.find(':') == std::string_view::npos) return false;
  size_t p = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (p >= s.size() || !IsDigit(s[p])) return false;
  while (p < s.size() && (IsDigit(s[p]) || s[p] == '_')) ++p;
  bool groups = false;
  while (p < s.size() && s[p] == ':') {
    ++p;
    size_t start = p;
    while (p < s.size() && IsDigit(s[p]) && p - start < 2) ++p;
    if (p == start) return false;
    if (p - start == 2 && s[start] > '5') return false;
    groups = true;
  }
  if (!groups) return false;
  if (p < s.size() && s[p] == '.') {
    ++p;
    while (p < s.size() && (IsDigit(s[p]) || s[p] == '_')) ++p;
  }
  return p == s.size();
}

namespace {

// Shortest round-trip decimal digits of |v| (v finite, non-zero) and the
// decimal exponent of the first digit: v = 0.d1d2... * 10^(exp + 1).
void ShortestDigits(double v, std::string* digits, int* exp) {
  std::array<char, 64> buf{};
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), std::fabs(v),
                           std::chars_format::scientific);
  std::string_view sci(buf.data(), static_cast<size_t>(res.ptr - buf.data()));
  size_t e = sci.find('e');
  digits->clear();
  for (char ch : sci.substr(0, e)) {
    if (ch != '.') digits->push_back(ch);
  }
  *exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), *exp);
}

}  // namespace

std::string FormatGoFloat(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  std::string digits;
  int exp = 0;
  ShortestDigits(v, &digits, &exp);
  std::string out;
  if (v < 0) out.push_back('-');
  int nd = static_cast<int>(digits.size());
  if (exp < -4 || exp >= 6) {  // Go's %e choice for shortest 'g'
    out.push_back(digits[0]);
    if (nd > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    int ax = exp < 0 ? -exp : exp;
    if (ax < 10) out.push_back('0');
    out += std::to_string(ax);
    return out;
  }
  int dp = exp + 1;  // digits before the decimal point
  if (dp <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-dp), '0');
    out += digits;
  } else if (dp >= nd) {
    out += digits;
    out.append(static_cast<size_t>(dp - nd), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(dp));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(dp));
  }
  return out;
}

void AppendNumber(const Object& number, std::string& out) {
  std::array<char, 32> buf{};
  if (number.is_number_unsigned()) {
    auto r = std::to_chars(buf.data(), buf.data() + buf.size(), number.get<uint64_t>());
    out.append(buf.data(), r.ptr);
    return;
  }
  if (number.is_number_integer()) {
    auto r = std::to_chars(buf.data(), buf.data() + buf.size(), number.get<int64_t>());
    out.append(buf.data(), r.ptr);
    return;
  }
  double v = number.get<double>();
  // Go's JSON encoder prints an integral double below 1e21 as its shortest
  // digits padded with zeros (-2^63 -> -9223372036854776000); yaml.v2 then
  // reads that text back as an int when it fits 64 bits, else as a float.
  if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 1e21) {
    if (v == 0) {
      out.push_back('0');
      return;
    }
    std::string text;
    int exp = 0;
    ShortestDigits(v, &text, &exp);
    if (static_cast<int>(text.size()) < exp + 1) text.append(static_cast<size_t>(exp + 1) - text.size(), '0');
    if (v < 0) text.insert(text.begin(), '-');
    int64_t i = 0;
    uint64_t u = 0;
    if (ParseGoInt(text, &i) == IntSyntax::kOk || ParseGoUint(text, &u) == IntSyntax::kOk) {
      out += text;
      return;
    }
  }
  out += FormatGoFloat(v);
}

}  // namespace gitopsd::yaml_internal
