// The YAML reader behind core/yaml.h: yaml-cpp's event parser feeding an
// Object tree builder that applies yaml.v3's rules (scalar typing, merge keys
// `<<`, duplicate-key errors, alias expansion with a budget).
//
// Pure, thread-safe; every yaml-cpp exception is caught here.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/yaml.h"

namespace gitopsd::yaml_internal {

Result<std::vector<YamlDocument>> ReadDocuments(std::string_view text,
                                                const YamlReadOptions& options);

// Checks what yaml.v3 refuses before parsing: control characters and
// invalid UTF-8 (an error names the line and column), and documents larger
// than options.max_document_bytes (ResourceExhausted).
Status PreflightCheck(std::string_view text, const YamlReadOptions& options);

}  // namespace gitopsd::yaml_internal
