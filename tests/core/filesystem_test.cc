#include "core/filesystem.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace gitopsd {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "gitopsd-fs-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  void Write(const std::string& rel, const std::string& content) const {
    fs::create_directories(fs::path(path_ + "/" + rel).parent_path());
    std::ofstream(path_ + "/" + rel) << content;
  }

 private:
  std::string path_;
};

TEST(PathTest, CleanRelativeCollapsesAndRefusesEscapes) {
  EXPECT_EQ(*path::CleanRelative("a//b/./c/../d"), "a/b/d");
  EXPECT_EQ(*path::CleanRelative("."), "");
  EXPECT_EQ(*path::CleanRelative("a/.."), "");
  EXPECT_EQ(path::CleanRelative("../x").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(path::CleanRelative("a/../../x").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(path::CleanRelative("/etc/passwd").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(*path::Join("overlays/dev", "../../base"), "base");
  EXPECT_EQ(path::Dir("a/b/c"), "a/b");
  EXPECT_EQ(path::Dir("c"), "");
  EXPECT_EQ(path::Base("a/b/c"), "c");
}

TEST(DiskFileSystemTest, ReadsFilesAndListsSorted) {
  TempDir t;
  t.Write("base/kustomization.yaml", "resources: []\n");
  t.Write("base/b.yaml", "b");
  t.Write("base/a.yaml", "a");
  auto fsys = DiskFileSystem::Open(t.path());
  ASSERT_TRUE(fsys.ok()) << fsys.status().ToString();
  EXPECT_EQ(*(*fsys)->ReadFile("base/kustomization.yaml"), "resources: []\n");
  EXPECT_TRUE((*fsys)->IsDir("base"));
  EXPECT_TRUE((*fsys)->IsFile("base/a.yaml"));
  auto names = (*fsys)->ListDir("base");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a.yaml", "b.yaml", "kustomization.yaml"}));
  EXPECT_EQ((*fsys)->ReadFile("nope").status().code(), Code::kNotFound);
  EXPECT_EQ((*fsys)->ReadFile("base").status().code(), Code::kInvalidArgument);
}

TEST(DiskFileSystemTest, RefusesPathsAndSymlinksLeavingTheRoot) {
  TempDir outside;
  outside.Write("secret.txt", "s3cret");
  TempDir t;
  t.Write("repo/ok.yaml", "ok");
  ASSERT_EQ(symlink((outside.path() + "/secret.txt").c_str(), (t.path() + "/repo/link").c_str()), 0);
  ASSERT_EQ(symlink("ok.yaml", (t.path() + "/repo/inner").c_str()), 0);
  auto fsys = DiskFileSystem::Open(t.path() + "/repo");
  ASSERT_TRUE(fsys.ok());
  EXPECT_EQ((*fsys)->ReadFile("link").status().code(), Code::kPermissionDenied);
  EXPECT_EQ((*fsys)->ReadFile("../repo/ok.yaml").status().code(), Code::kPermissionDenied);
  EXPECT_EQ((*fsys)->ReadFile(outside.path() + "/secret.txt").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(*(*fsys)->ReadFile("inner"), "ok");
}

TEST(DiskFileSystemTest, RefusesFilesOverTheSizeLimit) {
  TempDir t;
  t.Write("big.yaml", std::string(2048, 'x'));
  auto fsys = DiskFileSystem::Open(t.path(), {.max_file_size = 1024});
  ASSERT_TRUE(fsys.ok());
  auto r = (*fsys)->ReadFile("big.yaml");
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r.status().message().find("big.yaml"), std::string::npos);
}

TEST(MemoryFileSystemTest, ImpliesDirectoriesFromFiles) {
  MemoryFileSystem m;
  m.AddFile("overlays/dev/kustomization.yaml", "k");
  m.AddFile("base/deploy.yaml", "d");
  m.AddDir("empty");
  EXPECT_TRUE(m.IsDir(""));
  EXPECT_TRUE(m.IsDir("overlays"));
  EXPECT_TRUE(m.IsDir("empty"));
  EXPECT_EQ(*m.ListDir(""), (std::vector<std::string>{"base", "empty", "overlays"}));
  EXPECT_EQ(*m.ListDir("overlays/dev"), (std::vector<std::string>{"kustomization.yaml"}));
  EXPECT_EQ(*m.ReadFile("overlays/../base/deploy.yaml"), "d");
  EXPECT_EQ(m.ReadFile("../x").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(m.ReadFile("base").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace gitopsd
