// Apply order (gitops-semantics.md §6.1), waves, hooks, Namespace/CRD fix-ups.
#include "daemon/sync/order.h"

#include <gtest/gtest.h>

namespace gitopsd::sync {
namespace {

Object Obj(const std::string& api, const std::string& kind, const std::string& name,
           const std::string& ns = "", Object annotations = Object::object()) {
  Object o = {{"apiVersion", api}, {"kind", kind}, {"metadata", {{"name", name}}}};
  if (!ns.empty()) o["metadata"]["namespace"] = ns;
  if (!annotations.empty()) o["metadata"]["annotations"] = annotations;
  return o;
}

std::vector<std::string> Names(const std::vector<PlannedObject>& tasks) {
  std::vector<std::string> out;
  for (const auto& t : tasks) out.push_back(t.id.kind + "/" + t.id.name);
  return out;
}

TEST(OrderTest, KindRankFollowsArgoList) {
  EXPECT_EQ(KindRank("Namespace"), 1);
  EXPECT_EQ(KindRank("CustomResourceDefinition"), 14);
  EXPECT_EQ(KindRank("APIService"), 35);
  EXPECT_EQ(KindRank("Widget"), 36);
  EXPECT_LT(KindRank("Secret"), KindRank("ConfigMap"));
  EXPECT_LT(KindRank("Service"), KindRank("Deployment"));
  EXPECT_LT(KindRank("Deployment"), KindRank("HorizontalPodAutoscaler"));
}

TEST(OrderTest, SortsByKindRankThenName) {
  auto tasks = OrderForApply({Obj("apps/v1", "Deployment", "web", "shop"),
                              Obj("v1", "Service", "web", "shop"),
                              Obj("v1", "ConfigMap", "b", "shop"),
                              Obj("v1", "ConfigMap", "a", "shop"),
                              Obj("example.com/v1", "Widget", "w", "shop"),
                              Obj("v1", "Secret", "s", "shop")});
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(Names(*tasks), (std::vector<std::string>{"Secret/s", "ConfigMap/a", "ConfigMap/b",
                                                     "Service/web", "Deployment/web",
                                                     "Widget/w"}));
}

TEST(OrderTest, PhasesAndWavesComeFirst) {
  auto tasks = OrderForApply(
      {Obj("v1", "ConfigMap", "late", "", {{"gitopsd.io/sync-wave", "5"}}),
       Obj("v1", "ConfigMap", "argo-early", "", {{"argocd.argoproj.io/sync-wave", "-1"}}),
       Obj("batch/v1", "Job", "migrate", "", {{"argocd.argoproj.io/hook", "PreSync"}}),
       Obj("batch/v1", "Job", "smoke", "", {{"gitopsd.io/hook", "PostSync"}}),
       Obj("v1", "Service", "svc")});
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(Names(*tasks), (std::vector<std::string>{"Job/migrate", "ConfigMap/argo-early",
                                                     "Service/svc", "ConfigMap/late", "Job/smoke"}));
  EXPECT_EQ((*tasks)[0].phase, Phase::kPreSync);
  EXPECT_EQ((*tasks)[3].wave, 5);
}

TEST(OrderTest, GitopsdWaveWinsOverArgoWave) {
  auto wave = WaveOf(Obj("v1", "ConfigMap", "x", "",
                         {{"gitopsd.io/sync-wave", "2"}, {"argocd.argoproj.io/sync-wave", "9"}}));
  ASSERT_TRUE(wave.ok());
  EXPECT_EQ(*wave, 2);
}

TEST(OrderTest, BadWaveAndUnknownHookNameTheObject) {
  auto bad = OrderForApply({Obj("v1", "ConfigMap", "cfg", "ns", {{"gitopsd.io/sync-wave", "soon"}})});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("v1 ConfigMap ns/cfg"), std::string::npos);
  auto hook = PhaseOf(Obj("v1", "ConfigMap", "cfg", "", {{"argocd.argoproj.io/hook", "Later"}}));
  EXPECT_FALSE(hook.ok());
}

TEST(OrderTest, NamespaceMovesBeforeItsFirstObjectTakingItsWave) {
  auto tasks = OrderForApply(
      {Obj("v1", "Namespace", "shop", "", {{"gitopsd.io/sync-wave", "3"}}),
       Obj("v1", "ConfigMap", "cfg", "shop", {{"gitopsd.io/sync-wave", "-2"}}),
       Obj("v1", "ConfigMap", "other", "elsewhere", {{"gitopsd.io/sync-wave", "-5"}})});
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(Names(*tasks), (std::vector<std::string>{"ConfigMap/other", "Namespace/shop",
                                                     "ConfigMap/cfg"}));
  EXPECT_EQ((*tasks)[1].wave, -2);
}

TEST(OrderTest, CrdMovesBeforeItsFirstCustomResource) {
  Object crd = Obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com",
                   "", {{"gitopsd.io/sync-wave", "1"}});
  crd["spec"] = {{"group", "example.com"}, {"names", {{"kind", "Widget"}}}};
  auto tasks = OrderForApply({Obj("example.com/v1", "Widget", "w", "ns"), crd,
                              Obj("v1", "ConfigMap", "c", "ns", {{"gitopsd.io/sync-wave", "2"}})});
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(Names(*tasks), (std::vector<std::string>{"CustomResourceDefinition/widgets.example.com",
                                                     "Widget/w", "ConfigMap/c"}));
}

TEST(OrderTest, PruneOrderIsTheReverse) {
  auto tasks = OrderForPrune({Obj("v1", "Namespace", "n"), Obj("apps/v1", "Deployment", "d", "n"),
                              Obj("v1", "ConfigMap", "c", "n")});
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(Names(*tasks),
            (std::vector<std::string>{"Deployment/d", "ConfigMap/c", "Namespace/n"}));
}

}  // namespace
}  // namespace gitopsd::sync
