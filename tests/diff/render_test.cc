#include "diff/render.h"

#include <gtest/gtest.h>

#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

DiffOptions ShopOptions() {
  DiffOptions o;
  o.normalize.app_name = "shop";
  return o;
}

TEST(RenderTest, FileNameNamesTheObject) {
  EXPECT_EQ(DiffFileName(ResId{"apps", "v1", "Deployment", "shop", "web"}), "apps/v1/Deployment/shop/web");
  EXPECT_EQ(DiffFileName(ResId{"rbac.authorization.k8s.io", "v1", "ClusterRole", "", "r"}),
            "rbac.authorization.k8s.io/v1/ClusterRole/r");
}

TEST(RenderTest, UnchangedRendersNothing) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopOptions());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(RenderUnified(*d), "");
}

TEST(RenderTest, ScaledDeploymentShowsOneHunkWithContext) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live_scaled.json");
  Object dry = LoadJson("deployment/dry_run_scaled.json");
  auto d = CompareObjects(&desired, &live, &dry, ShopOptions());
  ASSERT_TRUE(d.ok());
  std::string text = RenderUnified(*d);
  EXPECT_EQ(text.rfind("--- live/apps/v1/Deployment/shop/web\n+++ desired/apps/v1/Deployment/shop/web\n@@ -", 0), 0u)
      << text;
  EXPECT_NE(text.find("-  replicas: 5\n+  replicas: 3\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("\n@@ -"), text.rfind("\n@@ -")) << "expected a single hunk:\n" << text;
  // Three lines of context either side: 3 + 2 changed + 3.
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 3u + 8u) << text;
}

TEST(RenderTest, SecretDiffShowsMasksOnly) {
  Object desired = LoadJson("secret/desired.json");
  Object live = LoadJson("secret/live_edited.json");
  auto d = CompareObjects(&desired, &live, nullptr, ShopOptions());
  ASSERT_TRUE(d.ok());
  std::string text = RenderUnified(*d);
  EXPECT_NE(text.find("-  password: ++++++++\n+  password: ++++++++++++\n"), std::string::npos) << text;
  for (const char* v : {"czNjcjN0LXBhNTU=", "Y2hhbmdlZC1ieS1oYW5k", "c2hvcA=="}) {
    EXPECT_EQ(text.find(v), std::string::npos) << v;
  }
  std::string json = ToJson(*d).dump();
  for (const char* v : {"czNjcjN0LXBhNTU=", "Y2hhbmdlZC1ieS1oYW5k", "c2hvcA=="}) {
    EXPECT_EQ(json.find(v), std::string::npos) << v;
  }
}

TEST(RenderTest, AddedObjectDiffsAgainstNothing) {
  Object desired = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"shop"},"data":{"a":"b"}})");
  auto d = CompareObjects(&desired, nullptr, nullptr);
  ASSERT_TRUE(d.ok());
  std::string text = RenderUnified(*d);
  EXPECT_EQ(text,
            "--- live/v1/ConfigMap/shop/c\n+++ desired/v1/ConfigMap/shop/c\n@@ -0,0 +1,7 @@\n"
            "+apiVersion: v1\n+data:\n+  a: b\n+kind: ConfigMap\n+metadata:\n+  name: c\n+  namespace: shop\n");
}

TEST(RenderTest, RemovedObjectAndCustomLabels) {
  Object live = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"shop"}})");
  auto d = CompareObjects(nullptr, &live, nullptr);
  ASSERT_TRUE(d.ok());
  RenderOptions opt;
  opt.old_label = "LIVE";
  opt.new_label = "MERGED";
  std::string text = RenderUnified(std::vector<ObjectDiff>{*d}, opt);
  EXPECT_EQ(text.rfind("--- LIVE/v1/ConfigMap/shop/c\n+++ MERGED/v1/ConfigMap/shop/c\n@@ -1,5 +0,0 @@\n-apiVersion: v1\n", 0), 0u)
      << text;
}

TEST(RenderTest, JsonFormHasIdChangeAndPaths) {
  Object desired = LoadJson("deployment/desired.json");
  Object live = LoadJson("deployment/live_scaled.json");
  Object dry = LoadJson("deployment/dry_run_scaled.json");
  auto d = CompareObjects(&desired, &live, &dry, ShopOptions());
  ASSERT_TRUE(d.ok());
  Object j = ToJson(*d);
  EXPECT_EQ(CanonicalJson(j),
            R"({"change":"modified","id":{"group":"apps","kind":"Deployment","name":"web","namespace":"shop","version":"v1"},)"
            R"("paths":[{"new":3,"old":5,"path":"/spec/replicas"}],"strategy":"dry-run"})");
  Object added_desired = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})");
  auto added = CompareObjects(&added_desired, nullptr, nullptr);
  ASSERT_TRUE(added.ok());
  Object arr = ToJson(std::vector<ObjectDiff>{*d, *added});
  ASSERT_EQ(arr.size(), 2u);
  EXPECT_EQ(arr[1]["change"], "added");
  EXPECT_TRUE(arr[1]["paths"].empty());
}

}  // namespace
}  // namespace gitopsd::diff
