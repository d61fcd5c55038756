// FileSystem: the only way the renderer (and anything pure) reads files.
//
// Paths are '/'-separated and relative to the file system's root; "" and "."
// name the root. A path that would leave the root (a ".." climbing above it,
// an absolute path, a symlink pointing outside) is refused with
// PermissionDenied: nothing outside the root is ever read. Implementations:
// DiskFileSystem (a directory on disk), MemoryFileSystem (tests, generated
// trees) and daemon/git's tree file system (a commit, straight from the
// object database). All implementations are safe for concurrent readers;
// MemoryFileSystem's writers must not race with readers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gitopsd {

enum class FileType { kFile, kDirectory };

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The whole content of a regular file. NotFound when missing,
  // InvalidArgument when a directory, ResourceExhausted when larger than the
  // implementation's size limit, PermissionDenied when outside the root.
  virtual Result<std::string> ReadFile(std::string_view path) const = 0;

  // The type of the entry at path; NotFound when there is none.
  virtual Result<FileType> Stat(std::string_view path) const = 0;

  // Names (not paths) of the entries of a directory, sorted bytewise.
  virtual Result<std::vector<std::string>> ListDir(std::string_view path) const = 0;

  bool IsDir(std::string_view path) const;
  bool IsFile(std::string_view path) const;
};

// Lexical path helpers (no file system access).
namespace path {
// Cleans a relative path: collapses "//", "." and "x/.."; returns "" for the
// root. Returns PermissionDenied if the path is absolute or climbs above the
// root.
Result<std::string> CleanRelative(std::string_view p);
// Joins and cleans like CleanRelative(dir + "/" + rel); rel may be absolute
// only if it is under nothing (then refused).
Result<std::string> Join(std::string_view dir, std::string_view rel);
std::string Dir(std::string_view p);   // "a/b/c" -> "a/b"; "c" -> ""
std::string Base(std::string_view p);  // "a/b/c" -> "c"
}  // namespace path

struct DiskFileSystemOptions {
  // Files larger than this are refused (ResourceExhausted) before reading.
  uint64_t max_file_size = 64ull << 20;
};

// A directory on disk. Symlinks are followed only while they stay inside the
// root.
class DiskFileSystem : public FileSystem {
 public:
  // root must exist; it is resolved with realpath once.
  static Result<std::unique_ptr<DiskFileSystem>> Open(const std::string& root,
                                                      DiskFileSystemOptions options = {});

  Result<std::string> ReadFile(std::string_view path) const override;
  Result<FileType> Stat(std::string_view path) const override;
  Result<std::vector<std::string>> ListDir(std::string_view path) const override;

  const std::string& root() const { return root_; }

 private:
  DiskFileSystem(std::string root, DiskFileSystemOptions options)
      : root_(std::move(root)), options_(options) {}
  // Absolute real path of a root-relative path, checked to stay in the root.
  Result<std::string> Resolve(std::string_view path) const;

  std::string root_;
  DiskFileSystemOptions options_;
};

// An in-memory tree: files by cleaned path; directories are implied by the
// files below them (and may be added empty with AddDir).
class MemoryFileSystem : public FileSystem {
 public:
  void AddFile(std::string_view path, std::string content);
  void AddDir(std::string_view path);

  Result<std::string> ReadFile(std::string_view path) const override;
  Result<FileType> Stat(std::string_view path) const override;
  Result<std::vector<std::string>> ListDir(std::string_view path) const override;

 private:
  std::map<std::string, std::string, std::less<>> files_;
  std::map<std::string, bool, std::less<>> dirs_;  // every ancestor dir, "" = root
};

}  // namespace gitopsd
