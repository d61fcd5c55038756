#include "daemon/git/internal/auth.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "daemon/git/internal/known_hosts.h"

namespace gitopsd::git::internal {
namespace {

// A credential callback that libgit2 calls again after a rejection would loop
// forever; two calls cover "try the key / password once".
constexpr int kMaxCredentialCalls = 2;

int Refuse(AuthContext* ctx, Code code, std::string message) {
  ctx->refusal = message;
  ctx->refusal_code = code;
  git_error_set_str(GIT_ERROR_NET, message.c_str());
  return code == Code::kUnauthenticated ? GIT_EAUTH : GIT_ECERTIFICATE;
}

int OnCredentials(git_credential** out, const char* url, const char* username_from_url,
                  unsigned int allowed, void* payload) {
  auto* ctx = static_cast<AuthContext*>(payload);
  const Credentials& c = ctx->credentials;
  if (++ctx->credential_calls > kMaxCredentialCalls) {
    return Refuse(ctx, Code::kUnauthenticated,
                  std::string("authentication to ") + url + " failed: credentials rejected");
  }
  std::string user = c.username;
  if (user.empty() && username_from_url != nullptr) user = username_from_url;
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !c.ssh_key_file.empty()) {
    if (user.empty()) user = "git";
    return git_credential_ssh_key_new(out, user.c_str(), nullptr, c.ssh_key_file.c_str(),
                                      c.ssh_key_passphrase.c_str());
  }
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !c.password.empty()) {
    if (user.empty()) user = "x-access-token";
    return git_credential_userpass_plaintext_new(out, user.c_str(), c.password.c_str());
  }
  if (allowed & GIT_CREDENTIAL_USERNAME) {
    return git_credential_username_new(out, user.empty() ? "git" : user.c_str());
  }
  return Refuse(ctx, Code::kUnauthenticated,
                std::string(url) + " requires authentication, but no " +
                    ((allowed & GIT_CREDENTIAL_SSH_KEY) ? "sshKeyFile" : "password") +
                    " is configured for it");
}

std::string ReadWholeFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int CheckHostKey(const git_cert_hostkey* cert, const std::string& host, AuthContext* ctx) {
  if (!(cert->type & GIT_CERT_SSH_RAW)) {
    return Refuse(ctx, Code::kPermissionDenied,
                  "SSH host " + host + " did not present a raw host key to check");
  }
  std::string key(cert->hostkey, cert->hostkey_len);
  std::vector<std::string> files;
  if (!ctx->credentials.known_hosts_file.empty()) {
    files.push_back(ctx->credentials.known_hosts_file);
  } else {
    if (const char* home = std::getenv("HOME")) files.push_back(std::string(home) + "/.ssh/known_hosts");
    files.push_back("/etc/ssh/ssh_known_hosts");
  }
  bool mismatch = false;
  for (const auto& file : files) {
    switch (MatchKnownHosts(ReadWholeFile(file), host, ctx->url.port, key)) {
      case HostKeyMatch::kMatch: return 0;
      case HostKeyMatch::kMismatch: mismatch = true; break;
      case HostKeyMatch::kUnknown: break;
    }
  }
  std::string where = files.size() == 1 ? files[0] : files[0] + " or " + files[1];
  if (mismatch) {
    return Refuse(ctx, Code::kPermissionDenied,
                  "SSH host key of " + host + " does not match the key recorded in " + where);
  }
  return Refuse(ctx, Code::kPermissionDenied,
                "unknown SSH host " + host + ": its host key is not in " + where +
                    " (add it with ssh-keyscan)");
}

int OnCertificate(git_cert* cert, int valid, const char* host_c, void* payload) {
  auto* ctx = static_cast<AuthContext*>(payload);
  std::string host = host_c != nullptr ? host_c : ctx->url.host;
  if (cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2) {
    return CheckHostKey(reinterpret_cast<const git_cert_hostkey*>(cert), host, ctx);
  }
  if (valid) return 0;
  if (cert->cert_type == GIT_CERT_X509 && !ctx->credentials.ca_file.empty()) {
    const auto* x509 = reinterpret_cast<const git_cert_x509*>(cert);
    Status st = VerifyWithCaFile(static_cast<const unsigned char*>(x509->data), x509->len,
                                 ctx->credentials.ca_file, host);
    if (st.ok()) return 0;
    return Refuse(ctx, Code::kPermissionDenied, st.message());
  }
  return Refuse(ctx, Code::kPermissionDenied,
                "the TLS certificate of " + host +
                    " is not trusted (set caFile to the CA that signed it)");
}

}  // namespace

void InstallAuthCallbacks(git_remote_callbacks* callbacks, AuthContext* ctx) {
  callbacks->credentials = OnCredentials;
  callbacks->certificate_check = OnCertificate;
  callbacks->payload = ctx;
}

Status VerifyWithCaFile(const unsigned char* der, size_t len, const std::string& ca_file,
                        const std::string& host) {
  const unsigned char* p = der;
  std::unique_ptr<X509, decltype(&X509_free)> leaf(d2i_X509(nullptr, &p, static_cast<long>(len)),
                                                   X509_free);
  if (!leaf) return PermissionDenied("cannot parse the TLS certificate of " + host);
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  if (X509_STORE_load_file(store.get(), ca_file.c_str()) != 1) {
    ERR_clear_error();
    return PermissionDenied("cannot load CA file \"" + ca_file + "\"");
  }
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {  // not an IP address
    ERR_clear_error();
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  }
  if (X509_verify_cert(ctx.get()) == 1) return Status::Ok();
  int err = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  return PermissionDenied("TLS certificate of " + host + " not trusted by CA file \"" + ca_file +
                          "\": " + X509_verify_cert_error_string(err));
}

}  // namespace gitopsd::git::internal
