#include "daemon/git/url.h"

#include <algorithm>
#include <cctype>

namespace gitopsd::git {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits "[user[:password]@]host[:port]" into url.
Status ParseAuthority(std::string_view authority, std::string_view url, RepoUrl& out) {
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    out.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) out.password = std::string(userinfo.substr(colon + 1));
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {  // [ipv6]:port
    size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return InvalidArgument("repository URL \"" + std::string(url) + "\": unclosed '[' in host");
    }
    out.host = std::string(host.substr(1, close - 1));
    host.remove_prefix(close + 1);
    if (!host.empty() && host.front() == ':') host.remove_prefix(1);
    else host = {};
    authority = host;
  } else {
    size_t colon = host.rfind(':');
    out.host = std::string(host.substr(0, colon));
    authority = colon == std::string_view::npos ? std::string_view() : host.substr(colon + 1);
  }
  if (!authority.empty()) {
    int port = 0;
    for (char c : authority) {
      if (std::isdigit(static_cast<unsigned char>(c))) port = port * 10 + (c - '0');
      if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) {
        return InvalidArgument("repository URL \"" + std::string(url) + "\": bad port \"" +
                               std::string(authority) + "\"");
      }
    }
    out.port = port;
  }
  if (out.host.empty()) {
    return InvalidArgument("repository URL \"" + std::string(url) + "\" has no host");
  }
  return Status::Ok();
}

Result<RepoUrl> ParseSchemeUrl(std::string_view url, size_t sep) {
  RepoUrl out;
  out.scheme = Lower(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  if (out.scheme == "file") {
    out.path = std::string(rest);
    if (out.path.empty() || out.path.front() != '/') {
      return InvalidArgument("repository URL \"" + std::string(url) +
                             "\": file URLs need an absolute path (file:///...)");
    }
    return out;
  }
  if (out.scheme != "https" && out.scheme != "http" && out.scheme != "ssh" &&
      out.scheme != "git") {
    return InvalidArgument("repository URL \"" + std::string(url) + "\": unsupported scheme \"" +
                           out.scheme + "\" (use https, http, ssh, git or file)");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  RETURN_IF_ERROR(ParseAuthority(authority, url, out));
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash + 1));
  return out;
}

}  // namespace

Result<RepoUrl> ParseRepoUrl(std::string_view url) {
  if (url.empty()) return InvalidArgument("empty repository URL");
  size_t sep = url.find("://");
  if (sep != std::string_view::npos) return ParseSchemeUrl(url, sep);
  if (url.front() == '/') {
    RepoUrl out;
    out.scheme = "file";
    out.path = std::string(url);
    return out;
  }
  // scp-like: [user@]host:path, where no '/' comes before the ':'.
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon)) {
    return InvalidArgument("repository URL \"" + std::string(url) +
                           "\" is not a URL, an scp-like user@host:path or an absolute path");
  }
  RepoUrl out;
  out.scheme = "ssh";
  out.scp_like = true;
  std::string_view authority = url.substr(0, colon);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    out.user = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  out.host = std::string(authority);
  out.path = std::string(url.substr(colon + 1));
  if (out.host.empty()) {
    return InvalidArgument("repository URL \"" + std::string(url) + "\" has no host");
  }
  return out;
}

std::string NormalizeRepoUrl(std::string_view url) {
  auto parsed = ParseRepoUrl(url);
  std::string key;
  if (!parsed.ok()) {
    key = Lower(url);
  } else if (parsed->scheme == "file") {
    key = Lower(parsed->path);
  } else {
    std::string p = parsed->path;
    while (!p.empty() && p.front() == '/') p.erase(0, 1);
    if (p.size() > 1 && p[0] == '~') {  // ssh://host/~user/repo
      p.erase(0, 1);
    }
    key = Lower(parsed->host) + "/" + Lower(p);
  }
  while (key.size() > 1 && (key.back() == '/' || key.back() == ' ')) key.pop_back();
  if (key.size() > 4 && key.compare(key.size() - 4, 4, ".git") == 0) key.resize(key.size() - 4);
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  return key;
}

std::string RedactRepoUrl(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  size_t start = sep + 3;
  size_t end = url.find('/', start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? url.npos
                                                                                : end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  size_t colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, start));
  out.append(authority.substr(0, colon));
  out.append(":***");
  out.append(url.substr(start + at));
  return out;
}

}  // namespace gitopsd::git
