#include "diff/quantity.h"

#include <array>
#include <cctype>
#include <cstdint>

namespace gitopsd::diff {
namespace {

using u128 = unsigned __int128;

enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

// A parsed quantity: |value| = nanos * 1e-9, exactly.
struct Parsed {
  bool negative = false;
  u128 nanos = 0;
  Format format = Format::kDecimalSI;
  // Lexical pieces, for KeepsSpelling().
  std::string num;    // digits before the '.', leading zeros stripped (one kept)
  std::string denom;  // digits after the '.'
  int exp10 = 0;      // of the suffix
  int exp1024 = 0;    // of the suffix
};

constexpr u128 kMax = ~u128(0) / 1024;  // headroom for one more multiply

bool MulChecked(u128& v, u128 factor) {
  if (v != 0 && factor > kMax / v) return false;
  v *= factor;
  return true;
}

struct Suffix {
  int exp10 = 0;   // decimal exponent
  int exp1024 = 0; // binary exponent (power of 1024)
  Format format = Format::kDecimalSI;
};

std::optional<Suffix> ParseSuffix(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, int>, 6> kBin = {
      {{"Ki", 1}, {"Mi", 2}, {"Gi", 3}, {"Ti", 4}, {"Pi", 5}, {"Ei", 6}}};
  static constexpr std::array<std::pair<std::string_view, int>, 10> kDec = {
      {{"n", -9}, {"u", -6}, {"m", -3}, {"", 0}, {"k", 3}, {"M", 6}, {"G", 9}, {"T", 12},
       {"P", 15}, {"E", 18}}};
  for (const auto& [name, e] : kBin) {
    if (s == name) return Suffix{0, e, Format::kBinarySI};
  }
  for (const auto& [name, e] : kDec) {
    if (s == name) return Suffix{e, 0, Format::kDecimalSI};
  }
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view rest = s.substr(1);
    bool neg = false;
    if (rest[0] == '+' || rest[0] == '-') {
      neg = rest[0] == '-';
      rest.remove_prefix(1);
    }
    if (rest.empty() || rest.size() > 4) return std::nullopt;
    int e = 0;
    for (char c : rest) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      e = e * 10 + (c - '0');
    }
    return Suffix{neg ? -e : e, 0, Format::kDecimalExponent};
  }
  return std::nullopt;
}

std::optional<Parsed> Parse(std::string_view text) {
  Parsed p;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) p.negative = text[i++] == '-';
  std::string digits;
  int frac_len = 0;
  bool seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
      if (seen_dot) ++frac_len;
    } else {
      break;
    }
  }
  if (digits.empty()) return std::nullopt;
  auto suffix = ParseSuffix(text.substr(i));
  if (!suffix) return std::nullopt;
  p.format = suffix->format;
  p.exp10 = suffix->exp10;
  p.exp1024 = suffix->exp1024;
  p.num = digits.substr(0, digits.size() - static_cast<size_t>(frac_len));
  p.denom = digits.substr(digits.size() - static_cast<size_t>(frac_len));
  size_t lead = p.num.find_first_not_of('0');
  p.num = lead == std::string::npos ? (p.num.empty() ? "" : "0") : p.num.substr(lead);
  // value = digits * 10^(exp10 - frac_len) * 1024^exp1024; in nanos: +9.
  int shift = suffix->exp10 - frac_len + 9;
  size_t strip = shift < 0 ? static_cast<size_t>(-shift) : 0;
  bool round_up = false;
  if (strip >= digits.size()) {
    round_up = digits.find_first_not_of('0') != std::string::npos;
    digits = "0";
  } else if (strip > 0) {
    round_up = digits.find_first_not_of('0', digits.size() - strip) != std::string::npos;
    digits.resize(digits.size() - strip);
  }
  // Binary values beyond the API's maximum (2^63-1 units) are clamped to it,
  // as the server does; decimal ones are kept (up to our 2^118 nano range).
  constexpr u128 kMaxNanos = static_cast<u128>(INT64_MAX) * 1000000000u;
  bool ok = true;
  u128 v = 0;
  for (char c : digits) {
    ok = ok && MulChecked(v, 10);
    if (ok) v += static_cast<unsigned>(c - '0');
  }
  if (ok && round_up) ++v;  // the server rounds sub-nano precision up
  for (int k = 0; ok && k < shift; ++k) ok = MulChecked(v, 10);
  for (int k = 0; ok && k < suffix->exp1024; ++k) ok = MulChecked(v, 1024);
  bool binary = suffix->format == Format::kBinarySI;
  if (!ok && !binary) return std::nullopt;
  if (binary && (!ok || v > kMaxNanos)) v = kMaxNanos;
  p.nanos = v;
  return p;
}

// The API server returns a quantity exactly as written when its parser's
// fast path finds the spelling already canonical enough (apimachinery's
// ParseQuantity caches the input string): a small value without sub-nano
// digits whose decimal scale is a multiple of 3 and whose digits neither
// start with 0 nor end in 000; a small binary value not divisible by 8. So
// "+3", "1.500", "01Mi", "1e0" come back unchanged while "1.0" becomes "1".
bool KeepsSpelling(const Parsed& p) {
  std::string shifted = p.num + p.denom;
  if (shifted.empty()) return false;
  if (p.format == Format::kBinarySI) {
    if (!p.denom.empty()) return false;
    int precision = 15 - static_cast<int>(p.num.size()) - (p.exp1024 * 10 * 3 / 10) - 1;
    if (precision < 0) return false;
    u128 value = 0;
    for (char c : p.num) value = value * 10 + static_cast<unsigned>(c - '0');
    u128 result = value << (10 * p.exp1024);
    if (result > static_cast<u128>(INT64_MAX)) return false;
    return (value & 7) != 0;
  }
  if (18 - static_cast<int>(shifted.size()) < 0) return false;
  int scale = p.exp10 - static_cast<int>(p.denom.size());
  if (scale < -9 || scale % 3 != 0) return false;
  bool ends_000 = shifted.size() >= 3 && shifted.compare(shifted.size() - 3, 3, "000") == 0;
  return !ends_000 && shifted[0] != '0';
}

std::string ToString(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

std::string DecimalSuffix(int exp, Format format) {
  if (exp == 0) return "";
  if (format == Format::kDecimalSI) {
    switch (exp) {
      case -9: return "n";
      case -6: return "u";
      case -3: return "m";
      case 3: return "k";
      case 6: return "M";
      case 9: return "G";
      case 12: return "T";
      case 15: return "P";
      case 18: return "E";
      default: break;
    }
  }
  return "e" + std::to_string(exp);
}

std::string Canonical(const Parsed& p) {
  constexpr u128 kNano = 1000000000;
  if (p.nanos == 0) return "0";
  std::string sign = p.negative ? "-" : "";
  Format format = p.format;
  if (format == Format::kBinarySI && (p.nanos < 1024 * kNano || p.nanos % kNano != 0)) {
    format = Format::kDecimalSI;  // small or fractional: no binary suffix fits exactly
  }
  if (format == Format::kBinarySI) {
    static constexpr std::array<std::string_view, 7> kBin = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    u128 n = p.nanos / kNano;
    size_t e = 0;
    while (e + 1 < kBin.size() && n % 1024 == 0) {
      n /= 1024;
      ++e;
    }
    return sign + ToString(n) + std::string(kBin[e]);
  }
  u128 m = p.nanos;
  int exp = -9;
  while (m % 10 == 0) {
    m /= 10;
    ++exp;
  }
  while (exp % 3 != 0) {
    m *= 10;  // cannot overflow: we divided by at least as much above, or m < 10^9 * kMax
    --exp;
  }
  return sign + ToString(m) + DecimalSuffix(exp, format);
}

}  // namespace

std::optional<std::string> CanonicalQuantity(std::string_view text) {
  auto parsed = Parse(text);
  if (!parsed) return std::nullopt;
  if (parsed->nanos != 0 && KeepsSpelling(*parsed)) return std::string(text);
  return Canonical(*parsed);
}

std::optional<std::string> CanonicalQuantityValue(const Object& value) {
  if (value.is_string()) return CanonicalQuantity(std::string_view(value.get_ref<const std::string&>()));
  // nlohmann prints numbers in the shortest round-trip form ("2", "0.1", "1e+21").
  if (value.is_number()) return CanonicalQuantity(std::string_view(value.dump()));
  return std::nullopt;
}

}  // namespace gitopsd::diff
