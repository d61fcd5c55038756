// The one-shot sync steps against an in-memory cluster: namespaces and
// tracking on prepare, created/configured/unchanged, order, prune, stop on
// failure, refusal to take over another app's object, dry run, health.
#include "daemon/sync/engine.h"

#include <gtest/gtest.h>

#include <map>

#include "daemon/sync/inventory.h"
#include "daemon/sync/tracking.h"
#include "tests/sync/fake_client.h"

namespace gitopsd::sync {
namespace {

using testing::FakeClient;

Object ConfigMapObj(const std::string& name, const std::string& value = "1") {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}},
          {"data", {{"k", value}}}};
}
Object Ns(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}, {"namespace", "x"}}}};
}

ApplyRunOptions RunOpts(bool prune = false, bool dry_run = false) {
  ApplyRunOptions o;
  o.app = "shop";
  o.prune = prune;
  o.dry_run = dry_run;
  return o;
}

std::vector<std::string> Actions(const ApplyReport& r) {
  std::vector<std::string> out;
  for (const auto& o : r.results) out.push_back(o.id.name + ":" + std::string(ActionName(o.action)));
  return out;
}

TEST(EngineTest, PrepareDefaultsNamespacesAndAddsTracking) {
  FakeClient client;
  Object crd = {{"apiVersion", "apiextensions.k8s.io/v1"}, {"kind", "CustomResourceDefinition"},
                {"metadata", {{"name", "tops.example.com"}}},
                {"spec", {{"group", "example.com"}, {"scope", "Cluster"}, {"names", {{"kind", "Top"}}}}}};
  Object top = {{"apiVersion", "example.com/v1"}, {"kind", "Top"},
                {"metadata", {{"name", "t"}, {"namespace", "ignored"}}}};
  auto prepared = PrepareDesired(client, {ConfigMapObj("c"), Ns("n"), crd, top}, "shop", "team");
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(NamespaceOf((*prepared)[0]), "team");
  EXPECT_FALSE((*prepared)[1]["metadata"].contains("namespace"));
  EXPECT_FALSE((*prepared)[3]["metadata"].contains("namespace"));  // CRD says Cluster
  EXPECT_TRUE(IsTrackedBy((*prepared)[0], "shop"));
  EXPECT_EQ((*prepared)[0]["metadata"]["labels"]["gitopsd.io/app"], "shop");
  auto untracked = PrepareDesired(client, {ConfigMapObj("c")}, "", "team");
  EXPECT_FALSE(IsTrackedBy((*untracked)[0], ""));
}

TEST(EngineTest, ReportsCreatedThenUnchangedThenConfigured) {
  FakeClient client;
  auto desired = *PrepareDesired(client, {ConfigMapObj("a"), Ns("n")}, "shop", "team");
  auto first = ApplyAll(client, desired, {}, RunOpts());
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(Actions(first), (std::vector<std::string>{"n:created", "a:created"}));
  EXPECT_EQ(client.log(), (std::vector<std::string>{"apply Namespace/n", "apply ConfigMap/a"}));
  auto second = ApplyAll(client, desired, *ListTracked(client, "shop"), RunOpts());
  EXPECT_EQ(Actions(second), (std::vector<std::string>{"n:unchanged", "a:unchanged"}));
  auto changed = *PrepareDesired(client, {ConfigMapObj("a", "2"), Ns("n")}, "shop", "team");
  auto third = ApplyAll(client, changed, *ListTracked(client, "shop"), RunOpts());
  EXPECT_EQ(Actions(third), (std::vector<std::string>{"n:unchanged", "a:configured"}));
}

TEST(EngineTest, PrunesOnlyWithPruneAndHonoursProtection) {
  FakeClient client;
  auto v1 = *PrepareDesired(client, {ConfigMapObj("keep"), ConfigMapObj("gone"), ConfigMapObj("protected")}, "shop", "team");
  v1[2]["metadata"]["annotations"]["gitopsd.io/prune"] = "false";
  ASSERT_TRUE(ApplyAll(client, v1, {}, RunOpts()).status.ok());
  Object other = ConfigMapObj("other-app");
  other["metadata"]["namespace"] = "team";
  client.Put(WithTracking(other, "blog"));
  auto v2 = *PrepareDesired(client, {ConfigMapObj("keep")}, "shop", "team");

  auto no_prune = ApplyAll(client, v2, *ListTracked(client, "shop"), RunOpts());
  EXPECT_EQ(Actions(no_prune), (std::vector<std::string>{"keep:unchanged", "protected:prune skipped",
                                                         "gone:prune skipped"}));
  EXPECT_TRUE(client.Has({"", "v1", "ConfigMap", "team", "gone"}));

  auto dry = ApplyAll(client, v2, *ListTracked(client, "shop"), RunOpts(true, true));
  EXPECT_EQ(Actions(dry), (std::vector<std::string>{"keep:unchanged", "protected:prune skipped",
                                                    "gone:pruned"}));
  EXPECT_TRUE(client.Has({"", "v1", "ConfigMap", "team", "gone"}));

  auto pruned = ApplyAll(client, v2, *ListTracked(client, "shop"), RunOpts(true));
  EXPECT_EQ(Actions(pruned), (std::vector<std::string>{"keep:unchanged", "protected:prune skipped",
                                                       "gone:pruned"}));
  EXPECT_FALSE(client.Has({"", "v1", "ConfigMap", "team", "gone"}));
  EXPECT_TRUE(client.Has({"", "v1", "ConfigMap", "team", "protected"}));
  EXPECT_TRUE(client.Has({"", "v1", "ConfigMap", "team", "other-app"}));
}

TEST(EngineTest, KindsByAppGroupsEveryAppsKindsInOnePass) {
  FakeClient client;
  ASSERT_TRUE(ApplyAll(client, *PrepareDesired(client, {ConfigMapObj("a"), Ns("n")}, "shop", "team"), {},
                       RunOpts()).status.ok());
  ASSERT_TRUE(ApplyAll(client, *PrepareDesired(client, {ConfigMapObj("b")}, "blog", "team"), {},
                       RunOpts()).status.ok());
  Object untracked = ConfigMapObj("untracked");
  untracked["metadata"]["namespace"] = "team";
  client.Put(untracked);
  auto kinds = KindsByApp(client);
  ASSERT_TRUE(kinds.ok()) << kinds.status().ToString();
  std::map<std::string, std::vector<std::string>> got;
  for (const auto& [app, gvks] : *kinds) {
    for (const auto& gvk : gvks) got[app].push_back(gvk.kind);
  }
  EXPECT_EQ(got, (std::map<std::string, std::vector<std::string>>{
                     {"blog", {"ConfigMap"}}, {"shop", {"ConfigMap", "Namespace"}}}));
}

TEST(EngineTest, ARefreshReadsEachObjectOnce) {
  FakeClient client;
  auto v1 = *PrepareDesired(client, {ConfigMapObj("a"), ConfigMapObj("b")}, "shop", "team");
  ASSERT_TRUE(ApplyAll(client, v1, {}, RunOpts()).status.ok());
  // Now the repo also has "c", not in the cluster yet.
  auto v2 = *PrepareDesired(client, {ConfigMapObj("a"), ConfigMapObj("b"), ConfigMapObj("c")}, "shop", "team");
  auto live = *ListTracked(client, "shop");
  ASSERT_EQ(live.size(), 2u);
  LiveCache read = CacheOf(live);
  const int before = client.gets();
  auto diffs = CompareAll(client, v2, live, "shop", {}, &read);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  std::vector<ResId> ids;
  for (const auto& o : v2) ids.push_back(ResId::Of(o));
  auto health = AssessAll(client, ids, &read);
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(client.gets() - before, 1) << "only c, which the list did not return, is read, and once";
  ASSERT_EQ(health->resources.size(), 3u);
  EXPECT_EQ(health->resources[2].health.status, diff::HealthCode::kMissing);
  // Without a cache every object is read by each step.
  const int uncached = client.gets();
  ASSERT_TRUE(CompareAll(client, v2, live, "shop").ok());
  ASSERT_TRUE(AssessAll(client, ids).ok());
  EXPECT_EQ(client.gets() - uncached, 6);
}

TEST(EngineTest, StopsAtTheFirstFailureNamingTheObject) {
  FakeClient client;
  client.FailApplyOf("b");
  auto desired = *PrepareDesired(client, {ConfigMapObj("a"), ConfigMapObj("b"), ConfigMapObj("c")}, "shop", "team");
  auto report = ApplyAll(client, desired, {}, RunOpts());
  ASSERT_FALSE(report.status.ok());
  EXPECT_NE(report.status.message().find("v1 ConfigMap team/b"), std::string::npos);
  EXPECT_NE(report.status.message().find("admission denied b"), std::string::npos);
  EXPECT_EQ(Actions(report), (std::vector<std::string>{"a:created", "b:failed"}));
  EXPECT_FALSE(client.Has({"", "v1", "ConfigMap", "team", "c"}));
}

TEST(EngineTest, RefusesToTakeOverAnotherAppsObject) {
  FakeClient client;
  Object theirs = WithTracking(ConfigMapObj("shared"), "blog");
  theirs["metadata"]["namespace"] = "team";
  client.Put(WithTracking(theirs, "blog"));
  auto desired = *PrepareDesired(client, {ConfigMapObj("shared")}, "shop", "team");
  auto report = ApplyAll(client, desired, {}, RunOpts());
  ASSERT_FALSE(report.status.ok());
  EXPECT_NE(report.status.message().find("tracked by app \"blog\""), std::string::npos);
}

TEST(EngineTest, DryRunChangesNothing) {
  FakeClient client;
  auto desired = *PrepareDesired(client, {ConfigMapObj("a")}, "shop", "team");
  auto report = ApplyAll(client, desired, {}, RunOpts(false, true));
  ASSERT_TRUE(report.status.ok());
  EXPECT_EQ(Actions(report), (std::vector<std::string>{"a:created"}));
  EXPECT_FALSE(client.Has({"", "v1", "ConfigMap", "team", "a"}));
}

TEST(EngineTest, CompareReportsModifiedAddedAndRemoved) {
  FakeClient client;
  auto v1 = *PrepareDesired(client, {ConfigMapObj("same"), ConfigMapObj("edited"), ConfigMapObj("gone")}, "shop", "team");
  ASSERT_TRUE(ApplyAll(client, v1, {}, RunOpts()).status.ok());
  auto v2 = *PrepareDesired(client, {ConfigMapObj("same"), ConfigMapObj("edited", "2"), ConfigMapObj("new")}, "shop", "team");
  diff::DiffOptions options;
  options.normalize.app_name = "shop";
  auto diffs = CompareAll(client, v2, *ListTracked(client, "shop"), "shop", options);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  std::map<std::string, diff::ChangeKind> by_name;
  for (auto& d : *diffs) by_name[d.id.name] = d.change;
  EXPECT_EQ(by_name["same"], diff::ChangeKind::kUnchanged);
  EXPECT_EQ(by_name["edited"], diff::ChangeKind::kModified);
  EXPECT_EQ(by_name["new"], diff::ChangeKind::kAdded);
  EXPECT_EQ(by_name["gone"], diff::ChangeKind::kRemoved);
}

TEST(EngineTest, HealthOfExistingAndMissingObjects) {
  FakeClient client;
  Object dep = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"},
                {"metadata", {{"name", "web"}, {"namespace", "team"}, {"generation", 1}}},
                {"spec", {{"replicas", 1}}},
                {"status", {{"observedGeneration", 1}, {"replicas", 1}, {"updatedReplicas", 1},
                            {"availableReplicas", 1}, {"readyReplicas", 1},
                            {"conditions", {{{"type", "Progressing"}, {"status", "False"},
                                             {"reason", "ProgressDeadlineExceeded"},
                                             {"message", "timed out"}}}}}}};
  client.Put(dep);
  auto report = AssessAll(client, {{"apps", "v1", "Deployment", "team", "web"},
                                   {"", "v1", "ConfigMap", "team", "absent"}});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->resources[0].health.status, diff::HealthCode::kDegraded);
  EXPECT_EQ(report->resources[1].health.status, diff::HealthCode::kMissing);
  EXPECT_EQ(report->app.status, diff::HealthCode::kDegraded);
  WaitOptions wo;
  wo.timeout = std::chrono::milliseconds(60000);
  auto waited = WaitForHealth(client, {{"apps", "v1", "Deployment", "team", "web"}}, wo);
  ASSERT_TRUE(waited.ok());
  EXPECT_FALSE(waited->timed_out);  // Degraded ends the wait at once
  EXPECT_EQ(waited->app.status, diff::HealthCode::kDegraded);
}

TEST(EngineTest, InventoryRoundTrips) {
  FakeClient client;
  auto desired = *PrepareDesired(client, {ConfigMapObj("a")}, "shop", "team");
  ASSERT_TRUE(SaveInventory(client, "team", "shop", desired).ok());
  auto loaded = LoadInventory(client, "team", "shop");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, desired);
  EXPECT_EQ(LoadInventory(client, "team", "blog").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace gitopsd::sync
