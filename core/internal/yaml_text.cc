#include "core/internal/yaml_text.h"

namespace gitopsd::yaml_internal {
namespace {

bool ValidUtf8At(std::string_view s, size_t i, size_t* width) {
  unsigned char c = ByteAt(s, i);
  size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return false;
  for (size_t k = 1; k < n; ++k) {
    if ((ByteAt(s, i + k) & 0xC0) != 0x80) return false;
  }
  if (n == 3 && c == 0xE0 && ByteAt(s, i + 1) < 0xA0) return false;
  if (n == 3 && c == 0xED && ByteAt(s, i + 1) >= 0xA0) return false;
  if (n == 4 && c == 0xF0 && ByteAt(s, i + 1) < 0x90) return false;
  if (n == 4 && c == 0xF4 && ByteAt(s, i + 1) >= 0x90) return false;
  *width = n;
  return true;
}

}  // namespace

uint32_t DecodeRune(std::string_view s, size_t i, size_t width) {
  unsigned char c = ByteAt(s, i);
  uint32_t v = width == 1 ? c & 0x7F : width == 2 ? c & 0x1F : width == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < width; ++k) v = (v << 6) + (ByteAt(s, i + k) & 0x3F);
  return v;
}

std::string_view Utf8Sanitized(const std::string& s, std::string* storage) {
  size_t i = 0, w = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  while (i < s.size() && ValidUtf8At(s, i, &w)) i += w;
  if (i == s.size()) return s;
  storage->assign(s, 0, i);
  while (i < s.size()) {
    if (ValidUtf8At(s, i, &w)) {
      storage->append(s, i, w);
      i += w;
    } else {
      storage->append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return *storage;
}

ScalarAnalysis AnalyzeScalar(std::string_view value, bool tab_is_special) {
  ScalarAnalysis r;
  if (value.empty()) {
    r.block_allowed = false;
    return r;
  }
  bool block_indicators = false, flow_indicators = false, line_breaks = false;
  bool special = false, leading_space = false, leading_break = false;
  bool trailing_space = false, trailing_break = false, break_space = false, space_break = false;
  bool previous_space = false, previous_break = false;
  if (value.size() >= 3 && (value.substr(0, 3) == "---" || value.substr(0, 3) == "...")) {
    block_indicators = flow_indicators = true;
  }
  bool preceded_by_whitespace = true;
  for (size_t i = 0; i < value.size();) {
    size_t w = CharWidth(value, i);
    bool followed_by_whitespace = i + w >= value.size() || IsBlankAt(value, i + w);
    char c = value[i];
    if (i == 0) {
      switch (c) {
        case '#': case ',': case '[': case ']': case '{': case '}': case '&': case '*':
        case '!': case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
          flow_indicators = block_indicators = true;
          break;
        case '?': case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) flow_indicators = block_indicators = true;
          break;
        default: break;
      }
    } else {
      switch (c) {
        case ',': case '?': case '[': case ']': case '{': case '}':
          flow_indicators = true;
          break;
        case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '#':
          if (preceded_by_whitespace) flow_indicators = block_indicators = true;
          break;
        default: break;
      }
    }
    if (!IsPrintableAt(value, i) && (tab_is_special || c != '\t')) special = true;
    if (c == ' ') {
      if (i == 0) leading_space = true;
      if (i + w == value.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (IsBreakAt(value, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == value.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = IsBlankAt(value, i) || IsBreakAt(value, i) || ByteAt(value, i) == 0;
    i += w;
  }
  (void)flow_indicators;
  r.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) {
    r.block_plain_allowed = false;
  }
  if (trailing_space) r.block_allowed = false;
  if (break_space) r.block_plain_allowed = r.single_quoted_allowed = false;
  if (space_break || special) {
    r.block_plain_allowed = r.single_quoted_allowed = r.block_allowed = false;
  }
  if (line_breaks) r.block_plain_allowed = false;
  if (block_indicators) r.block_plain_allowed = false;
  return r;
}

std::string RefoldLikeKustomize(const std::string& value) {
  // yaml.v3 writes a folded block only when a block is allowed, and its
  // extra-break test looks at value[0]: when that is blank it adds none.
  if (value.empty() || !AnalyzeScalar(value, /*tab_is_special=*/false).block_allowed || IsBlankAt(value, 0) ||
      IsBreakAt(value, 0)) {
    return value;
  }
  std::string out;
  out.reserve(value.size() + 8);
  bool line_starts_blank = false;  // the current line begins with a space/tab
  for (size_t i = 0; i < value.size();) {
    if (value[i] != '\n') {
      out.push_back(value[i++]);
      continue;
    }
    size_t j = i;
    while (j < value.size() && value[j] == '\n') ++j;
    bool at_end = j == value.size();
    bool next_blank = !at_end && IsBlankAt(value, j);
    bool keep_tail = at_end && j - i >= 2;  // `>+`: written with one break more
    if (!line_starts_blank && (next_blank || keep_tail)) out.push_back('\n');
    out.append(j - i, '\n');
    line_starts_blank = next_blank;
    i = j;
  }
  return out;
}

}  // namespace gitopsd::yaml_internal
