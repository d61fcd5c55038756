// Scalar typing for core/yaml: how Go's YAML libraries read and write plain
// scalars, as Kustomize's pipeline applies them.
//
// Reading follows yaml.v3 (what Kustomize parses input with): YAML 1.2-ish
// (`yes`/`on` stay strings), ints through Go's strconv base-0 rules (`0755` is
// octal, `0x1F`, `0o17`, `0b101`, `_` separators), floats, `~`/`null`, and
// timestamps, which Kustomize turns into RFC 3339 strings.
// Writing follows yaml.v2 (sigs.k8s.io/yaml's JSONToYAML, which prints every
// Kustomize result): a string must be quoted when it would read back as
// anything else under YAML 1.1 (`yes`, `on`, `y`, `1.0`, `0755`, base-60
// `1:20`, timestamps...), and numbers print as Go's strconv prints them.
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/object.h"

namespace gitopsd::yaml_internal {

// Result of Go's strconv.ParseInt/ParseUint with base 0 on `s`.
enum class IntSyntax { kOk, kRange, kSyntax };
IntSyntax ParseGoInt(std::string_view s, int64_t* out);
IntSyntax ParseGoUint(std::string_view s, uint64_t* out);

// `s` matches yaml's float pattern `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
// and does not overflow a double; *out gets the value.
bool ParseYamlFloat(std::string_view s, double* out);

// A yaml.v3 timestamp (`2001-12-14`, `2001-12-14T21:59:43.10-05:00`,
// `2001-12-14 21:59:43.10`...) formatted as Go's time.RFC3339Nano, or nullopt.
std::optional<std::string> NormalizeTimestamp(std::string_view s);

// The value yaml.v3 gives an untagged plain scalar (never called for null
// spellings, which the parser reports separately).
Object ResolvePlainScalar(std::string_view s);

// The value of a scalar with an explicit tag ("tag:yaml.org,2002:int",
// "!foo"...). Returns nullopt when the text does not fit the tag (e.g.
// `!!int abc`); *error_message then says why.
std::optional<Object> ResolveTaggedScalar(std::string_view tag, std::string_view s,
                                          std::string* error_message);

// True when yaml.v2 would read `s`, written plain, as something other than
// a string (so the writer must quote it).
bool ResolvesToNonStringV2(std::string_view s);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.FormatFloat(v, 'g', -1, 64), with yaml's .inf/.nan spellings.
std::string FormatGoFloat(double v);

// Appends a number as Kustomize prints it (JSON round trip then yaml.v2):
// integral doubles that fit an int64/uint64 print as integers.
void AppendNumber(const Object& number, std::string& out);

}  // namespace gitopsd::yaml_internal
