// diff CompareObjects over a realistic set: the 257 objects medium/overlays/dev
// renders as desired, and for each a "live" object as an apiserver holds it
// after gitopsd applied it (uid, resourceVersion, creationTimestamp,
// generation, managedFields of the gitopsd Apply entry, a status on
// workloads, defaulted fields). Every 10th live object has drifted (an image
// tag or replicas changed by hand) and every 15th carries a label gitopsd
// applied earlier that the repo dropped since (the structural strategy
// predicts its removal).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/bench_trees.h"
#include "core/managed_fields_entries.h"
#include "core/managed_fields_ops.h"
#include "core/managed_fields_schema.h"
#include "diff/diff.h"

namespace gitopsd::bench {
namespace {

Object LiveFromDesired(const Object& desired, size_t index) {
  Object live = desired;
  Object& meta = live["metadata"];
  if (index % 15 == 0) meta["labels"]["dropped-from-repo"] = "true";
  const std::string api_version = live.value("apiVersion", "");
  const std::string kind = live.value("kind", "");
  auto fields = FieldsOf(live, ApplySchema::ForKind(api_version, kind));
  meta["uid"] = "6f1c2a9e-0000-4000-8000-" + std::to_string(100000000000 + index);
  meta["resourceVersion"] = std::to_string(1000 + index);
  meta["creationTimestamp"] = "2026-11-29T10:00:00Z";
  meta["generation"] = 2;
  if (fields.ok()) {
    ManagedFieldsEntry entry{"gitopsd", "Apply", api_version, "2026-11-29T10:00:00Z", "",
                             std::move(*fields)};
    WriteManagedFields(live, {std::move(entry)});
  }
  if (kind == "Deployment") {
    Object& spec = live["spec"];
    spec["revisionHistoryLimit"] = 10;
    spec["progressDeadlineSeconds"] = 600;
    spec["strategy"] = {{"type", "RollingUpdate"},
                        {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}};
    Object& pod = spec["template"]["spec"];
    pod["restartPolicy"] = "Always";
    pod["dnsPolicy"] = "ClusterFirst";
    pod["terminationGracePeriodSeconds"] = 30;
    pod["schedulerName"] = "default-scheduler";
    if (pod.contains("containers")) {
      for (auto& c : pod["containers"]) {
        c["imagePullPolicy"] = "IfNotPresent";
        c["terminationMessagePath"] = "/dev/termination-log";
        c["terminationMessagePolicy"] = "File";
      }
      if (index % 10 == 0 && !pod["containers"].empty()) {
        pod["containers"][0]["image"] = "registry.example.com/hotfix:manual";
      }
    }
    if (index % 10 == 5) spec["replicas"] = 7;
    live["status"] = {{"observedGeneration", 2}, {"replicas", 2}, {"readyReplicas", 2},
                      {"availableReplicas", 2}, {"updatedReplicas", 2}};
  } else if (kind == "Service") {
    live["spec"]["clusterIP"] = "10.96.0." + std::to_string(index % 250 + 1);
    live["spec"]["sessionAffinity"] = "None";
    live["spec"]["type"] = live["spec"].value("type", "ClusterIP");
  }
  return live;
}

void BM_CompareObjects(benchmark::State& state) {
  std::string error;
  const ObjectList* desired = RenderedObjects("medium", "overlays/dev", &error);
  if (desired == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  ObjectList live;
  live.reserve(desired->size());
  for (size_t i = 0; i < desired->size(); ++i) live.push_back(LiveFromDesired((*desired)[i], i));
  diff::DiffOptions options;
  size_t modified = 0;
  for (auto _ : state) {
    modified = 0;
    for (size_t i = 0; i < desired->size(); ++i) {
      auto d = diff::CompareObjects(&(*desired)[i], &live[i], nullptr, options);
      if (!d.ok()) {
        state.SkipWithError(d.status().ToString().c_str());
        return;
      }
      modified += d->HasChanges() ? 1 : 0;
      benchmark::DoNotOptimize(d);
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(desired->size()));
  state.counters["objects"] = double(desired->size());
  state.counters["modified"] = double(modified);
}

BENCHMARK(BM_CompareObjects)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gitopsd::bench
