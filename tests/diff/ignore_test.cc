#include "diff/ignore.h"

#include <gtest/gtest.h>

#include "diff/diff.h"
#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

ResId DeployId() { return ResId{"apps", "v1", "Deployment", "shop", "web"}; }

TEST(IgnoreTest, RuleSelectionByGroupKindNameNamespace) {
  IgnoreRule r;
  EXPECT_TRUE(r.Matches(DeployId()));  // empty selects everything
  r.group = "";
  EXPECT_FALSE(r.Matches(DeployId()));  // "" is the core group
  r.group = "apps";
  r.kind = "Deployment";
  EXPECT_TRUE(r.Matches(DeployId()));
  r.name = "we*";
  EXPECT_TRUE(r.Matches(DeployId()));
  r.name = "api";
  EXPECT_FALSE(r.Matches(DeployId()));
  r.name = "";
  r.namespace_ = "prod";
  EXPECT_FALSE(r.Matches(DeployId()));
  r.group = "*";
  r.namespace_ = "*";
  EXPECT_TRUE(r.Matches(DeployId()));
}

TEST(IgnoreTest, ParsesArgoStyleRules) {
  Object list = Object::parse(R"([{"group":"apps","kind":"Deployment","jsonPointers":["/spec/replicas"]},
    {"kind":"Secret","name":"db","managedFieldsManagers":["vault-injector"]}])");
  auto rules = ParseIgnoreRules(list);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].json_pointers[0], "/spec/replicas");
  EXPECT_FALSE((*rules)[1].group.has_value());
  EXPECT_EQ((*rules)[1].managed_fields_managers[0], "vault-injector");
}

TEST(IgnoreTest, ParseErrorsNameTheRuleAndField) {
  auto bad_pointer = ParseIgnoreRules(Object::parse(R"([{"jsonPointers":["spec/replicas"]}])"));
  ASSERT_FALSE(bad_pointer.ok());
  EXPECT_NE(bad_pointer.status().message().find("ignoreDifferences[0]"), std::string::npos);
  EXPECT_NE(bad_pointer.status().message().find("spec/replicas"), std::string::npos);
  auto jq = ParseIgnoreRules(Object::parse(R"([{}, {"jqPathExpressions":[".spec"]}])"));
  ASSERT_FALSE(jq.ok());
  EXPECT_EQ(jq.status().code(), Code::kUnimplemented);
  EXPECT_NE(jq.status().message().find("ignoreDifferences[1]"), std::string::npos);
  auto unknown = ParseIgnoreRules(Object::parse(R"([{"jsonPointer":["/a"]}])"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("jsonPointer"), std::string::npos);
  EXPECT_FALSE(ParseIgnoreRules(Object::parse(R"({"a":1})")).ok());
}

TEST(IgnoreTest, JsonPointerRemovesFromBothSides) {
  IgnoreRule r;
  r.json_pointers = {"/spec/replicas"};
  Object desired = Object::parse(R"({"spec":{"replicas":3,"x":1}})");
  Object live = Object::parse(R"({"spec":{"replicas":5,"x":1}})");
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), Object(), desired, live).ok());
  EXPECT_EQ(CanonicalJson(desired), CanonicalJson(live));
}

TEST(IgnoreTest, JsonPointerEscapesAndWildcards) {
  IgnoreRule r;
  r.json_pointers = {"/metadata/annotations/example.com~1owner", "/spec/containers/*/image"};
  Object o = Object::parse(R"({"metadata":{"annotations":{"example.com/owner":"x","keep":"y"}},
    "spec":{"containers":[{"name":"a","image":"i1"},{"name":"b","image":"i2"}]}})");
  Object none;
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), Object(), o, none).ok());
  EXPECT_EQ(CanonicalJson(o),
            R"({"metadata":{"annotations":{"keep":"y"}},"spec":{"containers":[{"name":"a"},{"name":"b"}]}})");
}

TEST(IgnoreTest, JsonPointerByListIndex) {
  IgnoreRule r;
  r.json_pointers = {"/spec/ports/1/nodePort", "/spec/ports/7/nodePort", "/spec/ports/01"};
  Object o = Object::parse(R"({"spec":{"ports":[{"nodePort":1},{"nodePort":2}]}})");
  Object none;
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), Object(), o, none).ok());
  EXPECT_EQ(CanonicalJson(o), R"({"spec":{"ports":[{"nodePort":1},{}]}})");
}

TEST(IgnoreTest, RulesForOtherObjectsDoNothing) {
  IgnoreRule r;
  r.kind = "StatefulSet";
  r.json_pointers = {"/spec/replicas"};
  Object o = Object::parse(R"({"spec":{"replicas":3}})");
  Object none;
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), Object(), o, none).ok());
  EXPECT_EQ(o["spec"]["replicas"], 3);
}

TEST(IgnoreTest, ManagedFieldsManagerDropsItsFieldsFromBothSides) {
  // After `kubectl scale`, spec.replicas is (also) owned by manager "kubectl"
  // (subresource scale). Ignoring that manager hides the replica drift.
  Object live_raw = LoadJson("deployment/live_scaled.json");
  Object desired = Normalize(LoadJson("deployment/dry_run_scaled.json"));
  Object live = Normalize(live_raw);
  ASSERT_NE(CanonicalJson(desired), CanonicalJson(live));
  IgnoreRule r;
  r.managed_fields_managers = {"kubectl"};
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), live_raw, desired, live).ok());
  EXPECT_FALSE(desired["spec"].contains("replicas"));
  EXPECT_EQ(CanonicalJson(desired), CanonicalJson(live));
}

TEST(IgnoreTest, ManagedFieldsManagerRemovesKeyedListItemsFieldsOnly) {
  Object live_raw = LoadJson("deployment/live.json");
  Object live = Normalize(live_raw);
  Object desired = live;
  IgnoreRule r;
  r.managed_fields_managers = {"gitopsd"};
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), live_raw, desired, live).ok());
  const Object& c = live["spec"]["template"]["spec"]["containers"][0];
  EXPECT_FALSE(c.contains("image"));
  EXPECT_EQ(c["terminationMessagePath"], "/dev/termination-log");  // defaulted, not gitopsd's
  EXPECT_FALSE(live["spec"].contains("replicas"));
  EXPECT_EQ(live["spec"]["revisionHistoryLimit"], 10);
}

TEST(IgnoreTest, UnknownManagerRemovesNothing) {
  Object live_raw = LoadJson("deployment/live.json");
  Object live = Normalize(live_raw);
  Object before = live;
  Object desired;
  IgnoreRule r;
  r.managed_fields_managers = {"nobody"};
  ASSERT_TRUE(ApplyIgnoreRules({r}, DeployId(), live_raw, desired, live).ok());
  EXPECT_EQ(CanonicalJson(before), CanonicalJson(live));
}

TEST(IgnoreTest, MalformedManagedFieldsIsAnErrorNamingTheObject) {
  Object live_raw = Object::parse(R"({"metadata":{"managedFields":[{"manager":"m","fieldsV1":{"x:bad":{}}}]}})");
  Object a = Object::object(), b = Object::object();
  IgnoreRule r;
  r.managed_fields_managers = {"m"};
  Status st = ApplyIgnoreRules({r}, DeployId(), live_raw, a, b);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("apps/v1 Deployment shop/web"), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace gitopsd::diff
