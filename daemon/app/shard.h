// Sharding: several gitopsd replicas share the apps of one configuration.
//
// Apps are split into `shards` by a stable hash of their name (ShardOf).
// Each shard is a coordination.k8s.io/v1 Lease "<prefix><i>" in the
// management cluster; the replica holding a shard's lease is the only one
// that refreshes and syncs its apps. Each replica:
//   - renews a Lease of its own ("gitopsd-replica-<identity>"): the live
//     ones tell how many replicas share the shards, hence the fair share
//     (shards / replicas, rounded up); a replica holding more hands the
//     extra shards back (highest first) so a replica that joins gets work;
//   - renews the leases it holds every leaseDuration/3 (server-side apply
//     with metadata.resourceVersion as a precondition: a lost race is a
//     409, never two holders);
//   - takes a free shard (no Lease yet) or an expired one (its record did
//     not change for a whole lease duration, as observed locally: clocks
//     may differ) at once while it holds fewer than its fair share
//     (shards / live replicas, rounded up), and otherwise only after the
//     shard stayed free for another lease duration, so that replicas
//     starting together spread the shards instead of the first one taking
//     them all;
//   - stops working a shard on its own as soon as its last successful
//     renewal is older than 2/3 of the lease duration (well before another
//     replica may take it over), so no app is ever synced by two replicas.
// A replica killed with -9 loses its shards to the others within about one
// lease duration. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "daemon/kube/client.h"

namespace gitopsd::app {

struct ShardOptions {
  int shards = 1;
  std::string namespace_ = "default";
  std::string identity;  // unique per replica (hostname-pid by default)
  std::chrono::milliseconds lease_duration{std::chrono::seconds(15)};
  std::string prefix = "gitopsd-shard-";
};

// The shard of an app: FNV-1a of its name, modulo `shards`.
int ShardOf(const std::string& app, int shards);

class ShardElector {
 public:
  ShardElector(std::shared_ptr<kube::Client> client, ShardOptions options);
  ~ShardElector();
  ShardElector(const ShardElector&) = delete;
  ShardElector& operator=(const ShardElector&) = delete;

  void Start();
  // Stops renewing and releases the held leases (a clean shutdown hands the
  // shards over at once instead of after the lease duration).
  void Stop();

  int shards() const { return options_.shards; }
  const std::string& identity() const { return options_.identity; }
  // True while this replica may work the shard.
  bool Owns(int shard) const;
  bool OwnsApp(const std::string& app) const { return Owns(ShardOf(app, options_.shards)); }
  // Holder identity of each shard as last seen ("" = free).
  std::map<int, std::string> Holders() const;
  // Whether a shard has work in flight here (a step running, an operation
  // waiting for health); such a shard is not handed back until it is idle.
  // Set before Start().
  void SetBusy(std::function<bool(int shard)> fn) { busy_ = std::move(fn); }

 private:
  void Loop();
  void Round(std::chrono::system_clock::time_point now);
  std::string MemberLeaseName() const;

  std::shared_ptr<kube::Client> client_;
  const ShardOptions options_;
  std::function<bool(int)> busy_;
  mutable std::mutex mu_;
  std::map<int, std::chrono::steady_clock::time_point> renewed_;  // shards held: last renewal
  std::map<int, std::chrono::steady_clock::time_point> free_since_;
  std::map<int, std::string> holders_;
  // Per lease name: the record last seen (holder|renewTime) and since when.
  std::map<std::string, std::pair<std::string, std::chrono::steady_clock::time_point>> observed_;
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gitopsd::app
