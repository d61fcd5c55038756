// The tree FileSystem of git::Repo::Tree: reads a commit without a checkout.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "daemon/git/repo.h"
#include "tests/git/git_fixture.h"

namespace gitopsd::git {
namespace {

using testing::TempDir;
using testing::WorkRepo;

class TreeFsTest : public ::testing::Test {
 protected:
  TreeFsTest() : work_(tmp_.path() + "/work") {
    work_.Write("base/kustomization.yaml", "resources:\n- deploy.yaml\n");
    work_.Write("base/deploy.yaml", "kind: Deployment\n");
    work_.Write("overlays/dev/kustomization.yaml", "resources:\n- ../../base\n");
    work_.Write("big.bin", std::string(4096, 'x'));
    work_.Symlink("../base/deploy.yaml", "links/deploy.yaml");
    work_.Symlink("../base", "links/base-dir");
    work_.Symlink("../../etc/passwd", "links/escape");
    work_.Symlink("/etc/passwd", "links/absolute");
    work_.Symlink("loop-b", "links/loop-a");
    work_.Symlink("loop-a", "links/loop-b");
    work_.Symlink("missing.yaml", "links/dangling");
    first_ = work_.Commit("tree");
  }

  std::shared_ptr<const FileSystem> Tree(std::string_view rev, uint64_t max_blob = 16u << 20) {
    RepoOptions options;
    options.url = work_.file_url();
    options.cache_dir = tmp_.path() + "/cache";
    options.max_blob_size = max_blob;
    auto repo = OpenMirror(options);
    EXPECT_TRUE(repo.ok());
    EXPECT_TRUE((*repo)->Fetch().ok());
    auto fs = (*repo)->Tree(rev);
    EXPECT_TRUE(fs.ok()) << fs.status().ToString();
    return fs.ok() ? *fs : nullptr;
  }

  TempDir tmp_;
  WorkRepo work_;
  std::string first_;
};

TEST_F(TreeFsTest, ReadsFilesAndListsDirectoriesSorted) {
  auto fs = Tree("main");
  EXPECT_EQ(*fs->ReadFile("base/deploy.yaml"), "kind: Deployment\n");
  EXPECT_EQ(*fs->ReadFile("./overlays/dev/../../base/kustomization.yaml"),
            "resources:\n- deploy.yaml\n");
  EXPECT_EQ(*fs->ListDir(""),
            (std::vector<std::string>{"base", "big.bin", "links", "overlays"}));
  EXPECT_EQ(*fs->ListDir("base"), (std::vector<std::string>{"deploy.yaml", "kustomization.yaml"}));
  EXPECT_EQ(*fs->Stat("overlays"), FileType::kDirectory);
  EXPECT_EQ(*fs->Stat("overlays/dev/kustomization.yaml"), FileType::kFile);
  EXPECT_TRUE(fs->IsDir("."));
}

TEST_F(TreeFsTest, MissingPathsAndWrongTypesAreReported) {
  auto fs = Tree("main");
  EXPECT_EQ(fs->ReadFile("base/nope.yaml").status().code(), Code::kNotFound);
  EXPECT_EQ(fs->ReadFile("base/deploy.yaml/x").status().code(), Code::kNotFound);
  EXPECT_EQ(fs->ReadFile("base").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(fs->ListDir("base/deploy.yaml").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(fs->ReadFile("../outside").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(fs->ReadFile("/etc/passwd").status().code(), Code::kPermissionDenied);
}

TEST_F(TreeFsTest, SymlinksInsideTheTreeAreFollowed) {
  auto fs = Tree("main");
  EXPECT_EQ(*fs->ReadFile("links/deploy.yaml"), "kind: Deployment\n");
  EXPECT_EQ(*fs->Stat("links/base-dir"), FileType::kDirectory);
  EXPECT_EQ(*fs->ReadFile("links/base-dir/kustomization.yaml"), "resources:\n- deploy.yaml\n");
  EXPECT_EQ(fs->ListDir("links/base-dir")->size(), 2u);
}

TEST_F(TreeFsTest, SymlinksLeavingTheTreeAreRefusedNamingTheLink) {
  auto fs = Tree("main");
  auto escape = fs->ReadFile("links/escape");
  EXPECT_EQ(escape.status().code(), Code::kPermissionDenied);
  EXPECT_NE(escape.status().message().find("links/escape"), std::string::npos);
  EXPECT_EQ(fs->ReadFile("links/absolute").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(fs->ReadFile("links/loop-a").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(fs->ReadFile("links/dangling").status().code(), Code::kNotFound);
}

TEST_F(TreeFsTest, BlobsOverTheLimitAreRefusedBeforeReading) {
  auto fs = Tree("main", 1024);
  auto big = fs->ReadFile("big.bin");
  EXPECT_EQ(big.status().code(), Code::kResourceExhausted);
  EXPECT_NE(big.status().message().find("big.bin"), std::string::npos);
  EXPECT_TRUE(fs->ReadFile("base/deploy.yaml").ok());
}

TEST_F(TreeFsTest, OldRevisionsStayReadableAfterNewCommits) {
  work_.Write("base/deploy.yaml", "kind: Deployment # v2\n");
  work_.Commit("v2");
  auto old_fs = Tree(first_);
  auto new_fs = Tree("main");
  EXPECT_EQ(*old_fs->ReadFile("base/deploy.yaml"), "kind: Deployment\n");
  EXPECT_EQ(*new_fs->ReadFile("base/deploy.yaml"), "kind: Deployment # v2\n");
}

TEST_F(TreeFsTest, SubmodulesReadAsNotFoundNamingThem) {
  WorkRepo sub(tmp_.path() + "/sub");
  sub.Commit("sub");
  work_.Git("-c protocol.file.allow=always submodule add -q " + sub.file_url() + " vendor/sub");
  work_.Commit("add submodule");
  auto fs = Tree("main");
  auto r = fs->ReadFile("vendor/sub/README");
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("submodule"), std::string::npos);
  EXPECT_EQ(*fs->ListDir("vendor"), std::vector<std::string>{});
}

TEST_F(TreeFsTest, ConcurrentReadersSeeConsistentContent) {
  auto fs = Tree("main");
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        bool ok = *fs->ReadFile("links/base-dir/deploy.yaml") == "kind: Deployment\n" &&
                  fs->ListDir("overlays/dev")->size() == 1;
        if (ok) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 8 * 200);
}

TEST_F(TreeFsTest, TreeOutlivesItsRepo) {
  std::shared_ptr<const FileSystem> fs;
  {
    RepoOptions options;
    options.url = work_.file_url();
    options.cache_dir = tmp_.path() + "/cache";
    auto repo = OpenMirror(options);
    ASSERT_TRUE(repo.ok());
    ASSERT_TRUE((*repo)->Fetch().ok());
    fs = *(*repo)->Tree("main");
  }
  EXPECT_EQ(*fs->ReadFile("base/deploy.yaml"), "kind: Deployment\n");
}

}  // namespace
}  // namespace gitopsd::git
