// git::Repo over file:// — real repositories made with the git CLI.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/git/repo.h"
#include "tests/git/git_fixture.h"

namespace gitopsd::git {
namespace {

using testing::Sh;
using testing::TempDir;
using testing::WorkRepo;

class MirrorTest : public ::testing::Test {
 protected:
  MirrorTest() : work_(tmp_.path() + "/work") {}

  std::shared_ptr<Repo> Open(uint64_t max_blob = 16u << 20) {
    RepoOptions options;
    options.url = work_.file_url();
    options.cache_dir = tmp_.path() + "/cache";
    options.max_blob_size = max_blob;
    auto repo = OpenMirror(options);
    EXPECT_TRUE(repo.ok()) << repo.status().ToString();
    return repo.ok() ? *repo : nullptr;
  }

  TempDir tmp_;
  WorkRepo work_;
};

TEST_F(MirrorTest, ResolvesBranchTagShortAndFullShaAndHead) {
  work_.Write("app/deploy.yaml", "kind: Deployment\n");
  std::string first = work_.Commit("first commit\n\nwith a body");
  work_.Git("tag v1");
  work_.Git("tag -a v1-annotated -m 'annotated tag'");
  work_.Write("app/deploy.yaml", "kind: Deployment # 2\n");
  std::string second = work_.Commit("second");
  work_.Git("branch feature " + first);

  auto repo = Open();
  ASSERT_TRUE(repo->Fetch().ok());
  EXPECT_EQ(repo->Resolve("main")->sha, second);
  EXPECT_EQ(repo->Resolve("HEAD")->sha, second);
  EXPECT_EQ(repo->Resolve("refs/heads/main")->sha, second);
  EXPECT_EQ(repo->Resolve("feature")->sha, first);
  EXPECT_EQ(repo->Resolve("v1")->sha, first);
  EXPECT_EQ(repo->Resolve("v1-annotated")->sha, first);
  EXPECT_EQ(repo->Resolve(first)->sha, first);
  EXPECT_EQ(repo->Resolve(first.substr(0, 7))->sha, first);
}

// The daemon reads no global git configuration: a broken (or unreadable)
// ~/.gitconfig must not break fetching. Runs in a fresh process (threadsafe
// death test) so that HOME is set before libgit2 starts.
TEST_F(MirrorTest, IgnoresTheUsersGitConfig) {
  work_.Write("a.txt", "a");
  std::string sha = work_.Commit("first");
  std::string home = tmp_.path() + "/home";
  std::filesystem::create_directories(home);
  std::ofstream(home + "/.gitconfig") << "[core\n\tthis is not git config\n";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        ::setenv("HOME", home.c_str(), 1);
        ::setenv("XDG_CONFIG_HOME", home.c_str(), 1);
        auto repo = Open();
        bool ok = repo && repo->Fetch().ok() && repo->Resolve("main").ok() && repo->Resolve("main")->sha == sha;
        std::exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(MirrorTest, CommitCarriesAuthorTitleMessageAndTime) {
  work_.Write("a.txt", "a");
  work_.Git("add -A");
  Sh("cd " + work_.dir() + " && GIT_AUTHOR_DATE='2024-03-01T12:00:00Z' git commit -q -m "
     "'Bump shop to v2' -m 'Body line.'");
  auto repo = Open();
  ASSERT_TRUE(repo->Fetch().ok());
  auto c = repo->Resolve("main");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->sha.size(), 40u);
  EXPECT_EQ(c->author_name, "Ada Lovelace");
  EXPECT_EQ(c->author_email, "ada@example.com");
  EXPECT_EQ(c->title, "Bump shop to v2");
  EXPECT_EQ(c->message, "Bump shop to v2\n\nBody line.\n");
  EXPECT_EQ(c->time, 1709294400);
}

TEST_F(MirrorTest, UnknownRevisionIsNotFoundNamingIt) {
  work_.Commit("one");
  auto repo = Open();
  ASSERT_TRUE(repo->Fetch().ok());
  auto c = repo->Resolve("no-such-branch");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kNotFound);
  EXPECT_NE(c.status().message().find("no-such-branch"), std::string::npos);
  EXPECT_EQ(repo->Resolve("").status().code(), Code::kInvalidArgument);
}

TEST_F(MirrorTest, RevisionsBeforeTheFirstFetchAreNotFound) {
  work_.Commit("one");
  auto repo = Open();
  EXPECT_EQ(repo->Resolve("main").status().code(), Code::kNotFound);
}

TEST_F(MirrorTest, FetchSeesNewCommitsAndPrunesDeletedBranches) {
  std::string one = work_.Commit("one");
  work_.Git("branch doomed");
  auto repo = Open();
  ASSERT_TRUE(repo->Fetch().ok());
  EXPECT_EQ(repo->Resolve("doomed")->sha, one);

  std::string two = work_.Commit("two");
  work_.Git("branch -D doomed");
  EXPECT_EQ(repo->Resolve("main")->sha, one);  // not fetched yet
  ASSERT_TRUE(repo->Fetch().ok());
  EXPECT_EQ(repo->Resolve("main")->sha, two);
  EXPECT_EQ(repo->Resolve("doomed").status().code(), Code::kNotFound);
}

TEST_F(MirrorTest, HeadFollowsTheRemoteDefaultBranch) {
  work_.Commit("on main");
  work_.Git("checkout -q -b trunk");
  std::string trunk = work_.Commit("on trunk");
  auto repo = Open();
  ASSERT_TRUE(repo->Fetch().ok());
  EXPECT_EQ(repo->Resolve("HEAD")->sha, trunk);
}

TEST_F(MirrorTest, MirrorPersistsAcrossReopen) {
  std::string one = work_.Commit("one");
  ASSERT_TRUE(Open()->Fetch().ok());
  Sh("rm -rf " + work_.dir());  // the remote is gone, the mirror is not
  auto repo = Open();
  EXPECT_EQ(repo->Resolve("main")->sha, one);
  Status st = repo->Fetch();
  EXPECT_EQ(st.code(), Code::kUnavailable) << st.ToString();
  EXPECT_EQ(repo->Resolve("main")->sha, one);
  EXPECT_EQ(repo->LastFetch().status.code(), Code::kUnavailable);
}

TEST_F(MirrorTest, StaleLockFilesFromAKilledFetchAreCleanedOnOpen) {
  work_.Commit("one");
  ASSERT_TRUE(Open()->Fetch().ok());
  // What a kill -9 in the middle of a fetch leaves behind.
  std::string dir = tmp_.path() + "/cache/" + MirrorDirName(work_.file_url());
  for (const char* f : {"/refs/heads/main.lock", "/packed-refs.lock", "/HEAD.lock",
                        "/objects/pack/tmp_pack_XYZ"}) {
    std::ofstream(dir + f) << "partial";
  }
  std::string two = work_.Commit("two");
  auto repo = Open();
  Status st = repo->Fetch();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(repo->Resolve("main")->sha, two);
  EXPECT_FALSE(std::filesystem::exists(dir + "/refs/heads/main.lock"));
}

TEST_F(MirrorTest, TwoObjectsOnOneMirrorFetchConcurrentlyWithoutLockErrors) {
  work_.Commit("one");
  auto a = Open();
  auto b = Open();
  for (int round = 0; round < 3; ++round) {
    work_.Commit("commit " + std::to_string(round));
    Status sa, sb;
    std::thread ta([&] { sa = a->Fetch(); });
    std::thread tb([&] { sb = b->Fetch(); });
    ta.join();
    tb.join();
    EXPECT_TRUE(sa.ok()) << sa.ToString();
    EXPECT_TRUE(sb.ok()) << sb.ToString();
  }
}

TEST_F(MirrorTest, FetchOfAMissingRepositoryIsUnavailableNamingIt) {
  RepoOptions options;
  options.url = "file://" + tmp_.path() + "/nowhere";
  options.cache_dir = tmp_.path() + "/cache";
  auto repo = OpenMirror(options);
  ASSERT_TRUE(repo.ok());
  Status st = (*repo)->Fetch();
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("nowhere"), std::string::npos) << st.message();
}

TEST_F(MirrorTest, ChangedFilesListsAddedModifiedDeletedAndRenamedPaths) {
  work_.Write("base/a.yaml", "a");
  work_.Write("base/b.yaml", "b");
  work_.Write("overlays/dev/k.yaml", "k");
  work_.Write("same.yaml", "same");
  std::string one = work_.Commit("one");
  work_.Write("base/a.yaml", "a2");
  work_.Git("rm -q base/b.yaml");
  work_.Git("mv overlays/dev/k.yaml overlays/dev/kustomization.yaml");
  work_.Write("new/c.yaml", "c");
  std::string two = work_.Commit("two");
  auto repo = Open();
  ASSERT_TRUE(repo->Fetch().ok());
  auto changed = repo->ChangedFiles(one, two);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, (std::vector<std::string>{"base/a.yaml", "base/b.yaml", "new/c.yaml",
                                                "overlays/dev/k.yaml",
                                                "overlays/dev/kustomization.yaml"}));
  EXPECT_TRUE(repo->ChangedFiles(two, two)->empty());
}

TEST_F(MirrorTest, FetchIfOlderThanSkipsARecentFetch) {
  std::string one = work_.Commit("one");
  auto repo = Open();
  ASSERT_TRUE(repo->FetchIfOlderThan(std::chrono::hours(1)).ok());  // never fetched: fetches
  EXPECT_EQ(repo->Resolve("main")->sha, one);
  std::string two = work_.Commit("two");
  ASSERT_TRUE(repo->FetchIfOlderThan(std::chrono::hours(1)).ok());
  EXPECT_EQ(repo->Resolve("main")->sha, one);  // skipped
  ASSERT_TRUE(repo->FetchIfOlderThan(std::chrono::seconds(0)).ok());
  EXPECT_EQ(repo->Resolve("main")->sha, two);
}

TEST_F(MirrorTest, ConcurrentFetchesAllSucceedAndSeeTheLatestCommit) {
  work_.Commit("one");
  auto repo = Open();
  std::string two = work_.Commit("two");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (repo->Fetch().ok() && repo->Resolve("main")->sha == two) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_TRUE(repo->LastFetch().status.ok());
}

TEST_F(MirrorTest, MirrorsShareOneRepoPerNormalizedUrl) {
  work_.Commit("one");
  Mirrors mirrors(tmp_.path() + "/cache");
  RepoOptions a;
  a.url = work_.file_url();
  RepoOptions b;
  b.url = work_.file_url() + ".git/";
  auto ra = mirrors.Get(a);
  auto rb = mirrors.Get(b);
  ASSERT_TRUE(ra.ok() && rb.ok());
  EXPECT_EQ(ra->get(), rb->get());
  ASSERT_TRUE((*ra)->Fetch().ok());
  EXPECT_TRUE((*rb)->Resolve("main").ok());
}

TEST(MirrorDirNameTest, ReadableAndDistinct) {
  std::string a = MirrorDirName("https://github.com/org/repo.git");
  EXPECT_EQ(a.rfind("github.com-org-repo-", 0), 0u) << a;
  EXPECT_EQ(a, MirrorDirName("git@GitHub.com:org/repo"));
  EXPECT_NE(a, MirrorDirName("https://github.com/org/repo2"));
  EXPECT_EQ(a.substr(a.size() - 4), ".git");
}

}  // namespace
}  // namespace gitopsd::git
