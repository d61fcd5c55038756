#include "core/resid.h"

#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

namespace gitopsd {
namespace {

TEST(ResIdTest, ParsesGroupedAndCoreApiVersions) {
  Object d = Object::parse(
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"}})");
  ResId id = ResId::Of(d);
  EXPECT_EQ(id.group, "apps");
  EXPECT_EQ(id.version, "v1");
  EXPECT_EQ(id.kind, "Deployment");
  EXPECT_EQ(id.namespace_, "shop");
  EXPECT_EQ(id.name, "web");
  EXPECT_EQ(id.ApiVersion(), "apps/v1");
  EXPECT_EQ(id.GroupKind(), "Deployment.apps");
  EXPECT_EQ(id.ToString(), "apps/v1 Deployment shop/web");

  ResId cm = ResId::Of(Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})"));
  EXPECT_EQ(cm.group, "");
  EXPECT_EQ(cm.version, "v1");
  EXPECT_EQ(cm.GroupKind(), "ConfigMap");
  EXPECT_EQ(cm.ToString(), "v1 ConfigMap c");
}

TEST(ResIdTest, OrdersByGroupVersionKindNamespaceName) {
  ResId a{"", "v1", "ConfigMap", "a", "x"};
  ResId b{"", "v1", "ConfigMap", "b", "a"};
  ResId c{"apps", "v1", "Deployment", "a", "a"};
  std::set<ResId> s{c, b, a};
  EXPECT_EQ(*s.begin(), a);
  EXPECT_EQ(*s.rbegin(), c);
}

TEST(ResIdTest, HashesEqualIdsEqually) {
  ResId a{"apps", "v1", "Deployment", "ns", "web"};
  ResId b = a;
  std::unordered_set<ResId> s{a};
  EXPECT_TRUE(s.count(b));
  b.name = "web2";
  EXPECT_FALSE(s.count(b));
}

}  // namespace
}  // namespace gitopsd
