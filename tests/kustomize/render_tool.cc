// kustomize_render: `kustomize_render build DIR [--load-restrictor X]`, the
// renderer alone (no daemon modules), for quick conformance runs while the
// rest of gitopsd builds.
#include <iostream>
#include <string>

#include "kustomize/cli.h"

int main(int argc, char** argv) {
  std::string dir = ".", restrictor = "LoadRestrictionsRootOnly";
  int i = 1;
  if (i < argc && std::string(argv[i]) == "build") ++i;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--load-restrictor" && i + 1 < argc) {
      restrictor = argv[++i];
    } else if (a.rfind("--load-restrictor=", 0) == 0) {
      restrictor = a.substr(18);
    } else {
      dir = a;
    }
  }
  return gitopsd::kustomize::RunBuildCommand(dir, restrictor, std::cout, std::cerr);
}
