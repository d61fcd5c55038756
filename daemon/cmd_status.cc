// `gitopsd status --app NAME [DIR] [--kubeconfig F] [--context C] [-n NS]
// [-o text|json]`: per-resource sync status (Synced / OutOfSync, with what
// differs) and health, then the app's. The desired state is DIR when given,
// else the inventory the last `gitopsd apply` recorded in the cluster.
// Exit 0: Synced and Healthy, 1: anything else, 2: error.
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include "daemon/command.h"
#include "daemon/sync/engine.h"
#include "daemon/sync/inventory.h"
#include "daemon/sync/oneshot.h"
#include "daemon/sync/tracking.h"
#include "diff/render.h"

namespace gitopsd::cli {
namespace {

struct StatusFlags {
  std::string dir;
  std::string app;
  std::string output = "text";
  sync::ConnectOptions connect;
};

struct Row {
  ResId id;
  std::string sync;
  diff::HealthStatus health;
  std::string detail;
};

std::string SyncOf(const diff::ObjectDiff& d, std::string* detail) {
  switch (d.change) {
    case diff::ChangeKind::kUnchanged:
      return "Synced";
    case diff::ChangeKind::kAdded:
      *detail = "missing from the cluster";
      return "OutOfSync";
    case diff::ChangeKind::kRemoved:
      *detail = "no longer desired (to be pruned)";
      return sync::IgnoreExtraneous(d.live) ? "Synced" : "OutOfSync";
    case diff::ChangeKind::kModified:
      for (const auto& p : d.paths) *detail += (detail->empty() ? "differs at " : ", ") + p.path;
      return "OutOfSync";
  }
  return "Unknown";
}

void PrintText(const std::string& app, const std::vector<Row>& rows, bool synced,
               const diff::HealthStatus& health) {
  std::cout << std::left << std::setw(34) << "KIND" << std::setw(16) << "NAMESPACE"
            << std::setw(28) << "NAME" << std::setw(11) << "SYNC" << std::setw(12) << "HEALTH"
            << "MESSAGE\n";
  for (const Row& r : rows) {
    std::string msg = r.detail;
    if (!r.health.message.empty()) msg += (msg.empty() ? "" : "; ") + r.health.message;
    std::cout << std::setw(34) << r.id.GroupKind() << std::setw(16) << r.id.namespace_
              << std::setw(28) << r.id.name << std::setw(11) << r.sync << std::setw(12)
              << diff::HealthName(r.health.status) << msg << "\n";
  }
  std::cout << "app " << app << ": sync " << (synced ? "Synced" : "OutOfSync") << ", health "
            << diff::HealthName(health.status);
  if (!health.message.empty()) std::cout << " (" << health.message << ")";
  std::cout << "\n";
}

void PrintJson(const std::string& app, const std::vector<Row>& rows, bool synced,
               const diff::HealthStatus& health) {
  Object out = {{"app", app},
                {"sync", synced ? "Synced" : "OutOfSync"},
                {"health", {{"status", diff::HealthName(health.status)}, {"message", health.message}}},
                {"resources", Object::array()}};
  for (const Row& r : rows) {
    out["resources"].push_back({{"id", diff::ResIdToJson(r.id)},
                                {"sync", r.sync},
                                {"detail", r.detail},
                                {"health", {{"status", diff::HealthName(r.health.status)},
                                            {"message", r.health.message}}}});
  }
  std::cout << out.dump(2) << "\n";
}

int RunStatus(const StatusFlags& f) {
  auto conn = sync::Connect(f.connect);
  if (!conn.ok()) {
    std::cerr << "Error: " << conn.status().message() << "\n";
    return 2;
  }
  kube::Client& client = *conn->client;
  Result<ObjectList> desired = ObjectList{};
  if (!f.dir.empty()) {
    auto rendered = sync::RenderDirectory(f.dir);
    desired = rendered.ok() ? sync::PrepareDesired(client, *rendered, f.app, conn->namespace_)
                            : rendered;
  } else {
    desired = sync::LoadInventory(client, conn->namespace_, f.app);
  }
  if (!desired.ok()) {
    std::cerr << "Error: " << desired.status().message() << "\n";
    return 2;
  }
  auto live = sync::ListTracked(client, f.app);
  if (!live.ok()) {
    std::cerr << "Error: " << live.status().message() << "\n";
    return 2;
  }
  diff::DiffOptions options;
  options.normalize.app_name = f.app;
  auto diffs = sync::CompareAll(client, *desired, *live, f.app, options);
  if (!diffs.ok()) {
    std::cerr << "Error: " << diffs.status().message() << "\n";
    return 2;
  }
  std::vector<ResId> ids;
  for (const auto& d : *diffs) ids.push_back(d.id);
  auto health = sync::AssessAll(client, ids);
  if (!health.ok()) {
    std::cerr << "Error: " << health.status().message() << "\n";
    return 2;
  }
  std::vector<Row> rows;
  bool synced = true;
  std::vector<diff::ResourceHealth> counted;
  for (size_t i = 0; i < diffs->size(); ++i) {
    Row row{(*diffs)[i].id, "", health->resources[i].health, ""};
    row.sync = SyncOf((*diffs)[i], &row.detail);
    synced &= row.sync == "Synced";
    if ((*diffs)[i].change != diff::ChangeKind::kRemoved) counted.push_back(health->resources[i]);
    rows.push_back(std::move(row));
  }
  diff::HealthStatus app_health = diff::AppHealth(counted);
  if (f.output == "json") {
    PrintJson(f.app, rows, synced, app_health);
  } else {
    PrintText(f.app, rows, synced, app_health);
  }
  return synced && app_health.status == diff::HealthCode::kHealthy ? 0 : 1;
}

void RegisterStatus(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "status", "Per-resource sync status and health of an app (exit 0: Synced and Healthy)");
  auto f = std::make_shared<StatusFlags>();
  cmd->add_option("--app", f->app, "Application name")->required();
  cmd->add_option("dir", f->dir, "Desired state (default: what the last apply recorded)");
  cmd->add_option("-o,--output", f->output, "text or json")->capture_default_str();
  cmd->add_option("--kubeconfig", f->connect.kubeconfig, "Path to the kubeconfig file");
  cmd->add_option("--context", f->connect.context, "Kubeconfig context to use");
  cmd->add_option("-n,--namespace", f->connect.namespace_, "Namespace for objects that name none");
  cmd->callback([f] {
    int code = RunStatus(*f);
    if (code != 0) throw CommandExit{code};
  });
}

GITOPSD_COMMAND(32, RegisterStatus);

}  // namespace
}  // namespace gitopsd::cli
