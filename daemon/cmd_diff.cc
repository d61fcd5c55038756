// `gitopsd diff DIR [--app NAME] [--kubeconfig F] [--context C] [-n NS]
// [-o text|json]`: renders DIR and compares it with the cluster (server-side
// dry-run apply where the object exists, structural otherwise; normalized,
// Secret values masked). With --app, tracked live objects that left DIR are
// reported as removed (to be pruned). Exit 0: no difference, 1: differences,
// 2: error - as `kubectl diff`.
#include <iostream>
#include <memory>
#include <string>

#include "core/yaml.h"
#include "daemon/command.h"
#include "daemon/sync/engine.h"
#include "daemon/sync/oneshot.h"
#include "diff/render.h"

namespace gitopsd::cli {
namespace {

struct DiffFlags {
  std::string dir;
  std::string app;
  std::string output = "text";
  sync::ConnectOptions connect;
};

int RunDiff(const DiffFlags& f) {
  if (f.output != "text" && f.output != "json") {
    std::cerr << "Error: -o must be text or json\n";
    return 2;
  }
  auto rendered = sync::RenderDirectory(f.dir);
  if (!rendered.ok()) {
    std::cerr << "Error: " << rendered.status().message() << "\n";
    return 2;
  }
  auto conn = sync::Connect(f.connect);
  if (!conn.ok()) {
    std::cerr << "Error: " << conn.status().message() << "\n";
    return 2;
  }
  kube::Client& client = *conn->client;
  auto desired = sync::PrepareDesired(client, *rendered, f.app, conn->namespace_);
  if (!desired.ok()) {
    std::cerr << "Error: " << desired.status().message() << "\n";
    return 2;
  }
  ObjectList live;
  if (!f.app.empty()) {
    auto tracked = sync::ListTracked(client, f.app);
    if (!tracked.ok()) {
      std::cerr << "Error: " << tracked.status().message() << "\n";
      return 2;
    }
    live = std::move(tracked).value();
  }
  diff::DiffOptions options;
  options.normalize.app_name = f.app;
  auto diffs = sync::CompareAll(client, *desired, live, f.app, options);
  if (!diffs.ok()) {
    std::cerr << "Error: " << diffs.status().message() << "\n";
    return 2;
  }
  std::vector<diff::ObjectDiff> changed;
  for (auto& d : *diffs) {
    if (d.HasChanges()) changed.push_back(std::move(d));
  }
  if (f.output == "json") {
    std::cout << diff::ToJson(changed).dump(2) << "\n";
  } else {
    std::cout << diff::RenderUnified(changed);
  }
  return changed.empty() ? 0 : 1;
}

void RegisterDiff(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "diff", "Compare DIR with the cluster (exit 0: same, 1: differences, 2: error)");
  auto f = std::make_shared<DiffFlags>();
  cmd->add_option("dir", f->dir, "Kustomization (or manifest) directory")->required();
  cmd->add_option("--app", f->app, "Application name: also report tracked objects to prune");
  cmd->add_option("-o,--output", f->output, "text (unified diff) or json")->capture_default_str();
  cmd->add_option("--kubeconfig", f->connect.kubeconfig, "Path to the kubeconfig file");
  cmd->add_option("--context", f->connect.context, "Kubeconfig context to use");
  cmd->add_option("-n,--namespace", f->connect.namespace_, "Namespace for objects that name none");
  cmd->callback([f] {
    int code = RunDiff(*f);
    if (code != 0) throw CommandExit{code};
  });
}

GITOPSD_COMMAND(31, RegisterDiff);

}  // namespace
}  // namespace gitopsd::cli
