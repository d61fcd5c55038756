// Character classes and scalar analysis for the YAML writer, as go-yaml v2's
// emitter defines them (yamlprivateh.go / yaml_emitter_analyze_scalar).
// Strings are UTF-8; positions are byte offsets; reads past the end see NUL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gitopsd::yaml_internal {

inline unsigned char ByteAt(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// Width in bytes of the UTF-8 character starting at s[i] (1 for stray bytes).
inline size_t CharWidth(std::string_view s, size_t i) {
  unsigned char c = ByteAt(s, i);
  size_t w = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
           : (c & 0xF8) == 0xF0 ? 4 : 1;
  return i + w <= s.size() ? w : 1;
}

uint32_t DecodeRune(std::string_view s, size_t i, size_t width);

inline bool IsSpaceAt(std::string_view s, size_t i) { return ByteAt(s, i) == ' '; }
inline bool IsBlankAt(std::string_view s, size_t i) {
  return ByteAt(s, i) == ' ' || ByteAt(s, i) == '\t';
}
// \r, \n, NEL, LS, PS.
inline bool IsBreakAt(std::string_view s, size_t i) {
  unsigned char c = ByteAt(s, i);
  if (c < 0x80) return c == '\r' || c == '\n';
  return (c == 0xC2 && ByteAt(s, i + 1) == 0x85) ||
         (c == 0xE2 && ByteAt(s, i + 1) == 0x80 &&
          (ByteAt(s, i + 2) == 0xA8 || ByteAt(s, i + 2) == 0xA9));
}
// YAML's printable set, as go-yaml v2 tests it.
inline bool IsPrintableAt(std::string_view s, size_t i) {
  unsigned char c = ByteAt(s, i);
  if (c < 0x80) return c == 0x0A || (c >= 0x20 && c <= 0x7E);
  unsigned char c1 = ByteAt(s, i + 1), c2 = ByteAt(s, i + 2);
  return (c == 0xC2 && c1 >= 0xA0) || (c > 0xC2 && c < 0xED) || (c == 0xED && c1 < 0xA0) ||
         c == 0xEE ||
         (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}
// go-yaml v2's is_bom looks at the start of the string, wherever i is.
inline bool StartsWithBom(std::string_view s) {
  return ByteAt(s, 0) == 0xEF && ByteAt(s, 1) == 0xBB && ByteAt(s, 2) == 0xBF;
}

// `s` itself when it is valid UTF-8; otherwise a copy in *storage where each
// invalid byte became U+FFFD (what Go's JSON encoder does).
std::string_view Utf8Sanitized(const std::string& s, std::string* storage);

struct ScalarAnalysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

// yaml.v2 counts a tab as a special character; yaml.v3 (tab_is_special =
// false) still allows block styles for it.
ScalarAnalysis AnalyzeScalar(std::string_view value, bool tab_is_special = true);

// The value a folded block scalar (`>`) ends up with in Kustomize's output.
// Kustomize re-encodes every node with yaml.v3, keeping its style, and reads
// it back; yaml.v3's folded writer adds one line break too many before a
// more-indented line (and at the end of a `>+` scalar), so e.g.
// "a\n  indented\nb" comes back as "a\n\n  indented\nb".
std::string RefoldLikeKustomize(const std::string& value);

}  // namespace gitopsd::yaml_internal
