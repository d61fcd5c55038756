// Tracking metadata, prune protection and the prune set.
#include <gtest/gtest.h>

#include "daemon/sync/duration.h"
#include "daemon/sync/prune.h"
#include "daemon/sync/tracking.h"

namespace gitopsd::sync {
namespace {

Object Cm(const std::string& name, const std::string& ns = "shop") {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", ns}}}};
}

TEST(TrackingTest, IdNamesAppGroupKindNamespaceAndName) {
  EXPECT_EQ(TrackingId("shop", {"apps", "v1", "Deployment", "prod", "web"}),
            "shop:apps/Deployment:prod/web");
  EXPECT_EQ(TrackingId("shop", {"", "v1", "Namespace", "", "prod"}), "shop:/Namespace:/prod");
}

TEST(TrackingTest, WithTrackingAddsLabelAndAnnotation) {
  Object t = WithTracking(Cm("cfg"), "shop");
  EXPECT_EQ(t["metadata"]["labels"]["gitopsd.io/app"], "shop");
  EXPECT_EQ(t["metadata"]["annotations"]["gitopsd.io/tracking-id"], "shop:/ConfigMap:shop/cfg");
  EXPECT_TRUE(IsTrackedBy(t, "shop"));
  EXPECT_FALSE(IsTrackedBy(t, "other"));
  EXPECT_EQ(AppSelector("shop"), "gitopsd.io/app=shop");
}

TEST(TrackingTest, CopiedObjectIsNotTracked) {
  Object copy = WithTracking(Cm("original"), "shop");
  copy["metadata"]["name"] = "copy";  // another tool copied labels and annotations
  EXPECT_FALSE(IsTrackedBy(copy, "shop"));
}

TEST(TrackingTest, PruneProtectionAnnotations) {
  Object a = Cm("a");
  EXPECT_FALSE(PruneDisabled(a));
  a["metadata"]["annotations"]["gitopsd.io/prune"] = "false";
  EXPECT_TRUE(PruneDisabled(a));
  Object b = Cm("b");
  b["metadata"]["annotations"]["argocd.argoproj.io/sync-options"] = "ServerSideApply=true, Prune=false";
  EXPECT_TRUE(PruneDisabled(b));
  Object c = Cm("c");
  c["metadata"]["annotations"]["argocd.argoproj.io/compare-options"] = "IgnoreExtraneous";
  EXPECT_TRUE(IgnoreExtraneous(c));
}

TEST(PruneTest, OnlyTrackedObjectsThatLeftTheRepoArePruned) {
  ObjectList desired = {WithTracking(Cm("keep"), "shop")};
  Object gone = WithTracking(Cm("gone"), "shop");
  Object protected_obj = WithTracking(Cm("protected"), "shop");
  protected_obj["metadata"]["annotations"]["gitopsd.io/prune"] = "false";
  Object other_app = WithTracking(Cm("theirs"), "blog");
  Object copied = WithTracking(Cm("src"), "shop");
  copied["metadata"]["name"] = "copied";
  Object keep_live = desired[0];
  keep_live["apiVersion"] = "v1";  // same object, matched without version
  auto prune = ComputePrune(desired, {keep_live, gone, protected_obj, other_app, copied, Cm("untracked")},
                            "shop");
  ASSERT_EQ(prune.size(), 2u);
  EXPECT_EQ(prune[0].id.name, "protected");  // reverse apply order: name descending
  EXPECT_TRUE(prune[0].skipped);
  EXPECT_EQ(prune[1].id.name, "gone");
  EXPECT_FALSE(prune[1].skipped);
}

TEST(DurationTest, ParsesUnitsAndBareSeconds) {
  EXPECT_EQ(ParseDuration("30s")->count(), 30000);
  EXPECT_EQ(ParseDuration("5m")->count(), 300000);
  EXPECT_EQ(ParseDuration("1h30m")->count(), 5400000);
  EXPECT_EQ(ParseDuration("250ms")->count(), 250);
  EXPECT_EQ(ParseDuration("12")->count(), 12000);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("5 minutes").ok());
  EXPECT_FALSE(ParseDuration("3d").ok());
}

}  // namespace
}  // namespace gitopsd::sync
