#include "daemon/git/internal/tree_fs.h"

#include <cstring>
#include <mutex>

#include "daemon/git/internal/libgit2.h"

namespace gitopsd::git::internal {
namespace {

constexpr uint32_t kModeTypeMask = 0170000;
constexpr uint32_t kModeTree = 0040000;
constexpr uint32_t kModeLink = 0120000;
constexpr uint32_t kModeGitlink = 0160000;
constexpr int kMaxSymlinkHops = 40;

std::string Quote(std::string_view p) { return "\"" + std::string(p) + "\""; }

std::string OidKey(const git_oid& oid) {
  return std::string(reinterpret_cast<const char*>(oid.id), GIT_OID_RAWSZ);
}

std::vector<std::string> SplitPath(std::string_view clean) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < clean.size()) {
    size_t j = clean.find('/', i);
    if (j == std::string_view::npos) j = clean.size();
    parts.emplace_back(clean.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

std::string JoinParts(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (!out.empty()) out.push_back('/');
    out += parts[i];
  }
  return out;
}

uint32_t TypeOf(uint32_t mode) { return mode & kModeTypeMask; }

}  // namespace

TreeFileSystem::TreeFileSystem(std::shared_ptr<git_odb> odb, const git_oid& root,
                               uint64_t max_blob_size)
    : odb_(std::move(odb)), root_(root), max_blob_size_(max_blob_size) {}

Result<std::shared_ptr<const TreeFileSystem::Dir>> TreeFileSystem::LoadDir(
    const git_oid& tree) const {
  std::string key = OidKey(tree);
  {
    std::shared_lock lock(mu_);
    auto it = dirs_.find(key);
    if (it != dirs_.end()) return it->second;
  }
  git_odb_object* raw = nullptr;
  int rc = git_odb_read(&raw, odb_.get(), &tree);
  if (rc < 0) return FromLibgit2(rc, "reading tree " + OidHex(tree));
  OdbObjectPtr obj(raw);
  if (git_odb_object_type(raw) != GIT_OBJECT_TREE) {
    return Internal("object " + OidHex(tree) + " is not a tree");
  }
  auto dir = std::make_shared<Dir>();
  const char* p = static_cast<const char*>(git_odb_object_data(raw));
  const char* end = p + git_odb_object_size(raw);
  while (p < end) {
    Entry entry;
    while (p < end && *p >= '0' && *p <= '7') entry.mode = entry.mode * 8 + static_cast<uint32_t>(*p++ - '0');
    if (p >= end || *p != ' ') return Internal("malformed tree " + OidHex(tree));
    ++p;
    const char* nul = static_cast<const char*>(std::memchr(p, '\0', static_cast<size_t>(end - p)));
    if (nul == nullptr || end - nul < 1 + GIT_OID_RAWSZ) {
      return Internal("malformed tree " + OidHex(tree));
    }
    std::string name(p, nul);
    std::memcpy(entry.oid.id, nul + 1, GIT_OID_RAWSZ);
    p = nul + 1 + GIT_OID_RAWSZ;
    dir->emplace(std::move(name), entry);
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = dirs_.emplace(key, std::move(dir));
  return it->second;
}

Result<std::string> TreeFileSystem::ReadBlob(const git_oid& oid, std::string_view path) const {
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int rc = git_odb_read_header(&size, &type, odb_.get(), &oid);
  if (rc < 0) return FromLibgit2(rc, "reading " + Quote(path));
  if (size > max_blob_size_) {
    return ResourceExhausted(Quote(path) + " is " + std::to_string(size) +
                             " bytes, over the limit of " + std::to_string(max_blob_size_));
  }
  git_odb_object* raw = nullptr;
  rc = git_odb_read(&raw, odb_.get(), &oid);
  if (rc < 0) return FromLibgit2(rc, "reading " + Quote(path));
  OdbObjectPtr obj(raw);
  return std::string(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
}

Result<TreeFileSystem::Entry> TreeFileSystem::Lookup(std::string_view path) const {
  ASSIGN_OR_RETURN(std::string clean, path::CleanRelative(path));
  std::vector<std::string> parts = SplitPath(clean);
  Entry current{kModeTree, root_};
  int hops = 0;
  size_t i = 0;
  while (i < parts.size()) {
    ASSIGN_OR_RETURN(auto dir, LoadDir(current.oid));
    auto it = dir->find(parts[i]);
    std::string so_far = JoinParts(parts, 0, i + 1);
    if (it == dir->end()) return NotFound(Quote(path) + " does not exist");
    Entry entry = it->second;
    if (TypeOf(entry.mode) == kModeGitlink) {
      return NotFound(Quote(path) + ": " + Quote(so_far) +
                      " is a submodule, which gitopsd does not fetch");
    }
    if (TypeOf(entry.mode) == kModeLink) {
      if (++hops > kMaxSymlinkHops) {
        return InvalidArgument(Quote(path) + ": too many levels of symbolic links");
      }
      ASSIGN_OR_RETURN(std::string target, ReadBlob(entry.oid, so_far));
      if (!target.empty() && target.front() == '/') {
        return PermissionDenied(Quote(path) + ": symlink " + Quote(so_far) + " points to " +
                                Quote(target) + ", outside the repository");
      }
      auto joined = path::Join(JoinParts(parts, 0, i), target);
      if (!joined.ok()) {
        return PermissionDenied(Quote(path) + ": symlink " + Quote(so_far) + " points to " +
                                Quote(target) + ", outside the repository");
      }
      std::vector<std::string> next = SplitPath(*joined);
      next.insert(next.end(), parts.begin() + static_cast<long>(i) + 1, parts.end());
      parts = std::move(next);
      current = Entry{kModeTree, root_};
      i = 0;
      continue;
    }
    if (i + 1 < parts.size() && TypeOf(entry.mode) != kModeTree) {
      return NotFound(Quote(path) + " does not exist: " + Quote(so_far) + " is not a directory");
    }
    current = entry;
    ++i;
  }
  return current;
}

Result<std::string> TreeFileSystem::ReadFile(std::string_view p) const {
  ASSIGN_OR_RETURN(Entry entry, Lookup(p));
  if (TypeOf(entry.mode) == kModeTree) return InvalidArgument(Quote(p) + " is a directory");
  return ReadBlob(entry.oid, p);
}

Result<FileType> TreeFileSystem::Stat(std::string_view p) const {
  ASSIGN_OR_RETURN(Entry entry, Lookup(p));
  return TypeOf(entry.mode) == kModeTree ? FileType::kDirectory : FileType::kFile;
}

Result<std::vector<std::string>> TreeFileSystem::ListDir(std::string_view p) const {
  ASSIGN_OR_RETURN(Entry entry, Lookup(p));
  if (TypeOf(entry.mode) != kModeTree) return InvalidArgument(Quote(p) + " is not a directory");
  ASSIGN_OR_RETURN(auto dir, LoadDir(entry.oid));
  std::vector<std::string> names;
  names.reserve(dir->size());
  for (const auto& [name, e] : *dir) {
    if (TypeOf(e.mode) != kModeGitlink) names.push_back(name);
  }
  return names;  // std::map keeps them sorted bytewise
}

}  // namespace gitopsd::git::internal
