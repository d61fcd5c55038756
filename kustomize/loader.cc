#include "kustomize/loader.h"

namespace gitopsd::kustomize {
namespace {

// True when `p` is `dir` or lies below it ("" is the file-system root).
bool IsUnder(std::string_view p, std::string_view dir) {
  if (dir.empty()) return true;
  if (p.size() < dir.size() || p.compare(0, dir.size(), dir) != 0) return false;
  return p.size() == dir.size() || p[dir.size()] == '/';
}

}  // namespace

Result<std::string> Loader::Resolve(std::string_view rel) const {
  return path::Join(root_, rel);
}

std::string Loader::Display(std::string_view fs_path) const {
  if (display_prefix_.empty()) return std::string(fs_path);
  if (fs_path.empty()) return display_prefix_;
  return display_prefix_ == "/" ? "/" + std::string(fs_path)
                                : display_prefix_ + "/" + std::string(fs_path);
}

Result<std::string> Loader::Load(std::string_view rel) const {
  auto p = Resolve(rel);
  if (!p.ok()) return p.status();
  if (restrictor_ == LoadRestrictor::kRootOnly && !IsUnder(*p, root_)) {
    return PermissionDenied("security; file '" + Display(*p) + "' is not in or below '" +
                            Display(root_) + "'");
  }
  auto content = fs_.ReadFile(*p);
  if (!content.ok()) return content.status().WithContext(Display(*p));
  if (files_read_) files_read_->insert(*p);
  return content;
}

bool Loader::IsDir(std::string_view rel) const {
  auto p = Resolve(rel);
  return p.ok() && fs_.IsDir(*p);
}

Result<std::unique_ptr<Loader>> Loader::Child(std::string_view rel) const {
  ASSIGN_OR_RETURN(std::string dir, Resolve(rel));
  auto st = fs_.Stat(dir);
  if (!st.ok()) return st.status().WithContext("must build at directory '" + Display(dir) + "'");
  if (*st != FileType::kDirectory) {
    return InvalidArgument("must build at directory: '" + Display(dir) + "' is a file");
  }
  for (const Loader* l = this; l; l = l->parent_) {
    if (IsUnder(l->root_, dir)) {
      return InvalidArgument("cycle detected: candidate root '" + Display(dir) +
                             "' contains visited root '" + Display(l->root_) + "'");
    }
  }
  auto child = std::make_unique<Loader>(fs_, dir, restrictor_, files_read_);
  child->parent_ = this;
  child->display_prefix_ = display_prefix_;
  return child;
}

}  // namespace gitopsd::kustomize
