#include "core/filesystem.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sys/stat.h>

namespace gitopsd {

bool FileSystem::IsDir(std::string_view p) const {
  auto t = Stat(p);
  return t.ok() && *t == FileType::kDirectory;
}
bool FileSystem::IsFile(std::string_view p) const {
  auto t = Stat(p);
  return t.ok() && *t == FileType::kFile;
}

namespace path {

Result<std::string> CleanRelative(std::string_view p) {
  if (!p.empty() && p.front() == '/') {
    return PermissionDenied("absolute path \"" + std::string(p) + "\" is outside the root");
  }
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view part = p.substr(i, j - i);
    if (part.empty() || part == ".") {
    } else if (part == "..") {
      if (parts.empty()) {
        return PermissionDenied("path \"" + std::string(p) + "\" climbs outside the root");
      }
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto part : parts) {
    if (!out.empty()) out.push_back('/');
    out.append(part);
  }
  return out;
}

Result<std::string> Join(std::string_view dir, std::string_view rel) {
  if (!rel.empty() && rel.front() == '/') return CleanRelative(rel);
  std::string joined(dir);
  if (!joined.empty()) joined.push_back('/');
  joined.append(rel);
  return CleanRelative(joined);
}

std::string Dir(std::string_view p) {
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(p.substr(0, slash));
}

std::string Base(std::string_view p) {
  size_t slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

}  // namespace path

// ---- DiskFileSystem ----

Result<std::unique_ptr<DiskFileSystem>> DiskFileSystem::Open(const std::string& root,
                                                             DiskFileSystemOptions options) {
  char buf[PATH_MAX];
  if (!realpath(root.c_str(), buf)) return NotFound("directory \"" + root + "\" does not exist");
  struct stat st;
  if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return InvalidArgument("\"" + root + "\" is not a directory");
  }
  return std::unique_ptr<DiskFileSystem>(new DiskFileSystem(buf, options));
}

Result<std::string> DiskFileSystem::Resolve(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string rel, path::CleanRelative(p));
  std::string abs = rel.empty() ? root_ : (root_ == "/" ? "/" + rel : root_ + "/" + rel);
  char buf[PATH_MAX];
  if (!realpath(abs.c_str(), buf)) return NotFound("\"" + rel + "\" does not exist");
  std::string real(buf);
  bool inside = real == root_ || root_ == "/" ||
                (real.size() > root_.size() && real.compare(0, root_.size(), root_) == 0 &&
                 real[root_.size()] == '/');
  if (!inside) {
    return PermissionDenied("\"" + rel + "\" resolves outside the root (symlink to " + real + ")");
  }
  return real;
}

Result<std::string> DiskFileSystem::ReadFile(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string real, Resolve(p));
  struct stat st;
  if (stat(real.c_str(), &st) != 0) return NotFound("\"" + std::string(p) + "\" does not exist");
  if (S_ISDIR(st.st_mode)) return InvalidArgument("\"" + std::string(p) + "\" is a directory");
  if (!S_ISREG(st.st_mode)) return InvalidArgument("\"" + std::string(p) + "\" is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > options_.max_file_size) {
    return ResourceExhausted("\"" + std::string(p) + "\" is " + std::to_string(st.st_size) +
                             " bytes, over the limit of " +
                             std::to_string(options_.max_file_size));
  }
  std::ifstream in(real, std::ios::binary);
  if (!in) return Unavailable("cannot open \"" + std::string(p) + "\"");
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

Result<FileType> DiskFileSystem::Stat(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string real, Resolve(p));
  struct stat st;
  if (stat(real.c_str(), &st) != 0) return NotFound("\"" + std::string(p) + "\" does not exist");
  return S_ISDIR(st.st_mode) ? FileType::kDirectory : FileType::kFile;
}

Result<std::vector<std::string>> DiskFileSystem::ListDir(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string real, Resolve(p));
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(real, ec)) {
    names.push_back(entry.path().filename().string());
  }
  if (ec) return InvalidArgument("cannot list \"" + std::string(p) + "\": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

// ---- MemoryFileSystem ----

void MemoryFileSystem::AddDir(std::string_view p) {
  auto clean = path::CleanRelative(p);
  if (!clean.ok()) return;
  std::string d = *clean;
  while (true) {
    dirs_[d] = true;
    if (d.empty()) break;
    d = path::Dir(d);
  }
}

void MemoryFileSystem::AddFile(std::string_view p, std::string content) {
  auto clean = path::CleanRelative(p);
  if (!clean.ok() || clean->empty()) return;
  AddDir(path::Dir(*clean));
  files_[*clean] = std::move(content);
}

Result<std::string> MemoryFileSystem::ReadFile(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string rel, path::CleanRelative(p));
  auto it = files_.find(rel);
  if (it != files_.end()) return it->second;
  if (dirs_.count(rel)) return InvalidArgument("\"" + rel + "\" is a directory");
  return NotFound("\"" + rel + "\" does not exist");
}

Result<FileType> MemoryFileSystem::Stat(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string rel, path::CleanRelative(p));
  if (files_.count(rel)) return FileType::kFile;
  if (dirs_.count(rel)) return FileType::kDirectory;
  return NotFound("\"" + rel + "\" does not exist");
}

Result<std::vector<std::string>> MemoryFileSystem::ListDir(std::string_view p) const {
  ASSIGN_OR_RETURN(std::string rel, path::CleanRelative(p));
  if (!dirs_.count(rel)) {
    if (files_.count(rel)) return InvalidArgument("\"" + rel + "\" is not a directory");
    return NotFound("\"" + rel + "\" does not exist");
  }
  std::set<std::string> names;
  std::string prefix = rel.empty() ? "" : rel + "/";
  auto collect = [&](const auto& map) {
    for (auto it = map.lower_bound(prefix); it != map.end(); ++it) {
      const std::string& k = it->first;
      if (k.compare(0, prefix.size(), prefix) != 0) break;
      if (k.size() == prefix.size()) continue;
      std::string rest = k.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
  };
  collect(files_);
  collect(dirs_);
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace gitopsd
