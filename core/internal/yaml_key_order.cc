// NaturalKeyLess (yaml_emitter.h): go-yaml v2's mapping key order.
#include <cstdint>
#include <string>

#include "core/internal/yaml_emitter.h"
#include "core/internal/yaml_text.h"

namespace gitopsd::yaml_internal {
namespace {

bool IsAsciiLetter(char32_t r) { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }

// unicode.IsLetter, approximated outside ASCII: symbol and punctuation
// blocks are not letters, everything else is.
bool IsLetterRune(char32_t r) {
  if (r < 0x80) return IsAsciiLetter(r);
  if (r < 0xC0) return r == 0xAA || r == 0xB5 || r == 0xBA;
  if (r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;
  if (r >= 0x3000 && r <= 0x303F) return false;
  if (r >= 0xFE30 && r <= 0xFE4F) return false;
  if (r >= 0xFF00 && r <= 0xFF20) return false;
  if (r >= 0x1F000 && r <= 0x1FAFF) return false;
  return true;
}

bool IsDigitRune(char32_t r) { return r >= '0' && r <= '9'; }

std::u32string Runes(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t w = CharWidth(s, i);
    out.push_back(DecodeRune(s, i, w));
    i += w;
  }
  return out;
}

}  // namespace

namespace {

// go-yaml v2's keyList.Less on two sequences of code points.
template <typename Seq>
bool NaturalLess(const Seq& ar, const Seq& br) {
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    char32_t x = static_cast<char32_t>(ar[i]), y = static_cast<char32_t>(br[i]);
    if (x == y) continue;
    bool al = IsLetterRune(x), bl = IsLetterRune(y);
    if (al && bl) return x < y;
    if (al || bl) return bl;
    uint64_t an = 0, bn = 0;
    if (x == '0' || y == '0') {
      for (size_t j = i; j-- > 0 && IsDigitRune(static_cast<char32_t>(ar[j]));) {
        if (ar[j] != '0') {
          an = bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < ar.size() && IsDigitRune(static_cast<char32_t>(ar[ai])); ++ai) {
      an = an * 10 + static_cast<uint64_t>(ar[ai] - '0');
    }
    for (; bi < br.size() && IsDigitRune(static_cast<char32_t>(br[bi])); ++bi) {
      bn = bn * 10 + static_cast<uint64_t>(br[bi] - '0');
    }
    if (an != bn) return static_cast<int64_t>(an) < static_cast<int64_t>(bn);
    if (ai != bi) return ai < bi;
    return x < y;
  }
  return ar.size() < br.size();
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

bool NaturalKeyLess(std::string_view a_text, std::string_view b_text) {
  if (IsAscii(a_text) && IsAscii(b_text)) return NaturalLess(a_text, b_text);
  return NaturalLess(Runes(a_text), Runes(b_text));
}

}  // namespace gitopsd::yaml_internal
