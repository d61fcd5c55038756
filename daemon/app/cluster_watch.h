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
// before the ClusterWatch is destroyed. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "daemon/kube/client.h"

namespace gitopsd::app {

class ClusterWatch {
 public:
  using OnChange = std::function<void(const std::string& app, const std::string& what)>;

  ClusterWatch(std::shared_ptr<kube::Client> client, std::string cluster, OnChange on_change);
  ~ClusterWatch();
  ClusterWatch(const ClusterWatch&) = delete;
  ClusterWatch& operator=(const ClusterWatch&) = delete;

  // Starts watching the kinds not yet watched (one version per group/kind).
  void Watch(const std::set<kube::Gvk>& kinds);

 private:
  void Run(kube::Gvk gvk);

  std::shared_ptr<kube::Client> client_;
  const std::string cluster_;
  OnChange on_change_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> group_kinds_;
  std::vector<std::thread> threads_;
};

}  // namespace gitopsd::app
