#include "daemon/sync/oneshot.h"

#include <algorithm>
#include <filesystem>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "daemon/kube/kubeconfig.h"
#include "daemon/kube/rest_client.h"
#include "kustomize/kustomize.h"

namespace gitopsd::sync {
namespace {

namespace fs = std::filesystem;

std::string GitRoot(const fs::path& dir) {
  std::error_code ec;
  for (fs::path p = dir; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) return p.string();
    if (p == p.root_path()) break;
  }
  return "/";
}

bool HasKustomization(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
    if (fs::exists(dir / name, ec)) return true;
  }
  return false;
}

Result<ObjectList> ReadManifests(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      files.push_back(entry.path());
    }
  }
  if (ec) return InvalidArgument("reading " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  ObjectList out;
  for (const auto& f : files) {
    ASSIGN_OR_RETURN(auto fs_dir, DiskFileSystem::Open(f.parent_path().string()));
    ASSIGN_OR_RETURN(std::string text, fs_dir->ReadFile(f.filename().string()));
    YamlReadOptions yo;
    yo.source_name = f.string();
    ASSIGN_OR_RETURN(ObjectList docs, ParseYamlStream(text, yo));
    for (Object& d : docs) {
      if (KindOf(d).size() > 4 && KindOf(d).substr(KindOf(d).size() - 4) == "List" &&
          d.contains("items") && d["items"].is_array()) {
        for (Object& item : d["items"]) out.push_back(std::move(item));
      } else {
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

}  // namespace

Result<Connection> Connect(const ConnectOptions& options) {
  kube::KubeconfigOptions ko;
  ko.explicit_path = options.kubeconfig;
  ko.context = options.context;
  ko.namespace_override = options.namespace_;
  ASSIGN_OR_RETURN(kube::RestConfig rc, kube::LoadRestConfig(ko));
  Connection conn;
  conn.namespace_ = rc.namespace_;
  ASSIGN_OR_RETURN(conn.client, kube::NewRestClient(std::move(rc)));
  return conn;
}

Result<ObjectList> RenderDirectory(const std::string& dir) {
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(dir), ec);
  if (ec || !fs::is_directory(abs, ec)) return InvalidArgument("'" + dir + "' is not a directory");
  if (!HasKustomization(abs)) return ReadManifests(abs);
  std::string root = GitRoot(abs);
  ASSIGN_OR_RETURN(auto disk, DiskFileSystem::Open(root));
  std::string rel = fs::relative(abs, root, ec).string();
  if (rel == ".") rel.clear();
  kustomize::RenderOptions ro;
  ro.display_prefix = root == "/" ? "/" : root + "/";
  auto rendered = kustomize::Render(*disk, rel, ro);
  if (!rendered.ok()) return rendered.status().WithContext("rendering " + dir);
  return std::move(rendered->objects);
}

}  // namespace gitopsd::sync
