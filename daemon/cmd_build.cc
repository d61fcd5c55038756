// `gitopsd build DIR`: renders a kustomization like `kustomize build DIR`
// (Kustomize v5.5.0 as in `kubectl kustomize`) and prints the stream to
// stdout. Errors go to stderr and exit 1.
//
// File-system root: when DIR is inside a git work tree, the root is the top
// of that tree (nothing outside the repository is read, as in the daemon);
// otherwise it is "/" like kustomize. --load-restrictor then applies under
// that root as Kustomize's does.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "daemon/command.h"
#include "kustomize/kustomize.h"

namespace gitopsd::cli {
namespace {

// The top of the git work tree holding `dir` (an absolute path), or "/".
std::string FileSystemRoot(const std::filesystem::path& dir) {
  std::error_code ec;
  for (std::filesystem::path p = dir; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / ".git", ec)) return p.string();
    if (p == p.root_path()) break;
  }
  return "/";
}

int RunBuild(const std::string& dir, const std::string& restrictor_name) {
  auto restrictor = kustomize::ParseLoadRestrictor(restrictor_name);
  if (!restrictor.ok()) {
    std::cerr << "Error: " << restrictor.status().message() << "\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::weakly_canonical(std::filesystem::absolute(dir), ec);
  if (ec || !std::filesystem::is_directory(abs, ec)) {
    std::cerr << "Error: must build at directory: '" << dir << "' is not a directory\n";
    return 1;
  }
  std::string root = FileSystemRoot(abs);
  auto fs = DiskFileSystem::Open(root);
  if (!fs.ok()) {
    std::cerr << "Error: " << fs.status().message() << "\n";
    return 1;
  }
  std::string rel = std::filesystem::relative(abs, root, ec).string();
  if (rel == ".") rel.clear();
  kustomize::RenderOptions options;
  options.load_restrictor = *restrictor;
  options.display_prefix = root;
  auto result = kustomize::Render(**fs, rel, options);
  if (!result.ok()) {
    std::cerr << "Error: " << result.status().message() << "\n";
    return 1;
  }
  for (const std::string& w : result->warnings) std::cerr << w << "\n";
  std::cout << WriteYamlStream(result->objects);
  return 0;
}

void RegisterBuild(CLI::App& app) {
  auto* cmd = app.add_subcommand("build", "Render a kustomization directory like `kustomize build`");
  auto dir = std::make_shared<std::string>(".");
  auto restrictor = std::make_shared<std::string>("LoadRestrictionsRootOnly");
  cmd->add_option("dir", *dir, "Kustomization directory (default: .)");
  cmd->add_option("--load-restrictor", *restrictor,
                  "LoadRestrictionsRootOnly (default) or LoadRestrictionsNone");
  cmd->callback([dir, restrictor] {
    int code = RunBuild(*dir, *restrictor);
    if (code != 0) throw CommandExit{code};
  });
}

GITOPSD_COMMAND(10, RegisterBuild);

}  // namespace
}  // namespace gitopsd::cli
