// Watch semantics through HTTP: initial ADDED, live events in
// resourceVersion order, replay from a resourceVersion, 410 for history
// that is gone, selector transitions.
#include "kubesim_test_util.h"

namespace gitopsd::kubesim::testing {
namespace {

int64_t Rv(const Object& o) { return std::stoll(o["metadata"]["resourceVersion"].get<std::string>()); }

TEST_F(KubesimTest, WatchDeliversAddedModifiedDeletedInResourceVersionOrder) {
  const std::string base = "/api/v1/namespaces/default/configmaps";
  Reply list = api_->Get(base);
  std::string rv = list.body["metadata"]["resourceVersion"];
  auto events = api_->Watch(base + "?watch=true&resourceVersion=" + rv, 3, std::chrono::seconds(10), [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    api_->Post(base, ConfigMap("default", "w", {{"n", "1"}}));
    Object patch = Object{{"data", {{"n", "2"}}}};
    api_->Patch(base + "/w", "application/merge-patch+json", patch);
    api_->Delete(base + "/w");
  });
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events[1]["type"], "MODIFIED");
  EXPECT_EQ(events[2]["type"], "DELETED");
  EXPECT_EQ(events[1]["object"]["data"]["n"], "2");
  EXPECT_EQ(events[0]["object"]["kind"], "ConfigMap");
  EXPECT_LT(Rv(events[0]["object"]), Rv(events[1]["object"]));
  EXPECT_LT(Rv(events[1]["object"]), Rv(events[2]["object"]));
}

TEST_F(KubesimTest, WatchFromOldResourceVersionReplaysChangesInOrder) {
  const std::string base = "/api/v1/namespaces/default/configmaps";
  std::string rv = api_->Get(base).body["metadata"]["resourceVersion"];
  api_->Post(base, ConfigMap("default", "r1", {}));
  api_->Post(base, ConfigMap("default", "r2", {}));
  auto events = api_->Watch(base + "?watch=1&resourceVersion=" + rv, 2, std::chrono::seconds(5));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["object"]["metadata"]["name"], "r1");
  EXPECT_EQ(events[1]["object"]["metadata"]["name"], "r2");
}

TEST_F(KubesimTest, WatchWithoutResourceVersionStartsWithSyntheticAdded) {
  const std::string base = "/api/v1/namespaces/default/configmaps";
  api_->Post(base, ConfigMap("default", "pre", {}));
  auto events = api_->Watch(base + "?watch=true&fieldSelector=metadata.name%3Dpre", 1, std::chrono::seconds(5));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events[0]["object"]["metadata"]["name"], "pre");
}

TEST_F(KubesimTest, WatchReportsLabelSelectorTransitionsAsAddedAndDeleted) {
  const std::string base = "/api/v1/namespaces/default/configmaps";
  Object cm = ConfigMap("default", "t", {});
  cm["metadata"]["labels"] = {{"app", "a"}};
  api_->Post(base, cm);
  std::string rv = api_->Get(base).body["metadata"]["resourceVersion"];
  auto events = api_->Watch(base + "?watch=true&labelSelector=app%3Db&resourceVersion=" + rv, 2,
                            std::chrono::seconds(10), [&] {
                              std::this_thread::sleep_for(std::chrono::milliseconds(200));
                              api_->Patch(base + "/t", "application/merge-patch+json",
                                          Object{{"metadata", {{"labels", {{"app", "b"}}}}}});
                              api_->Patch(base + "/t", "application/merge-patch+json",
                                          Object{{"metadata", {{"labels", {{"app", "c"}}}}}});
                            });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events[1]["type"], "DELETED");
}

TEST(KubesimHistory, WatchFromBeforeTheKeptHistoryIsExpired) {
  Options o = TestOptions();
  std::string dir = ::testing::TempDir() + "/kubesim-expired";
  std::filesystem::create_directories(dir);
  o.state_file = dir + "/state.json";
  std::filesystem::remove(o.state_file);
  {
    Server s(o);
    ASSERT_TRUE(s.Start().ok());
    Api api(s.url(), o.token);
    api.Post("/api/v1/namespaces/default/configmaps",
             Object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "x"}}}});
    s.Stop();
  }
  Server s(o);  // restarted: history starts empty at the restored revision
  ASSERT_TRUE(s.Start().ok());
  Api api(s.url(), o.token);
  auto events = api.Watch("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2", 1,
                          std::chrono::seconds(5));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "ERROR");
  EXPECT_EQ(events[0]["object"]["code"], 410);
  EXPECT_EQ(events[0]["object"]["reason"], "Expired");
}

}  // namespace
}  // namespace gitopsd::kubesim::testing
