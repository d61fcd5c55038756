#include "daemon/app/cluster_watch.h"

#include "core/log.h"
#include "daemon/kube/list_watch.h"
#include "daemon/sync/engine.h"
#include "daemon/sync/tracking.h"

namespace gitopsd::app {
namespace {

std::string AppOfObject(const Object& obj) {
  const Object* labels = FindPath(obj, "metadata.labels");
  if (labels == nullptr || !labels->is_object()) return "";
  auto it = labels->find(sync::kAppLabel);
  return it != labels->end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

ClusterWatch::ClusterWatch(std::shared_ptr<kube::Client> client, std::string cluster, OnChange on_change,
                           std::chrono::milliseconds scan_max_age)
    : client_(std::move(client)),
      cluster_(std::move(cluster)),
      on_change_(std::move(on_change)),
      scan_max_age_(scan_max_age) {}

Result<std::set<kube::Gvk>> ClusterWatch::KindsOf(const std::string& app) {
  std::lock_guard<std::mutex> lock(scan_mu_);
  auto now = std::chrono::steady_clock::now();
  if (!scanned_at_ || now - *scanned_at_ >= scan_max_age_) {
    ASSIGN_OR_RETURN(kinds_by_app_, sync::KindsByApp(*client_));
    scanned_at_ = std::chrono::steady_clock::now();
    scans_++;
  }
  auto it = kinds_by_app_.find(app);
  return it == kinds_by_app_.end() ? std::set<kube::Gvk>{} : it->second;
}

ClusterWatch::~ClusterWatch() {
  stop_ = true;
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

void ClusterWatch::Watch(const std::set<kube::Gvk>& kinds) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_) return;
  for (const auto& gvk : kinds) {
    if (gvk.kind.empty() || !group_kinds_.insert({gvk.group, gvk.kind}).second) continue;
    log::Debug("watch", "watching kind", {{"cluster", cluster_}, {"kind", gvk.kind}, {"group", gvk.group}});
    threads_.emplace_back([this, gvk] { Run(gvk); });
  }
}

void ClusterWatch::Run(kube::Gvk gvk) {
  kube::ListWatchOptions options;
  options.list.label_selector = sync::kAppLabel;  // every object some app tracks
  options.list.page_size = 500;
  options.cancel = &stop_;
  bool first_list = true;
  kube::ListWatchHandlers handlers;
  handlers.on_list = [&](const kube::ListResult& list) {
    // The first list is the state every app's first refresh reads anyway;
    // a relist means events may have been lost: tell every app concerned.
    if (!first_list) {
      std::set<std::string> apps;
      for (const auto& item : list.items) apps.insert(AppOfObject(item));
      for (const auto& a : apps) {
        if (!a.empty()) on_change_(a, "relist of " + gvk.kind);
      }
    }
    first_list = false;
    return !stop_.load();
  };
  handlers.on_event = [&](const kube::WatchEvent& e) {
    if (e.type == kube::WatchEvent::Type::kBookmark) return !stop_.load();
    std::string app = AppOfObject(e.object);
    if (!app.empty()) {
      on_change_(app, gvk.kind + " " + GetString(e.object, "metadata.name") +
                          (e.type == kube::WatchEvent::Type::kDeleted ? " deleted" : " changed"));
    }
    return !stop_.load();
  };
  handlers.on_error = [&](const Status& s) {
    if (s.code() == Code::kNotFound) return;  // kind not served (yet)
    log::Debug("watch", "watch interrupted", {{"cluster", cluster_}, {"kind", gvk.kind}, {"error", s.message()}});
  };
  Status s = kube::RunListWatch(*client_, gvk, options, handlers);
  if (!s.ok() && !stop_) {
    log::Warn("watch", "watch ended", {{"cluster", cluster_}, {"kind", gvk.kind}, {"error", s.message()}});
  }
}

}  // namespace gitopsd::app
