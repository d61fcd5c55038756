// `gitopsd apply DIR --app NAME [--prune] [--dry-run] [--wait] [--timeout D]`:
// renders DIR, applies it with server-side apply in the gitops order
// (phases, waves, kind rank, Namespace/CRD first), tracks every object for
// the app, prunes tracked objects that left DIR (with --prune), and waits
// for health (with --wait). Prints one line per object (created /
// configured / unchanged / pruned) and the final health. Exit 0 on success,
// 1 on a failed apply or an unhealthy app, 2 on usage or setup errors.
#include <cctype>
#include <iostream>
#include <memory>
#include <string>

#include "daemon/command.h"
#include "daemon/sync/engine.h"
#include "daemon/sync/inventory.h"
#include "daemon/sync/oneshot.h"
#include "daemon/sync/duration.h"

namespace gitopsd::cli {
namespace {

struct ApplyFlags {
  std::string dir;
  std::string app;
  bool prune = false;
  bool dry_run = false;
  bool wait = false;
  std::string timeout = "5m";
  sync::ConnectOptions connect;
};

// "deployment.apps/web" as kubectl prints objects.
std::string ObjectName(const ResId& id) {
  std::string kind = id.kind;
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string s = id.group.empty() ? kind : kind + "." + id.group;
  return s + "/" + id.name;
}

void PrintResult(const sync::ObjectResult& r, bool dry_run) {
  std::ostream& out = r.action == sync::Action::kFailed ? std::cerr : std::cout;
  out << ObjectName(r.id);
  if (!r.id.namespace_.empty()) out << " -n " << r.id.namespace_;
  out << " " << sync::ActionName(r.action);
  if (dry_run) out << " (server dry run)";
  if (!r.message.empty()) out << ": " << r.message;
  out << "\n";
}

int RunApply(const ApplyFlags& f) {
  auto timeout = sync::ParseDuration(f.timeout);
  if (!timeout.ok()) {
    std::cerr << "Error: --timeout: " << timeout.status().message() << "\n";
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
    return 1;
  }
  auto live = sync::ListTracked(client, f.app);
  if (!live.ok()) {
    std::cerr << "Error: " << live.status().message() << "\n";
    return 1;
  }
  sync::ApplyRunOptions ao;
  ao.app = f.app;
  ao.prune = f.prune;
  ao.dry_run = f.dry_run;
  auto report = sync::ApplyAll(client, *desired, *live, ao,
                               [&](const sync::ObjectResult& r) { PrintResult(r, f.dry_run); });
  if (!report.status.ok()) {
    std::cerr << "Error: " << report.status.message() << "\n";
    return 1;
  }
  if (!f.dry_run) {
    Status st = sync::SaveInventory(client, conn->namespace_, f.app, *desired);
    if (!st.ok()) std::cerr << "Warning: " << st.message() << "\n";
  }
  std::vector<ResId> ids;
  for (const Object& o : *desired) ids.push_back(ResId::Of(o));
  if (f.dry_run) return 0;
  sync::WaitOptions wo;
  wo.timeout = *timeout;
  auto health = f.wait ? sync::WaitForHealth(client, ids, wo) : sync::AssessAll(client, ids);
  if (!health.ok()) {
    std::cerr << "Error: " << health.status().message() << "\n";
    return 1;
  }
  std::cout << "app " << f.app << " health: " << diff::HealthName(health->app.status);
  if (!health->app.message.empty()) std::cout << ": " << health->app.message;
  std::cout << "\n";
  if (f.wait && health->app.status != diff::HealthCode::kHealthy) {
    std::cerr << "Error: app " << f.app << " is " << diff::HealthName(health->app.status)
              << (health->timed_out ? " after waiting " + f.timeout : std::string())
              << (health->app.message.empty() ? "" : ": " + health->app.message) << "\n";
    return 1;
  }
  return 0;
}

void RegisterApply(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "apply", "Render DIR and apply it to the cluster (server-side apply, gitops order)");
  auto f = std::make_shared<ApplyFlags>();
  cmd->add_option("dir", f->dir, "Kustomization (or manifest) directory")->required();
  cmd->add_option("--app", f->app, "Application name (tracking label/annotation)")->required();
  cmd->add_flag("--prune", f->prune, "Delete tracked objects that are no longer in DIR");
  cmd->add_flag("--dry-run", f->dry_run, "Server-side dry run: change nothing");
  cmd->add_flag("--wait", f->wait, "Wait until every object is healthy");
  cmd->add_option("--timeout", f->timeout, "Bound of --wait (e.g. 30s, 5m)")->capture_default_str();
  cmd->add_option("--kubeconfig", f->connect.kubeconfig, "Path to the kubeconfig file");
  cmd->add_option("--context", f->connect.context, "Kubeconfig context to use");
  cmd->add_option("-n,--namespace", f->connect.namespace_, "Namespace for objects that name none");
  cmd->callback([f] {
    int code = RunApply(*f);
    if (code != 0) throw CommandExit{code};
  });
}

GITOPSD_COMMAND(30, RegisterApply);

}  // namespace
}  // namespace gitopsd::cli
