// Kustomization: one parsed and validated kustomization file (internal to
// gitopsd::kustomize). The document stays an Object (the transformers read
// their own fields); loading checks every field name and shape the way
// Kustomize v5.5.0's strict decoding does, refuses the unsupported ones
// (helm, remote resources) by name, and folds the deprecated spellings
// (`bases`, `imageTags`, `env`) into their successors.
#pragma once

#include <string>
#include <unordered_map>

#include "core/object.h"
#include "core/status.h"
#include "kustomize/loader.h"

namespace gitopsd::kustomize {

struct Kustomization {
  Object doc;            // the normalized document (always a mapping)
  std::string path;      // fs path of the file, e.g. "app/base/kustomization.yaml"
  std::string display;   // the path as shown in messages
  bool is_component = false;
  // JSON pointer of a field ("/resources/2") -> 1-based line, for messages.
  std::unordered_map<std::string, int> lines;

  // "app/kustomization.yaml: line 7: field patches[2]: <msg>".
  Status Error(const std::string& pointer, const Status& cause) const;
  const Object& Field(const char* name) const;
  std::string String(const char* name) const;
};

// Finds and loads the kustomization file in the loader's root.
Result<Kustomization> LoadKustomization(const Loader& loader);

}  // namespace gitopsd::kustomize
