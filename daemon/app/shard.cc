#include "daemon/app/shard.h"

#include <ctime>

#include "core/log.h"

namespace gitopsd::app {
namespace {

using SteadyClock = std::chrono::steady_clock;

// metav1.MicroTime: RFC 3339 with microseconds, UTC.
std::string MicroTime(std::chrono::system_clock::time_point t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm;
  gmtime_r(&secs, &tm);
  char buf[48];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof buf - n, ".%06lldZ", static_cast<long long>(us % 1000000));
  return buf;
}

Object LeaseObject(const std::string& ns, const std::string& name) {
  return Object{{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"app.kubernetes.io/managed-by", "gitopsd"}}}}}};
}

}  // namespace

int ShardOf(const std::string& app, int shards) {
  if (shards <= 1) return 0;
  uint32_t h = 2166136261u;
  for (unsigned char c : app) {
    h ^= c;
    h *= 16777619u;
  }
  return static_cast<int>(h % static_cast<uint32_t>(shards));
}

ShardElector::ShardElector(std::shared_ptr<kube::Client> client, ShardOptions options)
    : client_(std::move(client)), options_(std::move(options)) {}

ShardElector::~ShardElector() { Stop(); }

void ShardElector::Start() {
  std::lock_guard<std::mutex> lock(loop_mu_);
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

bool ShardElector::Owns(int shard) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = renewed_.find(shard);
  return it != renewed_.end() && SteadyClock::now() - it->second < options_.lease_duration * 2 / 3;
}

std::map<int, std::string> ShardElector::Holders() const {
  std::lock_guard<std::mutex> lock(mu_);
  return holders_;
}

void ShardElector::Loop() {
  std::unique_lock<std::mutex> lock(loop_mu_);
  while (!stop_) {
    lock.unlock();
    Round(std::chrono::system_clock::now());
    lock.lock();
    loop_cv_.wait_for(lock, options_.lease_duration / 3, [this] { return stop_; });
  }
}


std::string ShardElector::MemberLeaseName() const {
  std::string out = "gitopsd-replica-";
  for (char c : options_.identity) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'), ok = true;
    out += ok ? c : '-';
  }
  return out.substr(0, 253);
}

void ShardElector::Round(std::chrono::system_clock::time_point wall_now) {
  const auto now = SteadyClock::now();
  const int64_t duration_s =
      std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(options_.lease_duration).count());
  kube::ApplyOptions ao;
  ao.field_manager = "gitopsd-shard";
  auto held_now = [&] {
    std::set<int> held;
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [i, t] : renewed_) {
      if (now - t < options_.lease_duration * 2 / 3) held.insert(i);
    }
    return held;
  };
  const std::set<int> before = held_now();

  // 1. Membership: every replica renews a Lease of its own, so the others
  //    know how many share the shards.
  Object member = LeaseObject(options_.namespace_, MemberLeaseName());
  member["metadata"]["labels"]["gitopsd.io/lease"] = "replica";
  member["spec"] = {{"holderIdentity", options_.identity}, {"leaseDurationSeconds", duration_s},
                    {"renewTime", MicroTime(wall_now)}};
  if (auto m = client_->Apply(member, ao); !m.ok()) {
    log::Warn("shard", "renewing the replica lease failed", {{"error", m.status().message()}});
  }

  // 2. Every gitopsd lease at once. A record (holder|renewTime) that did not
  //    change for a whole lease duration, as observed here, is expired:
  //    clocks may differ between replicas.
  kube::ListOptions lo;
  lo.namespace_ = options_.namespace_;
  lo.label_selector = "app.kubernetes.io/managed-by=gitopsd";
  auto list = client_->List({"coordination.k8s.io", "v1", "Lease"}, lo);
  if (!list.ok()) {
    log::Warn("shard", "listing leases failed", {{"error", list.status().message()}});
    return;  // Owns() lets the held shards lapse if this goes on
  }
  std::map<std::string, const Object*> by_name;
  for (const auto& l : list->items) by_name[GetString(l, "metadata.name")] = &l;
  auto expired = [&](const std::string& name, const Object& lease) {
    std::string holder = GetString(lease, "spec.holderIdentity");
    std::string seen = holder + "|" + GetString(lease, "spec.renewTime");
    std::lock_guard<std::mutex> lock(mu_);
    auto& [record, since] = observed_[name];
    if (record != seen) {
      record = seen;
      since = now;
    }
    return holder.empty() || now - since >= options_.lease_duration;
  };
  std::set<std::string> members = {options_.identity};
  for (const auto& [name, lease] : by_name) {
    if (name.rfind("gitopsd-replica-", 0) == 0 && !expired(name, *lease)) {
      members.insert(GetString(*lease, "spec.holderIdentity"));
    }
  }
  const int fair_share =
      (options_.shards + static_cast<int>(members.size()) - 1) / static_cast<int>(members.size());

  // 3. Shards held beyond the fair share are handed back (highest first).
  std::set<int> held = held_now();
  std::set<int> release;
  for (auto it = held.rbegin(); it != held.rend() && static_cast<int>(held.size() - release.size()) > fair_share;
       ++it) {
    if (busy_ && busy_(*it)) continue;  // finish what runs first; next round
    release.insert(*it);
  }

  for (int i = 0; i < options_.shards; ++i) {
    const std::string name = options_.prefix + std::to_string(i);
    auto mark = [&](bool held_it, const std::string& holder, bool free) {
      std::lock_guard<std::mutex> lock(mu_);
      holders_[i] = holder;
      if (held_it) {
        renewed_[i] = now;
      } else {
        renewed_.erase(i);
      }
      if (free && !held_it) {
        free_since_.emplace(i, now);
      } else {
        free_since_.erase(i);
      }
    };
    auto may_take = [&] {
      if (static_cast<int>(held_now().size()) < fair_share) return true;
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_since_.find(i);
      return it != free_since_.end() && now - it->second >= options_.lease_duration;
    };
    auto found = by_name.find(name);
    if (found == by_name.end()) {  // no Lease yet
      if (!may_take()) {
        mark(false, "", true);
        continue;
      }
      Object lease = LeaseObject(options_.namespace_, name);
      lease["metadata"]["labels"]["gitopsd.io/lease"] = "shard";
      lease["spec"] = {{"holderIdentity", options_.identity}, {"leaseDurationSeconds", duration_s},
                       {"acquireTime", MicroTime(wall_now)}, {"renewTime", MicroTime(wall_now)},
                       {"leaseTransitions", 0}};
      auto created = client_->Create(lease, {});
      mark(created.ok(), created.ok() ? options_.identity : "", !created.ok());
      continue;
    }
    const Object& live = *found->second;
    std::string holder = GetString(live, "spec.holderIdentity");
    int64_t transitions = 0;
    if (const Object* t = FindPath(live, "spec.leaseTransitions"); t != nullptr && t->is_number_integer()) {
      transitions = t->get<int64_t>();
    }
    bool is_expired = expired(name, live);
    bool mine = holder == options_.identity;
    Object lease = LeaseObject(options_.namespace_, name);
    lease["metadata"]["labels"]["gitopsd.io/lease"] = "shard";
    lease["metadata"]["resourceVersion"] = GetString(live, "metadata.resourceVersion");  // precondition
    if (mine && release.count(i)) {
      mark(false, "", true);  // stop working it before the lease says so
      lease["spec"] = {{"holderIdentity", ""}, {"leaseDurationSeconds", duration_s},
                       {"renewTime", MicroTime(wall_now)}, {"leaseTransitions", transitions}};
      if (auto r = client_->Apply(lease, ao); r.ok()) {
        log::Info("shard", "handed a shard back", {{"shard", std::to_string(i)}, {"fair_share", std::to_string(fair_share)}});
      }
      continue;
    }
    if (!mine && !(is_expired && may_take())) {
      mark(false, holder, is_expired);
      continue;
    }
    lease["spec"] = {{"holderIdentity", options_.identity},
                     {"leaseDurationSeconds", duration_s},
                     {"acquireTime", mine ? GetString(live, "spec.acquireTime") : MicroTime(wall_now)},
                     {"renewTime", MicroTime(wall_now)},
                     {"leaseTransitions", mine ? transitions : transitions + 1}};
    auto applied = client_->Apply(lease, ao);
    if (!applied.ok() && applied.status().code() != Code::kConflict) {
      log::Warn("shard", "writing lease failed", {{"lease", name}, {"error", applied.status().message()}});
    }
    if (applied.ok() && !mine) {
      log::Info("shard", "took a shard", {{"shard", std::to_string(i)}, {"from", holder}});
    }
    mark(applied.ok(), applied.ok() ? options_.identity : holder, false);
  }
  std::set<int> after = held_now();
  if (after != before) {
    std::string shards;
    for (int i : after) shards += (shards.empty() ? "" : ",") + std::to_string(i);
    log::Info("shard", "shards held", {{"identity", options_.identity}, {"shards", shards},
                                       {"replicas", std::to_string(members.size())}});
  }
}

void ShardElector::Stop() {
  {
    std::lock_guard<std::mutex> lock(loop_mu_);
    if (stop_) return;
    stop_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Hand the held shards over now rather than after the lease duration.
  std::set<int> held;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [i, t] : renewed_) held.insert(i);
    renewed_.clear();
  }
  for (int i : held) {
    const std::string name = options_.prefix + std::to_string(i);
    auto got = client_->Get({"coordination.k8s.io", "v1", "Lease", options_.namespace_, name});
    if (!got.ok() || GetString(*got, "spec.holderIdentity") != options_.identity) continue;
    Object lease = LeaseObject(options_.namespace_, name);
    lease["metadata"]["resourceVersion"] = GetString(*got, "metadata.resourceVersion");
    lease["spec"] = {{"holderIdentity", ""}, {"leaseDurationSeconds", 1}};
    kube::ApplyOptions ao;
    ao.field_manager = "gitopsd-shard";
    (void)client_->Apply(lease, ao);
  }
  (void)client_->Delete({"coordination.k8s.io", "v1", "Lease", options_.namespace_, MemberLeaseName()}, {});
}

}  // namespace gitopsd::app
