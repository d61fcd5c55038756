#include "kustomize/cli.h"

#include <filesystem>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "kustomize/kustomize.h"

namespace gitopsd::kustomize {
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

}  // namespace

int RunBuildCommand(const std::string& dir, const std::string& load_restrictor, std::ostream& out,
                    std::ostream& err) {
  auto restrictor = ParseLoadRestrictor(load_restrictor);
  if (!restrictor.ok()) {
    err << "Error: " << restrictor.status().message() << "\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::weakly_canonical(std::filesystem::absolute(dir), ec);
  if (ec || !std::filesystem::is_directory(abs, ec)) {
    err << "Error: must build at directory: '" << dir << "' is not a directory\n";
    return 1;
  }
  std::string root = FileSystemRoot(abs);
  auto fs = DiskFileSystem::Open(root);
  if (!fs.ok()) {
    err << "Error: " << fs.status().message() << "\n";
    return 1;
  }
  std::string rel = std::filesystem::relative(abs, root, ec).string();
  if (rel == ".") rel.clear();
  RenderOptions options;
  options.load_restrictor = *restrictor;
  options.display_prefix = root;
  auto result = Render(**fs, rel, options);
  if (!result.ok()) {
    err << "Error: " << result.status().message() << "\n";
    return 1;
  }
  for (const std::string& w : result->warnings) err << w << "\n";
  out << WriteYamlStream(result->objects);
  return 0;
}

}  // namespace gitopsd::kustomize
