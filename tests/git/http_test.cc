// git::Repo over smart HTTP(S) from a real git http-backend behind nginx
// (tests/e2e/git_server.sh), with basic auth and a private CA.
#include <gtest/gtest.h>

#include "daemon/git/repo.h"
#include "tests/git/git_fixture.h"

namespace gitopsd::git {
namespace {

using testing::Quoted;
using testing::Sh;
using testing::TempDir;
using testing::WorkRepo;

Credentials Basic(std::string user, std::string password) {
  Credentials c;
  c.username = std::move(user);
  c.password = std::move(password);
  return c;
}

const std::string kServer = std::string(GITOPSD_SOURCE_DIR) + "/tests/e2e/git_server.sh";

// One server (and one pushed repository) per test, in its own temp dir.
class HttpRepoTest : public ::testing::Test {
 protected:
  HttpRepoTest() : work_(tmp_.path() + "/work") {
    sha_ = work_.Commit("first");
    Sh("git init -q -b main --bare " + Quoted(server_dir() + "/repos/env.git"));
    work_.Git("push -q " + Quoted(server_dir() + "/repos/env.git") + " main");
  }
  ~HttpRepoTest() override { Sh(kServer + " stop " + Quoted(server_dir())); }

  std::string server_dir() const { return tmp_.path() + "/server"; }
  std::string Start(const std::string& flags) {
    return Sh(kServer + " start " + Quoted(server_dir()) + " " + flags);
  }
  std::shared_ptr<Repo> Open(const std::string& url, Credentials creds) {
    RepoOptions options;
    options.url = url;
    options.cache_dir = tmp_.path() + "/cache";
    options.credentials = std::move(creds);
    auto repo = OpenMirror(options);
    EXPECT_TRUE(repo.ok()) << repo.status().ToString();
    return *repo;
  }

  TempDir tmp_;
  WorkRepo work_;
  std::string sha_;
};

TEST_F(HttpRepoTest, FetchesWithBasicAuth) {
  std::string base = Start("--user alice --password s3cret");
  auto repo = Open(base + "/env.git", Basic("alice", "s3cret"));
  Status st = repo->Fetch();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(repo->Resolve("main")->sha, sha_);
  EXPECT_EQ(repo->Resolve("HEAD")->sha, sha_);
}

TEST_F(HttpRepoTest, TokenIsSentAsThePassword) {
  std::string base = Start("--user x-access-token --password tok123");
  auto repo = Open(base + "/env.git", Basic("", "tok123"));
  Status st = repo->Fetch();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(repo->Resolve("main")->sha, sha_);
}

TEST_F(HttpRepoTest, WrongOrMissingCredentialsAreUnauthenticated) {
  std::string base = Start("--user alice --password s3cret");
  Status wrong = Open(base + "/env.git", Basic("alice", "nope"))->Fetch();
  EXPECT_EQ(wrong.code(), Code::kUnauthenticated) << wrong.ToString();
  Status missing = Open(base + "/env.git", {})->Fetch();
  EXPECT_EQ(missing.code(), Code::kUnauthenticated) << missing.ToString();
}

TEST_F(HttpRepoTest, StoppedServerIsUnavailableAndRecoveryNeedsNoRestart) {
  std::string base = Start("");
  auto repo = Open(base + "/env.git", {});
  ASSERT_TRUE(repo->Fetch().ok());
  Sh(kServer + " stop " + Quoted(server_dir()));
  std::string two = work_.Commit("second");
  work_.Git("push -q " + Quoted(server_dir() + "/repos/env.git") + " main");
  Status down = repo->Fetch();
  EXPECT_EQ(down.code(), Code::kUnavailable) << down.ToString();
  EXPECT_NE(down.message().find("127.0.0.1"), std::string::npos) << down.message();
  EXPECT_EQ(repo->Resolve("main")->sha, sha_);  // last known state still served
  EXPECT_EQ(Start(""), base);                   // same port again
  ASSERT_TRUE(repo->Fetch().ok());
  EXPECT_EQ(repo->Resolve("main")->sha, two);
}

TEST_F(HttpRepoTest, HttpsWithAPrivateCaNeedsTheCaFile) {
  std::string base = Start("--tls --user alice --password s3cret");
  ASSERT_EQ(base.rfind("https://", 0), 0u) << base;
  Credentials creds = Basic("alice", "s3cret");
  Status untrusted = Open(base + "/env.git", creds)->Fetch();
  EXPECT_EQ(untrusted.code(), Code::kPermissionDenied) << untrusted.ToString();
  EXPECT_NE(untrusted.message().find("127.0.0.1"), std::string::npos) << untrusted.message();

  creds.ca_file = server_dir() + "/run/ca.crt";
  Status trusted = Open(base + "/env.git", creds)->Fetch();
  ASSERT_TRUE(trusted.ok()) << trusted.ToString();
}

TEST_F(HttpRepoTest, UnknownRepositoryIsAnErrorNamingTheUrl) {
  std::string base = Start("");
  Status st = Open(base + "/missing.git", {})->Fetch();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("missing.git"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace gitopsd::git
