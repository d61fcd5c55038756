#include "core/internal/yaml_emitter.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "core/internal/yaml_scalar.h"
#include "core/internal/yaml_text.h"

namespace gitopsd::yaml_internal {
namespace {

constexpr int kBestIndent = 2;
constexpr int kBestWidth = 80;

enum class Style { kPlain, kSingle, kDouble, kLiteral };

// Only 0x20..0x7E: one byte per column, no breaks.
bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// Kustomize hands JSON to yaml.v2, and JSON leaves U+0085 (NEL) unescaped:
// inside the double-quoted scalar yaml then folds it like a line break
// (spaces around it dropped; one break -> a space, n breaks -> n-1 newlines).
std::string_view FoldNextLines(std::string_view s, std::string* storage) {
  std::string& out = *storage;
  for (size_t i = 0; i < s.size();) {
    if (!(s[i] == ' ' || (ByteAt(s, i) == 0xC2 && ByteAt(s, i + 1) == 0x85))) {
      out.push_back(s[i++]);
      continue;
    }
    size_t j = i, breaks = 0;
    while (j < s.size() && (s[j] == ' ' || (ByteAt(s, j) == 0xC2 && ByteAt(s, j + 1) == 0x85))) {
      if (s[j] == ' ') {
        ++j;
      } else {
        ++breaks;
        j += 2;
      }
    }
    if (breaks == 0) {
      out.append(s, i, j - i);
    } else if (breaks == 1) {
      out.push_back(' ');
    } else {
      out.append(breaks - 1, '\n');
    }
    i = j;
  }
  return out;
}


// go-yaml v2's emitter, reduced to what a JSON tree needs: block mappings
// and sequences, `{}`/`[]` for empty ones, and scalars.
class Emitter {
 public:
  Emitter(std::string& out, bool sort_keys) : out_(out), sort_keys_(sort_keys) {}

  void Document(const Object& root) {
    Node(root, /*sequence=*/false, /*mapping=*/false, /*simple_key=*/false);
    WriteIndent();  // document end
  }

 private:
  // ---- low-level output (columns count characters, not bytes) ----
  void Put(char c) {
    out_.push_back(c);
    ++column_;
  }
  void PutBreak() {
    out_.push_back('\n');
    column_ = 0;
  }
  // Copies the character at s[*i] and advances *i.
  void Write(std::string_view s, size_t* i) {
    size_t w = CharWidth(s, *i);
    out_.append(s.data() + *i, w);
    *i += w;
    ++column_;
  }
  void WriteBreak(std::string_view s, size_t* i) {
    if (s[*i] == '\n') {
      PutBreak();
      ++*i;
    } else {
      Write(s, i);
      column_ = 0;
    }
  }
  void WriteIndent() {
    int indent = std::max(indent_, 0);
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) PutBreak();
    while (column_ < indent) Put(' ');
    whitespace_ = true;
    indention_ = true;
  }
  void WriteIndicator(std::string_view indicator, bool need_whitespace, bool is_whitespace,
                      bool is_indention) {
    if (need_whitespace && !whitespace_) Put(' ');
    for (size_t i = 0; i < indicator.size();) Write(indicator, &i);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }
  void IncreaseIndent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      indent_ += kBestIndent;
    }
  }
  void PopIndent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  // ---- nodes ----
  void Node(const Object& v, bool sequence, bool mapping, bool simple_key) {
    (void)sequence;
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
    switch (v.type()) {
      case Object::value_t::object:
        if (v.empty()) return EmptyFlow("{", "}");
        return BlockMapping(v);
      case Object::value_t::array:
        if (v.empty()) return EmptyFlow("[", "]");
        return BlockSequence(v);
      case Object::value_t::string:
        return StringScalar(v.get_ref<const std::string&>());
      case Object::value_t::boolean:
        return PlainScalar(v.get<bool>() ? "true" : "false");
      case Object::value_t::number_integer:
      case Object::value_t::number_unsigned:
      case Object::value_t::number_float: {
        std::string text;
        AppendNumber(v, text);
        return PlainScalar(text);
      }
      default:
        return PlainScalar("null");
    }
  }

  void EmptyFlow(std::string_view open, std::string_view close) {
    WriteIndicator(open, true, true, false);
    IncreaseIndent(true, false);
    PopIndent();
    WriteIndicator(close, false, false, false);
  }

  void BlockSequence(const Object& v) {
    IncreaseIndent(false, mapping_context_ && !indention_);
    for (const auto& item : v) {
      WriteIndent();
      WriteIndicator("-", true, false, true);
      Node(item, true, false, false);
    }
    PopIndent();
  }

  void BlockMapping(const Object& v) {
    IncreaseIndent(false, false);
    const auto& map = static_cast<const Object::object_t::Container&>(
        v.get_ref<const Object::object_t&>());
    std::vector<size_t> order(map.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (sort_keys_) {
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return NaturalKeyLess(map[a].first, map[b].first);
      });
    }
    for (size_t idx : order) {
      const std::string& key = map[idx].first;
      WriteIndent();
      std::string safe_key;
      std::string_view k = Utf8Sanitized(key, &safe_key);
      ScalarAnalysis a = AnalyzeScalar(k);
      if (!a.multiline && k.size() <= 128) {  // a simple key
        mapping_context_ = true;
        simple_key_context_ = true;
        StringScalarAnalyzed(k, a);
        WriteIndicator(":", false, false, false);
      } else {
        WriteIndicator("?", true, false, true);
        mapping_context_ = true;
        simple_key_context_ = false;
        StringScalarAnalyzed(k, a);
        WriteIndent();
        WriteIndicator(":", true, false, true);
      }
      Node(map[idx].second, false, true, false);
    }
    PopIndent();
  }

  // ---- scalars ----
  void PlainScalar(std::string_view text) {
    IncreaseIndent(true, false);
    WritePlain(text, !simple_key_context_);
    PopIndent();
  }

  void StringScalar(const std::string& s) {
    std::string safe;
    std::string_view v = Utf8Sanitized(s, &safe);
    std::string folded;
    if (v.find("\xC2\x85") != std::string_view::npos) v = FoldNextLines(v, &folded);
    StringScalarAnalyzed(v, AnalyzeScalar(v));
  }

  void StringScalarAnalyzed(std::string_view s, const ScalarAnalysis& a) {
    Style style = Style::kDouble;
    if (s.find('\n') != std::string_view::npos) {
      style = Style::kLiteral;
    } else if (!ResolvesToNonStringV2(s)) {
      style = Style::kPlain;
    }
    style = SelectStyle(style, s, a);
    IncreaseIndent(true, false);
    bool allow_breaks = !simple_key_context_;
    switch (style) {
      case Style::kPlain: WritePlain(s, allow_breaks); break;
      case Style::kSingle: WriteSingleQuoted(s, allow_breaks); break;
      case Style::kDouble: WriteDoubleQuoted(s, allow_breaks); break;
      case Style::kLiteral: WriteLiteral(s); break;
    }
    PopIndent();
  }

  Style SelectStyle(Style style, std::string_view s, const ScalarAnalysis& a) const {
    if (simple_key_context_ && a.multiline) style = Style::kDouble;
    if (style == Style::kPlain) {
      if (!a.block_plain_allowed) style = Style::kSingle;
      if (s.empty() && simple_key_context_) style = Style::kSingle;
    }
    if (style == Style::kSingle && !a.single_quoted_allowed) style = Style::kDouble;
    if (style == Style::kLiteral && (!a.block_allowed || simple_key_context_)) {
      style = Style::kDouble;
    }
    return style;
  }

  void WritePlain(std::string_view s, bool allow_breaks) {
    if (!whitespace_) Put(' ');
    // Fast path: no line break, and too short to reach the folding column.
    if (column_ + static_cast<int>(s.size()) <= kBestWidth && IsPrintableAscii(s)) {
      out_.append(s);
      column_ += static_cast<int>(s.size());
      whitespace_ = false;
      indention_ = false;
      return;
    }
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < s.size();) {
      if (s[i] == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && !IsSpaceAt(s, i + 1)) {
          WriteIndent();
          ++i;
        } else {
          Write(s, &i);
        }
        spaces = true;
      } else if (IsBreakAt(s, i)) {
        if (!breaks && s[i] == '\n') PutBreak();
        WriteBreak(s, &i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(s, &i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  void WriteSingleQuoted(std::string_view s, bool allow_breaks) {
    WriteIndicator("'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < s.size();) {
      if (s[i] == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i + 1 < s.size() &&
            !IsSpaceAt(s, i + 1)) {
          WriteIndent();
          ++i;
        } else {
          Write(s, &i);
        }
        spaces = true;
      } else if (IsBreakAt(s, i)) {
        if (!breaks && s[i] == '\n') PutBreak();
        WriteBreak(s, &i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        if (s[i] == '\'') Put('\'');
        Write(s, &i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    WriteIndicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void WriteEscape(uint32_t v) {
    Put('\\');
    switch (v) {
      case 0x00: return Put('0');
      case 0x07: return Put('a');
      case 0x08: return Put('b');
      case 0x09: return Put('t');
      case 0x0A: return Put('n');
      case 0x0B: return Put('v');
      case 0x0C: return Put('f');
      case 0x0D: return Put('r');
      case 0x1B: return Put('e');
      case 0x22: return Put('"');
      case 0x5C: return Put('\\');
      case 0x85: return Put('N');
      case 0xA0: return Put('_');
      case 0x2028: return Put('L');
      case 0x2029: return Put('P');
      default: break;
    }
    int width = 8;
    if (v <= 0xFF) {
      Put('x');
      width = 2;
    } else if (v <= 0xFFFF) {
      Put('u');
      width = 4;
    } else {
      Put('U');
    }
    for (int k = (width - 1) * 4; k >= 0; k -= 4) {
      uint32_t digit = (v >> k) & 0x0F;
      Put(static_cast<char>(digit < 10 ? '0' + digit : 'A' + digit - 10));
    }
  }

  void WriteDoubleQuoted(std::string_view s, bool allow_breaks) {
    bool spaces = false;
    WriteIndicator("\"", true, false, false);
    const bool bom = StartsWithBom(s);  // go-yaml escapes everything after a BOM
    for (size_t i = 0; i < s.size();) {
      if (!IsPrintableAt(s, i) || bom || IsBreakAt(s, i) || s[i] == '"' || s[i] == '\\') {
        size_t w = CharWidth(s, i);
        WriteEscape(DecodeRune(s, i, w));
        i += w;
        spaces = false;
      } else if (s[i] == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i + 1 < s.size()) {
          WriteIndent();
          if (IsSpaceAt(s, i + 1)) Put('\\');
          ++i;
        } else {
          Write(s, &i);
        }
        spaces = true;
      } else {
        Write(s, &i);
        spaces = false;
      }
    }
    WriteIndicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void WriteBlockHints(std::string_view s) {
    if (IsSpaceAt(s, 0) || IsBreakAt(s, 0)) {
      const char hint[2] = {static_cast<char>('0' + kBestIndent), 0};
      WriteIndicator(hint, false, false, false);
    }
    char chomp = 0;
    if (s.empty()) {
      chomp = '-';
    } else {
      size_t i = s.size() - 1;
      while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
      if (!IsBreakAt(s, i)) {
        chomp = '-';
      } else if (i == 0) {
        chomp = '+';
      } else {
        --i;
        while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
        if (IsBreakAt(s, i)) chomp = '+';
      }
    }
    if (chomp) {
      const char text[2] = {chomp, 0};
      WriteIndicator(text, false, false, false);
    }
  }

  void WriteLiteral(std::string_view s) {
    WriteIndicator("|", true, false, false);
    WriteBlockHints(s);
    PutBreak();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (size_t i = 0; i < s.size();) {
      if (IsBreakAt(s, i)) {
        WriteBreak(s, &i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(s, &i);
        indention_ = false;
        breaks = false;
      }
    }
  }

  std::string& out_;
  const bool sort_keys_;
  int column_ = 0;
  int indent_ = -1;
  std::vector<int> indents_;
  bool whitespace_ = true;
  bool indention_ = true;
  bool mapping_context_ = false;
  bool simple_key_context_ = false;
};

}  // namespace

void EmitDocument(const Object& value, bool sort_keys, std::string& out) {
  Emitter(out, sort_keys).Document(value);
}

}  // namespace gitopsd::yaml_internal
