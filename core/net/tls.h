// TLS material for gitopsd's servers: generating a private CA and a serving
// certificate with OpenSSL, reading/writing PEM files, and the server-side
// TLS context that core/net/http_server.h uses.
//
// All functions are thread-safe (they own their OpenSSL objects). TlsContext
// is immutable once built and may be shared by several servers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace gitopsd::net {

// A certificate and its private key, both PEM.
struct PemPair {
  std::string cert_pem;
  std::string key_pem;
};

struct CertificateOptions {
  std::string common_name = "gitopsd";
  // Subject alternative names: entries that parse as IPv4/IPv6 addresses
  // become IP SANs, the rest DNS SANs.
  std::vector<std::string> sans = {"127.0.0.1", "localhost"};
  int valid_days = 365;
};

// A self-signed CA (EC P-256, basicConstraints CA:TRUE, keyCertSign).
Result<PemPair> GenerateCa(const std::string& common_name, int valid_days = 3650);

// A serving certificate (EC P-256, serverAuth) signed by `ca`.
Result<PemPair> GenerateServingCert(const PemPair& ca, const CertificateOptions& options);

// Server-side TLS configuration (TLS 1.2+, ALPN "http/1.1").
class TlsContext {
 public:
  // From PEM text (cert may be a chain).
  static Result<std::shared_ptr<TlsContext>> FromPem(const PemPair& serving);
  // From PEM files.
  static Result<std::shared_ptr<TlsContext>> FromFiles(const std::string& cert_file,
                                                      const std::string& key_file);
  ~TlsContext();
  // The boost::asio::ssl::context*, as void* so this header stays free of
  // Asio (http_server.cc casts it back).
  void* native() const;

 private:
  TlsContext();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `content` to `path` atomically (temp file + fsync + rename) with
// the given permission bits.
Status WriteFileAtomic(const std::string& path, const std::string& content, int mode = 0600);

// Reads a whole file.
Result<std::string> ReadFileToString(const std::string& path);

}  // namespace gitopsd::net
