// known_hosts matching for the SSH host-key check (fixtures in testdata/).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "daemon/git/internal/known_hosts.h"

namespace gitopsd::git::internal {
namespace {

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(GITOPSD_SOURCE_DIR) + "/tests/git/testdata/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The wire-format key blob of a "type base64" public key fixture.
std::string KeyBlob(const std::string& name) {
  std::string line = ReadFixture(name);
  std::string b64 = line.substr(line.find(' ') + 1);
  while (!b64.empty() && (b64.back() == '\n' || b64.back() == ' ')) b64.pop_back();
  auto blob = Base64Decode(b64);
  EXPECT_TRUE(blob.ok());
  return *blob;
}

class KnownHostsTest : public ::testing::Test {
 protected:
  std::string file_ = ReadFixture("known_hosts");
  std::string k1_ = KeyBlob("host1.pub");
  std::string k2_ = KeyBlob("host2.pub");
};

TEST_F(KnownHostsTest, MatchesHostInACommaList) {
  EXPECT_EQ(MatchKnownHosts(file_, "git.example.com", 22, k1_), HostKeyMatch::kMatch);
  EXPECT_EQ(MatchKnownHosts(file_, "10.0.0.5", 0, k1_), HostKeyMatch::kMatch);
  EXPECT_EQ(MatchKnownHosts(file_, "GIT.EXAMPLE.COM", 22, k1_), HostKeyMatch::kMatch);
}

TEST_F(KnownHostsTest, KnownHostWithAnotherKeyIsAMismatch) {
  EXPECT_EQ(MatchKnownHosts(file_, "git.example.com", 22, k2_), HostKeyMatch::kMismatch);
}

TEST_F(KnownHostsTest, UnlistedHostIsUnknown) {
  EXPECT_EQ(MatchKnownHosts(file_, "other.example.org", 22, k1_), HostKeyMatch::kUnknown);
  EXPECT_EQ(MatchKnownHosts("", "git.example.com", 22, k1_), HostKeyMatch::kUnknown);
}

TEST_F(KnownHostsTest, NonDefaultPortUsesTheBracketedForm) {
  EXPECT_EQ(MatchKnownHosts(file_, "git.example.com", 2222, k2_), HostKeyMatch::kMatch);
  EXPECT_EQ(MatchKnownHosts(file_, "git.example.com", 2222, k1_), HostKeyMatch::kMismatch);
  EXPECT_EQ(MatchKnownHosts(file_, "git.example.com", 2200, k1_), HostKeyMatch::kUnknown);
}

TEST_F(KnownHostsTest, WildcardsAndNegation) {
  EXPECT_EQ(MatchKnownHosts(file_, "a.wild.example", 22, k1_), HostKeyMatch::kMatch);
  EXPECT_EQ(MatchKnownHosts(file_, "bad.wild.example", 22, k1_), HostKeyMatch::kUnknown);
}

TEST_F(KnownHostsTest, RevokedKeyIsRefusedEvenWhenAlsoListed) {
  EXPECT_EQ(MatchKnownHosts(file_, "revoked.example.com", 22, k1_), HostKeyMatch::kMismatch);
}

TEST_F(KnownHostsTest, CertAuthorityLinesAreIgnored) {
  EXPECT_EQ(MatchKnownHosts(file_, "ca.example.com", 22, k2_), HostKeyMatch::kUnknown);
}

TEST_F(KnownHostsTest, HashedHostNamesMatch) {
  std::string hashed = ReadFixture("known_hosts_hashed");
  EXPECT_EQ(MatchKnownHosts(hashed, "hashed.example.com", 22, k1_), HostKeyMatch::kMatch);
  EXPECT_EQ(MatchKnownHosts(hashed, "hashed.example.com", 22, k2_), HostKeyMatch::kMismatch);
  EXPECT_EQ(MatchKnownHosts(hashed, "other.example.com", 22, k1_), HostKeyMatch::kUnknown);
}

TEST(Base64Test, DecodesWithAndWithoutPadding) {
  EXPECT_EQ(*Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(*Base64Decode("aGVsbG8"), "hello");
  EXPECT_EQ(*Base64Decode("aGk="), "hi");
  EXPECT_FALSE(Base64Decode("a$b=").ok());
}

}  // namespace
}  // namespace gitopsd::git::internal
