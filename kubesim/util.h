// Small helpers shared by kubesim's files: time stamps, ids, hashes.
// Thread-safe.
#pragma once

#include <string>

#include "core/object.h"

namespace gitopsd::kubesim {

// RFC 3339 UTC with seconds precision: "2025-05-15T20:09:34Z".
std::string NowRfc3339();
// Seconds since the epoch for an RFC 3339 time (0 when unparsable).
long long ParseRfc3339(const std::string& t);
// A random UUID v4.
std::string NewUid();
// `n` random characters of [a-z0-9] (generateName, pod suffixes).
std::string RandomSuffix(int n);
// A 10-character [a-z0-9] hash of a value (pod-template-hash).
std::string ShortHash(const Object& value);
// Uppercase hex SHA-512 of a string (OpenAPI hashes).
std::string Sha512Hex(const std::string& s);

}  // namespace gitopsd::kubesim
