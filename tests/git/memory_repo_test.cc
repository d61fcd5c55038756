// MemoryRepo: the in-memory git::Repo other modules test against.
#include "daemon/git/memory_repo.h"

#include <gtest/gtest.h>

namespace gitopsd::git {
namespace {

TEST(MemoryRepoTest, RefsAreVisibleOnlyAfterFetch) {
  MemoryRepo repo;
  std::string one = repo.AddCommit("main", {{"app/k.yaml", "a"}}, "first");
  EXPECT_EQ(repo.Resolve("main").status().code(), Code::kNotFound);
  ASSERT_TRUE(repo.Fetch().ok());
  EXPECT_EQ(repo.Resolve("main")->sha, one);
  EXPECT_EQ(repo.Resolve("HEAD")->sha, one);
  EXPECT_EQ(repo.Resolve(one.substr(0, 8))->sha, one);
  EXPECT_EQ(repo.Resolve("main")->title, "first");
  std::string two = repo.AddCommit("main", {{"app/k.yaml", "b"}});
  EXPECT_EQ(repo.Resolve("main")->sha, one);
  ASSERT_TRUE(repo.Fetch().ok());
  EXPECT_EQ(repo.Resolve("main")->sha, two);
  EXPECT_EQ(repo.fetch_count(), 2);
}

TEST(MemoryRepoTest, TagsBranchesTreesAndChangedFiles) {
  MemoryRepo repo;
  std::string one = repo.AddCommit("main", {{"a", "1"}, {"b/c", "2"}});
  repo.Tag("v1", one);
  MemoryRepo::Files files = repo.FilesOf("main");
  files["a"] = "changed";
  files.erase("b/c");
  files["d"] = "new";
  std::string two = repo.AddCommit("main", files);
  repo.AddCommit("feature", {{"x", "y"}});
  ASSERT_TRUE(repo.Fetch().ok());
  EXPECT_EQ(repo.Resolve("v1")->sha, one);
  EXPECT_EQ(*(*repo.Tree("v1"))->ReadFile("b/c"), "2");
  EXPECT_EQ(*(*repo.Tree("main"))->ReadFile("a"), "changed");
  EXPECT_EQ(*repo.ChangedFiles(one, two), (std::vector<std::string>{"a", "b/c", "d"}));
  repo.DeleteBranch("feature");
  ASSERT_TRUE(repo.Fetch().ok());
  EXPECT_EQ(repo.Resolve("feature").status().code(), Code::kNotFound);
}

TEST(MemoryRepoTest, FetchErrorsKeepTheLastState) {
  MemoryRepo repo;
  std::string one = repo.AddCommit("main", {{"a", "1"}});
  ASSERT_TRUE(repo.Fetch().ok());
  repo.AddCommit("main", {{"a", "2"}});
  repo.SetFetchError(Unavailable("connection refused"));
  Status st = repo.Fetch();
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_EQ(repo.LastFetch().status.code(), Code::kUnavailable);
  EXPECT_EQ(repo.Resolve("main")->sha, one);
  repo.SetFetchError(Status::Ok());
  EXPECT_TRUE(repo.FetchIfOlderThan(std::chrono::hours(1)).ok());  // recent success: skipped
  EXPECT_EQ(repo.Resolve("main")->sha, one);
  EXPECT_TRUE(repo.Fetch().ok());
  EXPECT_NE(repo.Resolve("main")->sha, one);
}

}  // namespace
}  // namespace gitopsd::git
