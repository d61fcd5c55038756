#include "daemon/git/internal/known_hosts.h"

#include <fnmatch.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sstream>
#include <vector>

namespace gitopsd::git::internal {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// "|1|salt|hash": HMAC-SHA1 keyed by salt over the host name.
bool HashedHostMatches(std::string_view pattern, const std::string& name) {
  std::string_view rest = pattern.substr(3);
  size_t bar = rest.find('|');
  if (bar == std::string_view::npos) return false;
  auto salt = Base64Decode(rest.substr(0, bar));
  auto hash = Base64Decode(rest.substr(bar + 1));
  if (!salt.ok() || !hash.ok()) return false;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  if (!HMAC(EVP_sha1(), salt->data(), static_cast<int>(salt->size()),
            reinterpret_cast<const unsigned char*>(name.data()), name.size(), out, &out_len)) {
    return false;
  }
  return hash->size() == out_len && hash->compare(0, out_len, reinterpret_cast<char*>(out), out_len) == 0;
}

// One OpenSSH host pattern: '*' and '?' are wildcards, everything else
// (notably the '[' of "[host]:port") is literal; case-insensitive.
bool PatternMatches(const std::string& pattern, const std::string& name) {
  std::string escaped;
  for (char c : pattern) {
    if (c == '[' || c == ']' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return fnmatch(escaped.c_str(), name.c_str(), FNM_CASEFOLD) == 0;
}

// Whether a comma-separated host pattern list names `name`.
bool HostListMatches(std::string_view list, const std::string& name) {
  if (list.size() > 3 && list.substr(0, 3) == "|1|") return HashedHostMatches(list, name);
  bool matched = false;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string pattern(list.substr(i, j - i));
    bool negate = !pattern.empty() && pattern.front() == '!';
    if (negate) pattern.erase(0, 1);
    if (!pattern.empty() && PatternMatches(pattern, name)) {
      if (negate) return false;
      matched = true;
    }
    i = j + 1;
  }
  return matched;
}

}  // namespace

Result<std::string> Base64Decode(std::string_view text) {
  std::string padded(text);
  while (padded.size() % 4 != 0) padded.push_back('=');
  std::string out(padded.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(padded.data()),
                          static_cast<int>(padded.size()));
  if (n < 0) return InvalidArgument("bad base64");
  size_t pad = 0;
  for (size_t k = padded.size(); k > 0 && padded[k - 1] == '='; --k) ++pad;
  out.resize(static_cast<size_t>(n) - std::min<size_t>(pad, static_cast<size_t>(n)));
  return out;
}

HostKeyMatch MatchKnownHosts(std::string_view known_hosts, std::string_view host, int port,
                             std::string_view key) {
  std::string name = (port == 0 || port == 22)
                         ? std::string(host)
                         : "[" + std::string(host) + "]:" + std::to_string(port);
  bool known = false;
  bool matched = false;
  std::istringstream in{std::string(known_hosts)};
  std::string line;
  while (std::getline(in, line)) {
    auto fields = Fields(line);
    if (fields.empty() || fields[0].front() == '#') continue;
    bool revoked = false;
    if (fields[0].front() == '@') {
      if (fields[0] != "@revoked") continue;  // @cert-authority: unsupported
      revoked = true;
      fields.erase(fields.begin());
    }
    if (fields.size() < 3 || !HostListMatches(fields[0], name)) continue;
    auto blob = Base64Decode(fields[2]);
    if (!blob.ok()) continue;
    bool same = *blob == key;
    if (revoked) {
      if (same) return HostKeyMatch::kMismatch;
      continue;
    }
    known = true;
    matched = matched || same;
  }
  if (matched) return HostKeyMatch::kMatch;
  return known ? HostKeyMatch::kMismatch : HostKeyMatch::kUnknown;
}

}  // namespace gitopsd::git::internal
