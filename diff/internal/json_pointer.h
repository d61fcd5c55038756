// RFC 6901 JSON pointers for ignore rules and diff paths, with one
// extension: a `*` token matches every element of a list and every key of a
// mapping ("/spec/template/spec/containers/*/image").
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd::diff::internal {

// "/a/b~1c" -> {"a", "b/c"}; "" -> {} (the whole document). A pointer must
// be empty or start with '/', and '~' must be followed by 0 or 1.
Result<std::vector<std::string>> ParsePointer(std::string_view pointer);

// Escapes one token ("a/b" -> "a~1b").
std::string EscapeToken(std::string_view token);

// Removes every node the tokens select; returns how many were removed.
// Missing steps select nothing. An empty token list clears the document to
// null.
int RemoveAt(Object& doc, const std::vector<std::string>& tokens);

}  // namespace gitopsd::diff::internal
