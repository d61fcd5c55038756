// `gitopsd build DIR`: renders a kustomization like `kustomize build DIR`
// (Kustomize v5.5.0 as in `kubectl kustomize`); see kustomize/cli.h for the
// file-system root and exit codes.
#include <iostream>
#include <memory>
#include <string>

#include "daemon/command.h"
#include "kustomize/cli.h"

namespace gitopsd::cli {
namespace {

void RegisterBuild(CLI::App& app) {
  auto* cmd = app.add_subcommand("build", "Render a kustomization directory like `kustomize build`");
  auto dir = std::make_shared<std::string>(".");
  auto restrictor = std::make_shared<std::string>("LoadRestrictionsRootOnly");
  cmd->add_option("dir", *dir, "Kustomization directory (default: .)");
  cmd->add_option("--load-restrictor", *restrictor,
                  "LoadRestrictionsRootOnly (default) or LoadRestrictionsNone");
  cmd->callback([dir, restrictor] {
    int code = kustomize::RunBuildCommand(*dir, *restrictor, std::cout, std::cerr);
    if (code != 0) throw CommandExit{code};
  });
}

GITOPSD_COMMAND(10, RegisterBuild);

}  // namespace
}  // namespace gitopsd::cli
