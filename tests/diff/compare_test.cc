#include "diff/diff.h"

#include <gtest/gtest.h>

#include "diff/mask.h"
#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

DiffOptions ShopApp() {
  DiffOptions o;
  o.normalize.app_name = "shop";
  return o;
}

std::string PathsOf(const ObjectDiff& d) {
  std::string s;
  for (const auto& p : d.paths) s += p.path + ";";
  return s;
}

TEST(CompareTest, UnchangedRightAfterApplyWithDryRun) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live.json");
  Object dry = LoadJson("deployment/dry_run.json");
  auto d = CompareObjects(&desired, &live, &dry, ShopApp());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
  EXPECT_EQ(d->strategy, Strategy::kDryRun);
  EXPECT_TRUE(d->paths.empty());
}

TEST(CompareTest, StructuralIgnoresDefaultsQuantitiesAndEmptyValues) {
  // No dry-run: the live object carries server defaults (strategy,
  // terminationMessagePath, probe timings, protocol), quantities in canonical
  // form ("500m" for 0.5), no `hostNetwork: false`, no empty annotations.
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->strategy, Strategy::kStructural);
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
}

TEST(CompareTest, ScaledDeploymentReportsOnlyReplicasWithDryRun) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live_scaled.json");
  Object dry = LoadJson("deployment/dry_run_scaled.json");
  auto d = CompareObjects(&desired, &live, &dry, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kModified);
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/spec/replicas");
  EXPECT_EQ(d->paths[0].old_value, Object(5));
  EXPECT_EQ(d->paths[0].new_value, Object(3));
}

TEST(CompareTest, ScaledDeploymentReportsOnlyReplicasStructurally) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live_scaled.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kModified);
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/spec/replicas");
}

TEST(CompareTest, StructuralPredictsRemovalOfFieldsWeAppliedBefore) {
  // gitopsd applied metadata.labels.app (live managedFields, manager gitopsd,
  // operation Apply); the repo dropped it: server-side apply would remove it.
  Object desired = LoadJson("deployment/desired.json");
  desired["metadata"].erase("labels");
  Object live = LoadJson("deployment/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kModified);
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/metadata/labels/app");
  EXPECT_EQ(d->paths[0].old_value, Object("web"));
  DiffOptions off = ShopApp();
  off.field_manager = "";
  auto d2 = CompareObjects(&desired, &live, nullptr, off);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->change, ChangeKind::kUnchanged) << PathsOf(*d2);
}

TEST(CompareTest, OnlyAppliedFieldsArePredictedRemoved) {
  // After `kubectl scale`, manager "kubectl" owns spec.replicas through an
  // Update (subresource scale), not an Apply: dropping replicas from an
  // applied configuration of that manager would not remove the field.
  Object desired = LoadJson("deployment/desired.json");
  desired["spec"].erase("replicas");
  Object live = LoadJson("deployment/live_scaled.json");
  DiffOptions opt = ShopApp();
  opt.field_manager = "kubectl";
  auto d = CompareObjects(&desired, &live, nullptr, opt);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
}

TEST(CompareTest, IgnoreRuleHidesTheReplicaDrift) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live_scaled.json");
  Object dry = LoadJson("deployment/dry_run_scaled.json");
  DiffOptions opt = ShopApp();
  IgnoreRule r;
  r.group = "apps";
  r.kind = "Deployment";
  r.json_pointers = {"/spec/replicas"};
  opt.ignore.push_back(r);
  auto d = CompareObjects(&desired, &live, &dry, opt);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
}

TEST(CompareTest, ImageChangeIsReportedAtItsPath) {
  Object desired = LoadJson("deployment/desired.json");
  desired["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.example.com/shop/web:1.5.0";
  Object live = LoadJson("deployment/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/spec/template/spec/containers/0/image");
  EXPECT_EQ(d->paths[0].new_value, Object("registry.example.com/shop/web:1.5.0"));
}

TEST(CompareTest, ServiceWithAllocatedFieldsAndReorderedPortsIsUnchanged) {
  Object desired = LoadJson("service/desired.json");
  Object live = LoadJson("service/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
}

TEST(CompareTest, ServicePortChangeIsFoundByMergeKey) {
  Object desired = LoadJson("service/desired.json");
  desired["spec"]["ports"][0]["targetPort"] = 9090;  // the http port (live index 1)
  Object live = LoadJson("service/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/spec/ports/1/targetPort");
  EXPECT_EQ(d->paths[0].old_value, Object("http"));
}

TEST(CompareTest, ExtraLiveContainerIsADifference) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live.json");
  Object sidecar = {{"name", "sidecar"}, {"image", "envoy:1.30"}};
  live["spec"]["template"]["spec"]["containers"].push_back(sidecar);
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kModified);
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/spec/template/spec/containers");
}

TEST(CompareTest, SecretFromStringDataEqualsLiveData) {
  Object desired = LoadJson("secret/desired.json");
  Object live = LoadJson("secret/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
}

TEST(CompareTest, EditedSecretValueChangesWithoutShowingIt) {
  Object desired = LoadJson("secret/desired.json");
  Object live = LoadJson("secret/live_edited.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kModified);
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/data/password");
  EXPECT_EQ(d->paths[0].old_value, Object("++++++++"));
  EXPECT_EQ(d->paths[0].new_value, Object("++++++++++++"));
  std::string everything = d->live.dump() + d->predicted.dump();
  for (const char* v : {"czNjcjN0LXBhNTU=", "Y2hhbmdlZC1ieS1oYW5k", "c2hvcA==", "s3cr3t"}) {
    EXPECT_EQ(everything.find(v), std::string::npos) << v;
  }
}

TEST(CompareTest, SensitiveAnnotationsNeverShow) {
  Object desired = LoadJson("deployment/desired.json");
  desired["metadata"]["annotations"]["vault.example.com/token"] = "hvs.new-token";
  Object live = LoadJson("deployment/live.json");
  live["metadata"]["annotations"]["vault.example.com/token"] = "hvs.old-token";
  DiffOptions opt = ShopApp();
  opt.sensitive_annotations = {"vault.example.com/token"};
  auto d = CompareObjects(&desired, &live, nullptr, opt);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/metadata/annotations/vault.example.com~1token");
  std::string all = d->live.dump() + d->predicted.dump();
  EXPECT_EQ(all.find("hvs."), std::string::npos);
}

TEST(CompareTest, StatefulSetWithVolumeClaimTemplatesIsUnchanged) {
  Object desired = LoadJson("statefulset/desired.json");
  Object live = LoadJson("statefulset/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kUnchanged) << PathsOf(*d);
}

TEST(CompareTest, CustomResourceComparesOnlyDeclaredFields) {
  Object desired = LoadJson("crd/desired.json");
  Object live = LoadJson("crd/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kModified);
  ASSERT_EQ(d->paths.size(), 1u) << PathsOf(*d);
  EXPECT_EQ(d->paths[0].path, "/spec/image");
  EXPECT_EQ(d->paths[0].old_value, Object("shop/report:1.9"));
}

TEST(CompareTest, MissingLiveObjectIsAdded) {
  Object desired = LoadJson("secret/desired.json");
  auto d = CompareObjects(&desired, nullptr, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kAdded);
  EXPECT_TRUE(d->live.is_null());
  EXPECT_EQ(d->predicted["data"]["password"], kMask);
  EXPECT_EQ(d->id.ToString(), "v1 Secret shop/db");
}

TEST(CompareTest, AddedUsesTheDryRunResultWhenGiven) {
  Object desired = LoadJson("deployment/desired.json");
  Object dry = LoadJson("deployment/dry_run.json");
  Object null_live;
  auto d = CompareObjects(&desired, &null_live, &dry, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kAdded);
  EXPECT_EQ(d->predicted["spec"]["revisionHistoryLimit"], 10);
}

TEST(CompareTest, TrackedObjectGoneFromGitIsRemoved) {
  Object live = LoadJson("service/live.json");
  auto d = CompareObjects(nullptr, &live, nullptr, ShopApp());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ChangeKind::kRemoved);
  EXPECT_TRUE(d->predicted.is_null());
  EXPECT_EQ(d->id.ToString(), "v1 Service shop/web");
}

TEST(CompareTest, RefusesBadInput) {
  EXPECT_FALSE(CompareObjects(nullptr, nullptr, nullptr).ok());
  Object list = Object::array();
  Object ok = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})");
  EXPECT_FALSE(CompareObjects(&list, &ok, nullptr).ok());
  DiffOptions bad;
  IgnoreRule r;
  r.json_pointers = {"no-slash"};
  bad.ignore.push_back(r);
  auto d = CompareObjects(&ok, &ok, nullptr, bad);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("v1 ConfigMap c"), std::string::npos) << d.status().ToString();
}

TEST(CompareTest, DiffPathsReportsAddedRemovedAndWholeListChanges) {
  Object a = Object::parse(R"({"a":1,"b":{"c":[1,2]},"gone":true,"x/y":1})");
  Object b = Object::parse(R"({"a":2,"b":{"c":[1,2,3]},"new":"v","x/y":1})");
  auto paths = DiffPaths(a, b);
  ASSERT_EQ(paths.size(), 4u);
  EXPECT_EQ(paths[0].path, "/a");
  EXPECT_EQ(paths[1].path, "/b/c");
  EXPECT_EQ(paths[2].path, "/gone");
  EXPECT_FALSE(paths[2].new_value.has_value());
  EXPECT_EQ(paths[3].path, "/new");
  EXPECT_FALSE(paths[3].old_value.has_value());
  EXPECT_EQ(DiffPaths(Object::parse(R"({"a/b~":1})"), Object::parse(R"({"a/b~":2})"))[0].path, "/a~1b~0");
}

}  // namespace
}  // namespace gitopsd::diff
