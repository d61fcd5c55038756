// git::Repo over SSH against a real OpenSSH server (tests/git/ssh_server.sh):
// key authentication and the known_hosts check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "daemon/git/repo.h"
#include "tests/git/git_fixture.h"

// libgit2 1.5's SSH transport (not gitopsd) leaks its known_hosts handle, the
// auth-method list and a path buffer on every connection. Only SSH fetches
// run in this binary, so ignoring leaks under git_remote_connect_ext hides
// nothing of ours.
// Slow unwinding: the leaking frames are in libraries without frame pointers,
// which the fast unwinder cannot see through to git_remote_connect_ext.
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libssh2_knownhost_init\nleak:libssh2_userauth_list\nleak:git_remote_connect_ext\n";
}

namespace gitopsd::git {
namespace {

using testing::Quoted;
using testing::Sh;
using testing::TempDir;
using testing::WorkRepo;

const std::string kSshServer = std::string(GITOPSD_SOURCE_DIR) + "/tests/git/ssh_server.sh";

class SshRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/sshd", X_OK) != 0 || geteuid() != 0) {
      GTEST_SKIP() << "needs root and /usr/sbin/sshd (Debian openssh-server)";
    }
    work_ = std::make_unique<WorkRepo>(tmp_.path() + "/work");
    sha_ = work_->Commit("first");
    bare_ = tmp_.path() + "/env.git";
    Sh("git init -q -b main --bare " + Quoted(bare_));
    work_->Git("push -q " + Quoted(bare_) + " main");
    port_ = Sh(kSshServer + " start " + Quoted(keys()));
    started_ = true;
  }
  void TearDown() override {
    if (started_) Sh(kSshServer + " stop " + Quoted(keys()));
  }

  std::string keys() const { return tmp_.path() + "/ssh"; }
  std::string url() const { return "ssh://root@127.0.0.1:" + port_ + bare_; }
  // A known_hosts file recording `key` (a .pub file in keys()) for the server.
  std::string KnownHosts(const std::string& key) {
    std::string file = tmp_.path() + "/known_hosts-" + key;
    std::string pub = Sh("cut -d' ' -f1,2 " + Quoted(keys() + "/" + key + ".pub"));
    std::ofstream(file) << "[127.0.0.1]:" << port_ << " " << pub << "\n";
    return file;
  }
  std::shared_ptr<Repo> Open(const std::string& client_key, const std::string& known_hosts) {
    RepoOptions options;
    options.url = url();
    options.cache_dir = tmp_.path() + "/cache";
    options.credentials.ssh_key_file = keys() + "/" + client_key;
    options.credentials.known_hosts_file = known_hosts;
    auto repo = OpenMirror(options);
    EXPECT_TRUE(repo.ok()) << repo.status().ToString();
    return *repo;
  }

  TempDir tmp_;
  std::unique_ptr<WorkRepo> work_;
  std::string sha_, bare_, port_;
  bool started_ = false;
};

TEST_F(SshRepoTest, FetchesWithAKeyFromAKnownHost) {
  auto repo = Open("client_key", KnownHosts("host_key"));
  Status st = repo->Fetch();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(repo->Resolve("main")->sha, sha_);
}

TEST_F(SshRepoTest, UnknownHostIsRefusedNamingIt) {
  std::string empty = tmp_.path() + "/empty_known_hosts";
  std::ofstream(empty) << "";
  Status st = Open("client_key", empty)->Fetch();
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.ToString();
  EXPECT_NE(st.message().find("unknown SSH host 127.0.0.1"), std::string::npos) << st.message();
}

TEST_F(SshRepoTest, ChangedHostKeyIsRefused) {
  Status st = Open("client_key", KnownHosts("other_key"))->Fetch();
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.ToString();
  EXPECT_NE(st.message().find("does not match"), std::string::npos) << st.message();
}

TEST_F(SshRepoTest, UnauthorizedKeyIsUnauthenticated) {
  Status st = Open("other_key", KnownHosts("host_key"))->Fetch();
  EXPECT_EQ(st.code(), Code::kUnauthenticated) << st.ToString();
}

}  // namespace
}  // namespace gitopsd::git
