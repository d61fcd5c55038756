// Internal: a commit's tree as a FileSystem, read from the object database.
//
// Directories are parsed from raw tree objects on first use and cached (a
// shared_mutex guards the cache); blobs are read through git_odb, which
// libgit2 documents as thread-safe. So any number of threads may read one
// TreeFileSystem concurrently, and it keeps the odb alive by itself.
#pragma once

#include <git2.h>

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/filesystem.h"

namespace gitopsd::git::internal {

class TreeFileSystem : public FileSystem {
 public:
  // odb: a reference the file system now shares; root: the commit's tree.
  TreeFileSystem(std::shared_ptr<git_odb> odb, const git_oid& root, uint64_t max_blob_size);

  Result<std::string> ReadFile(std::string_view path) const override;
  Result<FileType> Stat(std::string_view path) const override;
  Result<std::vector<std::string>> ListDir(std::string_view path) const override;

 private:
  struct Entry {
    uint32_t mode = 0;
    git_oid oid{};
  };
  using Dir = std::map<std::string, Entry, std::less<>>;

  // The directory listing of a tree object (cached).
  Result<std::shared_ptr<const Dir>> LoadDir(const git_oid& tree) const;
  // Finds the entry at a path, following symlinks in every component (and in
  // the last one too). `path` names the request in errors.
  Result<Entry> Lookup(std::string_view path) const;
  Result<std::string> ReadBlob(const git_oid& oid, std::string_view path) const;

  std::shared_ptr<git_odb> odb_;
  git_oid root_;
  uint64_t max_blob_size_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Dir>> dirs_;  // by raw oid
};

}  // namespace gitopsd::git::internal
