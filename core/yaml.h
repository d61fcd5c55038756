// YAML <-> Object. The only place in gitopsd that uses yaml-cpp; its
// exceptions are caught here and returned as Status.
//
// Reading follows Go's yaml.v3 as Kustomize uses it: multi-document streams,
// anchors/aliases (with an expansion limit, so a "billion laughs" document is
// rejected), YAML 1.1/1.2 scalar resolution as yaml.v3 types scalars (so
// `on`, `yes`, `1.0`, `0x1F`, `~`, `null` get the types Kustomize gives them),
// errors carrying the source name, line and column, a size limit per
// document. Writing reproduces Kustomize v5.5.0's output byte for byte (key
// order, indentation, quoting, block literals, `---` separators).
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

struct YamlReadOptions {
  // Named in error messages ("base/deploy.yaml: line 3, column 5: ...").
  std::string source_name;
  // A document larger than this (bytes of source text) is refused.
  size_t max_document_bytes = 32u << 20;
  // Total nodes produced by alias expansion across a stream; past it the
  // stream is refused (ResourceExhausted), never expanded.
  size_t max_alias_expanded_nodes = 1u << 20;
  // When true, ParseYamlDocuments fills YamlDocument::lines.
  bool record_lines = false;
};

struct YamlDocument {
  Object value;      // null for an empty document
  int line = 0;      // 1-based line where the document's content starts
  // JSON pointer ("/spec/template/0") -> 1-based line of that node. Filled
  // only with YamlReadOptions::record_lines.
  std::unordered_map<std::string, int> lines;
};

// Parses every document of a stream. Empty documents (only comments or
// nothing between `---`) are kept as null values; callers skip them.
Result<std::vector<YamlDocument>> ParseYamlDocuments(std::string_view text,
                                                     const YamlReadOptions& options = {});

// Parses a stream into its non-null documents' values.
Result<ObjectList> ParseYamlStream(std::string_view text, const YamlReadOptions& options = {});

// Parses exactly one document (an empty input yields null).
Result<Object> ParseYaml(std::string_view text, const YamlReadOptions& options = {});

struct YamlWriteOptions {
  // Mapping key order: true sorts keys as Kustomize's output does; false keeps
  // the tree's insertion order.
  bool sort_keys = true;
};

// One document, as Kustomize prints it (ends with a newline).
std::string WriteYaml(const Object& value, const YamlWriteOptions& options = {});

// Documents joined by "---\n", as `kustomize build` prints a stream.
std::string WriteYamlStream(const ObjectList& docs, const YamlWriteOptions& options = {});

}  // namespace gitopsd
