// Loader: how one kustomization directory reads files (internal to
// gitopsd::kustomize). It applies Kustomize's load restrictor (files must lie
// under the kustomization's own directory unless LoadRestrictionsNone),
// detects cycles between kustomization directories, and records every file
// it reads into a set shared by the whole render. Not thread-safe: one render
// = one chain of loaders on one thread.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/status.h"
#include "kustomize/kustomize.h"

namespace gitopsd::kustomize {

class Loader {
 public:
  // A loader rooted at `root` (a cleaned fs-relative directory).
  Loader(const FileSystem& fs, std::string root, LoadRestrictor restrictor,
         std::set<std::string>* files_read)
      : fs_(fs), root_(std::move(root)), restrictor_(restrictor), files_read_(files_read) {}

  const std::string& root() const { return root_; }
  const FileSystem& fs() const { return fs_; }

  // Reads a file named relative to the root, enforcing the restrictor.
  Result<std::string> Load(std::string_view rel) const;
  // The cleaned fs path of `rel` (no restrictor check).
  Result<std::string> Resolve(std::string_view rel) const;
  bool IsDir(std::string_view rel) const;

  // A loader for the kustomization directory `rel`; refuses a directory that
  // contains (or is) this root or any root that led here (a cycle).
  Result<std::unique_ptr<Loader>> Child(std::string_view rel) const;

  // "base/kustomization.yaml" as shown in messages ("/" prefixed for the CLI).
  std::string Display(std::string_view fs_path) const;
  void set_display_prefix(std::string p) { display_prefix_ = std::move(p); }

 private:
  const FileSystem& fs_;
  std::string root_;
  LoadRestrictor restrictor_;
  std::set<std::string>* files_read_;
  const Loader* parent_ = nullptr;
  std::string display_prefix_;
};

}  // namespace gitopsd::kustomize
