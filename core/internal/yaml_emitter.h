// The YAML writer behind core/yaml.h: prints an Object exactly as Kustomize
// v5.5.0 prints a resource. Kustomize turns each resource into JSON and hands
// it to sigs.k8s.io/yaml's JSONToYAML, i.e. go-yaml v2's emitter, so this is
// a re-implementation of that emitter's block style for a JSON tree:
//  - mapping keys sorted by go-yaml v2's "natural" order (see SortedKeys):
//    digit runs compare as numbers (a2 < a10), a non-letter sorts before a
//    letter (`-x` < `_x` < `2a` < `A` < `a`), non-ASCII after ASCII;
//  - two-space indent; a sequence that is a mapping value is not indented
//    (`containers:\n- name: x`); `- - a` for nested sequences;
//  - empty collections as `{}` / `[]`, null as `null`;
//  - strings plain when possible; double-quoted when they would read back as
//    another type under YAML 1.1 ("yes", "on", "y", "1.0", "0755", "1:20",
//    timestamps, "") or hold characters yaml cannot print plainly; otherwise
//    single-quoted when plain is not allowed (leading/trailing space,
//    indicators such as `- `, `: `, ` #`, a leading `*&!|>'"%@`...);
//  - strings with a line break as literal blocks (`|`, `|-`, `|+`, `|2`),
//    falling back to double quotes when a line ends in a space or the text
//    has special characters;
//  - plain, single- and double-quoted scalars longer than column 80 are
//    folded at spaces, as go-yaml v2 does (literal blocks never are);
//  - numbers as Go prints them after a JSON round trip (1.0 -> 1,
//    1234567.5 -> 1.2345675e+06, 0.00001 -> 1e-05).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"

namespace gitopsd::yaml_internal {

// Appends one document (ending with a newline).
void EmitDocument(const Object& value, bool sort_keys, std::string& out);

// True when go-yaml v2 sorts key `a` before key `b`.
bool NaturalKeyLess(std::string_view a, std::string_view b);

}  // namespace gitopsd::yaml_internal
