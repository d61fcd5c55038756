// The `build` command line shared by `gitopsd build` (daemon/cmd_build.cc)
// and the renderer's test tool: renders DIR from the local disk and prints
// the stream like `kustomize build DIR`.
//
// File-system root: the top of the git work tree holding DIR (nothing
// outside the repository is read), else "/" like kustomize. Returns the
// process exit code: 0, 1 on a render error, 2 on a usage error.
#pragma once

#include <ostream>
#include <string>

namespace gitopsd::kustomize {

int RunBuildCommand(const std::string& dir, const std::string& load_restrictor, std::ostream& out,
                    std::ostream& err);

}  // namespace gitopsd::kustomize
