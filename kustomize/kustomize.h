// gitopsd::kustomize — the native Kustomize renderer.
//
// Render() builds a kustomization directory the way `kustomize build`
// (v5.5.0, as embedded in `kubectl kustomize`) does and returns the objects
// in output order; WriteYamlStream (core/yaml.h) prints them byte for byte as
// kubectl does. Every file is read through the given FileSystem, nothing
// outside its root is touched, and the exact set of files read is reported
// (the daemon skips re-rendering apps whose files a push did not change).
//
// Supported: every kustomization field of v5.5.0 except Helm charts,
// exec/Go/KRM-function plugins and remote resources, which are refused with
// an error naming the field. See docs/kustomize.md for the details and the
// known differences.
//
// Thread-safety: Render is a pure function of (file system, dir, options);
// it keeps no global mutable state and may run concurrently on many threads
// (the FileSystem must allow concurrent readers, as all gitopsd ones do).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd::kustomize {

// Kustomize's --load-restrictor.
enum class LoadRestrictor {
  kRootOnly,  // LoadRestrictionsRootOnly: files only from under the kustomization's dir
  kNone,      // LoadRestrictionsNone: any file in the FileSystem
};

struct RenderOptions {
  LoadRestrictor load_restrictor = LoadRestrictor::kRootOnly;
  // Prepended to file-system paths in messages: "/" when the FileSystem
  // root is "/" (the CLI), a repository name for a git tree, "" for none.
  std::string display_prefix;
  // Nesting limit for kustomizations including kustomizations.
  int max_depth = 64;
  // A render producing more objects than this fails (ResourceExhausted).
  size_t max_objects = 200000;
};

struct RenderResult {
  ObjectList objects;                // in Kustomize's output order
  std::set<std::string> files_read;  // FileSystem paths, every file opened
  std::vector<std::string> warnings; // deprecation notes, as kubectl prints them
};

// Renders the kustomization in `dir` (a path relative to the FileSystem's
// root; "" for the root). Errors name the kustomization file, the field and
// its line where known, e.g.
// `accumulating resources: overlays/dev/kustomization.yaml: line 4: ...`.
Result<RenderResult> Render(const FileSystem& fs, std::string_view dir,
                            const RenderOptions& options = {});

// Parses "LoadRestrictionsRootOnly" / "LoadRestrictionsNone".
Result<LoadRestrictor> ParseLoadRestrictor(std::string_view name);

}  // namespace gitopsd::kustomize
