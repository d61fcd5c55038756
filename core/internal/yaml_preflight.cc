// PreflightCheck (see yaml_reader.h): the input checks yaml.v3 makes that
// yaml-cpp does not, and the per-document size limit.
#include <string>

#include "core/internal/yaml_reader.h"

namespace gitopsd::yaml_internal {
namespace {

std::string Where(const YamlReadOptions& options, size_t line, size_t column) {
  std::string out;
  if (!options.source_name.empty()) out = options.source_name + ": ";
  out += "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  return out;
}

// Length of the valid UTF-8 sequence at text[i], or 0 if invalid.
size_t Utf8Length(std::string_view text, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = b(i);
  size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
  if (n == 3 && c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
  if (n == 4 && c == 0xF0 && b(i + 1) < 0x90) return 0;  // overlong
  if (n == 4 && c == 0xF4 && b(i + 1) >= 0x90) return 0;  // > U+10FFFF
  return n;
}

// A line `---` (alone or followed by a blank) at column 0 starts a document.
bool IsDocumentMarker(std::string_view text, size_t line_start) {
  if (text.compare(line_start, 3, "---") != 0) return false;
  size_t after = line_start + 3;
  return after == text.size() || text[after] == '\n' || text[after] == '\r' ||
         text[after] == ' ' || text[after] == '\t';
}

}  // namespace

Status PreflightCheck(std::string_view text, const YamlReadOptions& options) {
  size_t line = 1, line_start = 0, doc_start = 0;
  const bool check_size = text.size() > options.max_document_bytes;
  auto too_big = [&](size_t end) {
    return check_size && end - doc_start > options.max_document_bytes;
  };
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      if (check_size && IsDocumentMarker(text, line_start)) {
        if (too_big(line_start)) break;
        doc_start = line_start;
      }
      continue;
    }
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
        return InvalidArgument(Where(options, line, i - line_start + 1) +
                               "control characters are not allowed");
      }
      ++i;
      continue;
    }
    size_t n = Utf8Length(text, i);
    if (n == 0) {
      return InvalidArgument(Where(options, line, i - line_start + 1) +
                             "invalid UTF-8 byte sequence");
    }
    // C1 controls other than NEL are not printable for yaml.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0 &&
        static_cast<unsigned char>(text[i + 1]) != 0x85) {
      return InvalidArgument(Where(options, line, i - line_start + 1) +
                             "control characters are not allowed");
    }
    i += n;
  }
  if (too_big(text.size())) {
    std::string src = options.source_name.empty() ? "" : options.source_name + ": ";
    return ResourceExhausted(src + "the YAML document starting at byte " + std::to_string(doc_start) +
                             " is larger than the limit of " +
                             std::to_string(options.max_document_bytes) + " bytes");
  }
  return Status::Ok();
}

}  // namespace gitopsd::yaml_internal
