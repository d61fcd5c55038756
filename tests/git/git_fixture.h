// Test helpers: temporary directories and real Git repositories driven by
// the `git` command line.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace gitopsd::git::testing {

// Runs a shell command; fails the test (and returns "") on a non-zero exit.
inline std::string Sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "popen failed: " << cmd;
    return out;
  }
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  if (rc != 0) ADD_FAILURE() << "command failed (" << rc << "): " << cmd << "\n" << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

inline std::string Quoted(const std::string& s) { return "'" + s + "'"; }

// A fresh directory under /tmp, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gitopsd-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A non-bare repository with a "main" branch, edited through the git CLI.
class WorkRepo {
 public:
  explicit WorkRepo(std::string dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    Git("init -q -b main");
    Git("config user.name 'Ada Lovelace'");
    Git("config user.email ada@example.com");
    Git("config commit.gpgsign false");
  }
  const std::string& dir() const { return dir_; }
  std::string file_url() const { return "file://" + dir_; }

  std::string Git(const std::string& args) const { return Sh("git -C " + Quoted(dir_) + " " + args); }

  void Write(const std::string& path, const std::string& content) const {
    auto full = std::filesystem::path(dir_) / path;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
  }
  void Symlink(const std::string& target, const std::string& path) const {
    auto full = std::filesystem::path(dir_) / path;
    std::filesystem::create_directories(full.parent_path());
    std::filesystem::create_symlink(target, full);
  }
  // Stages everything and commits; returns the new commit's sha.
  std::string Commit(const std::string& message) const {
    Git("add -A");
    Git("commit -q --allow-empty -m " + Quoted(message));
    return Git("rev-parse HEAD");
  }

 private:
  std::string dir_;
};

}  // namespace gitopsd::git::testing
