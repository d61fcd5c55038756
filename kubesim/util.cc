#include "kubesim/util.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <ctime>

namespace gitopsd::kubesim {

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

long long ParseRfc3339(const std::string& t) {
  std::tm tm{};
  if (strptime(t.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return 0;
  return static_cast<long long>(timegm(&tm));
}

std::string NewUid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

std::string RandomSuffix(int n) {
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  unsigned char b[64];
  RAND_bytes(b, sizeof b);
  for (int i = 0; i < n && i < 64; ++i) out += kAlphabet[b[i] % (sizeof kAlphabet - 1)];
  return out;
}

namespace {
std::string Digest(const std::string& s, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}
}  // namespace

std::string ShortHash(const Object& value) {
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string d = Digest(CanonicalJson(value), EVP_sha256());
  std::string out;
  for (int i = 0; i < 10; ++i) out += kAlphabet[static_cast<unsigned char>(d[i]) % (sizeof kAlphabet - 1)];
  return out;
}

std::string Sha512Hex(const std::string& s) {
  std::string d = Digest(s, EVP_sha512());
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : d) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace gitopsd::kubesim
