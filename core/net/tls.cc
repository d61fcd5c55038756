#include "core/net/tls.h"

#include <fcntl.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gitopsd::net {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

PkeyPtr NewKey() { return PkeyPtr(EVP_EC_gen("P-256")); }

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

Result<PemPair> ToPem(X509* cert, EVP_PKEY* key) {
  BioPtr cb(BIO_new(BIO_s_mem()));
  BioPtr kb(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(cb.get(), cert) ||
      !PEM_write_bio_PrivateKey(kb.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    return Internal("tls: writing PEM failed");
  }
  return PemPair{BioToString(cb.get()), BioToString(kb.get())};
}

bool AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

X509Ptr NewCert(const std::string& cn, int valid_days, EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * valid_days);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return cert;
}

Result<X509Ptr> ParseCert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) return InvalidArgument("tls: CA certificate is not valid PEM");
  return X509Ptr(cert);
}

Result<PkeyPtr> ParseKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return InvalidArgument("tls: CA key is not valid PEM");
  return PkeyPtr(key);
}

bool IsIp(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace

Result<PemPair> GenerateCa(const std::string& common_name, int valid_days) {
  PkeyPtr key = NewKey();
  if (!key) return Internal("tls: EC key generation failed");
  X509Ptr cert = NewCert(common_name, valid_days, key.get());
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  if (!AddExt(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExt(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature") ||
      !AddExt(cert.get(), cert.get(), NID_subject_key_identifier, "hash")) {
    return Internal("tls: adding CA extensions failed");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return Internal("tls: signing CA failed");
  return ToPem(cert.get(), key.get());
}

Result<PemPair> GenerateServingCert(const PemPair& ca, const CertificateOptions& options) {
  ASSIGN_OR_RETURN(X509Ptr ca_cert, ParseCert(ca.cert_pem));
  ASSIGN_OR_RETURN(PkeyPtr ca_key, ParseKey(ca.key_pem));
  PkeyPtr key = NewKey();
  if (!key) return Internal("tls: EC key generation failed");
  X509Ptr cert = NewCert(options.common_name, options.valid_days, key.get());
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  std::string sans;
  for (const std::string& san : options.sans) {
    if (!sans.empty()) sans += ",";
    sans += (IsIp(san) ? "IP:" : "DNS:") + san;
  }
  if (!AddExt(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExt(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
      !AddExt(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth") ||
      (!sans.empty() && !AddExt(cert.get(), ca_cert.get(), NID_subject_alt_name, sans))) {
    return Internal("tls: adding serving certificate extensions failed");
  }
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0) {
    return Internal("tls: signing serving certificate failed");
  }
  return ToPem(cert.get(), key.get());
}

struct TlsContext::Impl {
  boost::asio::ssl::context ctx{boost::asio::ssl::context::tls_server};
};

TlsContext::TlsContext() : impl_(std::make_unique<Impl>()) {}
TlsContext::~TlsContext() = default;
void* TlsContext::native() const { return &impl_->ctx; }

Result<std::shared_ptr<TlsContext>> TlsContext::FromPem(const PemPair& serving) {
  std::shared_ptr<TlsContext> tls(new TlsContext());
  boost::system::error_code ec;
  auto& ctx = tls->impl_->ctx;
  ctx.set_options(boost::asio::ssl::context::default_workarounds |
                  boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                  boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
  ctx.use_certificate_chain(boost::asio::buffer(serving.cert_pem), ec);
  if (ec) return InvalidArgument("tls: serving certificate: " + ec.message());
  ctx.use_private_key(boost::asio::buffer(serving.key_pem), boost::asio::ssl::context::pem, ec);
  if (ec) return InvalidArgument("tls: serving key: " + ec.message());
  SSL_CTX_set_alpn_select_cb(
      ctx.native_handle(),
      [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
         unsigned int inlen, void*) -> int {
        static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
        unsigned char* selected = nullptr;
        if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
            OPENSSL_NPN_NEGOTIATED) {
          return SSL_TLSEXT_ERR_NOACK;
        }
        *out = selected;
        return SSL_TLSEXT_ERR_OK;
      },
      nullptr);
  return tls;
}

Result<std::shared_ptr<TlsContext>> TlsContext::FromFiles(const std::string& cert_file,
                                                         const std::string& key_file) {
  ASSIGN_OR_RETURN(std::string cert, ReadFileToString(cert_file));
  ASSIGN_OR_RETURN(std::string key, ReadFileToString(key_file));
  return FromPem(PemPair{cert, key});
}

Status WriteFileAtomic(const std::string& path, const std::string& content, int mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Unavailable(tmp + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Unavailable(tmp + ": write: " + err);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Unavailable(tmp + ": fsync/close failed");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Unavailable(path + ": rename: " + err);
  }
  return Status::Ok();
}

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace gitopsd::net
