// Internal: OpenSSH known_hosts matching for the SSH host-key check.
//
// Supports plain host patterns ("host", "[host]:port", comma lists, '*' and
// '?' wildcards, '!' negation), hashed hosts ("|1|salt|hmac"), and the
// @revoked marker. @cert-authority lines are ignored (host certificates are
// not supported). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace gitopsd::git::internal {

enum class HostKeyMatch {
  kMatch,     // a line for the host carries this key
  kMismatch,  // the host is known, but with other keys (or this key is revoked)
  kUnknown,   // no line names the host
};

// Checks `key` (the raw SSH wire-format public key blob, as a server sends
// it) for host:port against the text of a known_hosts file. Port 22 (or 0)
// looks up "host"; any other port "[host]:port".
HostKeyMatch MatchKnownHosts(std::string_view known_hosts, std::string_view host, int port,
                             std::string_view key);

// Base64 decoding (standard alphabet, padding optional); InvalidArgument on
// bad input.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace gitopsd::git::internal
