// ClusterWatch: one cluster's watches on the objects gitopsd manages.
//
// For every kind any app of the cluster has (desired or live), one
// list-watch (kube::RunListWatch, its own thread) with the label selector
// `gitopsd.io/app` follows every tracked object of that kind. A change to
// one (someone's kubectl edit, a controller writing status, a deletion)
// calls `on_change(app)` so that app refreshes at once instead of at its
// next poll: drift is seen in about a second and selfHeal acts on it.
// After a relist (the watch fell too far behind: 410 Gone) every app with
// an object of that kind is told, since events may have been missed.
//
// Kinds are added as apps report them (Watch); a watch is never stopped
// before the ClusterWatch is destroyed.
//
// KindsOf(app) answers which kinds an app has objects of in the cluster from
// one scan shared by all the cluster's apps (every listable kind, label
// present), reused for `scan_max_age`: an app's full scan then lists only its
// own kinds. Without it 1,000 apps starting up made 30+ lists each (about
// 40,000 requests through the client's 50 QPS limit). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "daemon/kube/client.h"

namespace gitopsd::app {

class ClusterWatch {
 public:
  using OnChange = std::function<void(const std::string& app, const std::string& what)>;

  ClusterWatch(std::shared_ptr<kube::Client> client, std::string cluster, OnChange on_change,
               std::chrono::milliseconds scan_max_age = std::chrono::seconds(30));
  ~ClusterWatch();
  ClusterWatch(const ClusterWatch&) = delete;
  ClusterWatch& operator=(const ClusterWatch&) = delete;

  // Starts watching the kinds not yet watched (one version per group/kind).
  void Watch(const std::set<kube::Gvk>& kinds);

  // The kinds `app` has objects of, from the shared scan (made now if the
  // last one is older than scan_max_age; concurrent callers wait for one).
  Result<std::set<kube::Gvk>> KindsOf(const std::string& app);
  // Scans made so far (tests, metrics).
  int scans() const { return scans_.load(); }

 private:
  void Run(kube::Gvk gvk);

  std::shared_ptr<kube::Client> client_;
  const std::string cluster_;
  OnChange on_change_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> group_kinds_;
  std::vector<std::thread> threads_;

  const std::chrono::milliseconds scan_max_age_;
  std::mutex scan_mu_;  // held through a scan: one at a time, callers share it
  std::optional<std::chrono::steady_clock::time_point> scanned_at_;
  std::map<std::string, std::set<kube::Gvk>> kinds_by_app_;
  std::atomic<int> scans_{0};
};

}  // namespace gitopsd::app
