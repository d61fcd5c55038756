// The object tree used everywhere for Kubernetes objects.
//
// Objects are JSON on the wire, so the tree is nlohmann::ordered_json: a
// JSON-compatible value that keeps mapping keys in insertion order (the YAML
// writer decides the output order; see core/yaml.h). Values are plain data:
// copy freely, not thread-shared.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gitopsd {

using Object = nlohmann::ordered_json;

// A list of objects in render/output order.
using ObjectList = std::vector<Object>;

// Returns the node at a '.'-separated field path (e.g. "metadata.name"), or
// nullptr when any step is missing or not a mapping.
const Object* FindPath(const Object& obj, std::string_view dotted);
Object* FindPath(Object& obj, std::string_view dotted);

// The string at a dotted path, or "" when missing or not a string.
std::string GetString(const Object& obj, std::string_view dotted);

// Convenience accessors for the usual metadata.
inline std::string ApiVersionOf(const Object& o) { return GetString(o, "apiVersion"); }
inline std::string KindOf(const Object& o) { return GetString(o, "kind"); }
inline std::string NameOf(const Object& o) { return GetString(o, "metadata.name"); }
inline std::string NamespaceOf(const Object& o) { return GetString(o, "metadata.namespace"); }

// Canonical JSON: keys sorted at every level, no whitespace. Two objects are
// semantically equal iff their canonical forms are equal.
std::string CanonicalJson(const Object& obj);

}  // namespace gitopsd
