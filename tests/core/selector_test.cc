// Tests for core/label_selector.h and core/field_selector.h.
#include <gtest/gtest.h>

#include "core/field_selector.h"
#include "core/label_selector.h"

namespace gitopsd {
namespace {

Object Labels(const char* json) { return Object::parse(json); }

bool Sel(const char* selector, const char* labels) {
  auto s = LabelSelector::Parse(selector);
  EXPECT_TRUE(s.ok()) << selector << ": " << s.status().ToString();
  return s.ok() && s->Matches(Labels(labels));
}

TEST(LabelSelectorTest, EqualityOperators) {
  EXPECT_TRUE(Sel("app=web", R"({"app": "web"})"));
  EXPECT_TRUE(Sel("app==web", R"({"app": "web"})"));
  EXPECT_FALSE(Sel("app=web", R"({"app": "db"})"));
  EXPECT_FALSE(Sel("app=web", R"({})"));
  EXPECT_TRUE(Sel("app!=web", R"({"app": "db"})"));
  EXPECT_TRUE(Sel("app!=web", R"({})"));  // != matches objects without the key
  EXPECT_FALSE(Sel("app!=web", R"({"app": "web"})"));
  EXPECT_TRUE(Sel("app=", R"({"app": ""})"));
}

TEST(LabelSelectorTest, SetBasedOperatorsAndExistence) {
  EXPECT_TRUE(Sel("env in (prod, dev)", R"({"env": "dev"})"));
  EXPECT_FALSE(Sel("env in (prod,dev)", R"({"env": "qa"})"));
  EXPECT_FALSE(Sel("env in (prod,dev)", R"({})"));
  EXPECT_TRUE(Sel("env notin (prod,dev)", R"({"env": "qa"})"));
  EXPECT_TRUE(Sel("env notin (prod,dev)", R"({})"));
  EXPECT_TRUE(Sel("env", R"({"env": "x"})"));
  EXPECT_FALSE(Sel("env", R"({})"));
  EXPECT_TRUE(Sel("!env", R"({})"));
  EXPECT_FALSE(Sel("!env", R"({"env": "x"})"));
  EXPECT_TRUE(Sel("rank>3", R"({"rank": "5"})"));
  EXPECT_FALSE(Sel("rank<3", R"({"rank": "5"})"));
}

TEST(LabelSelectorTest, CommaIsAndAndEmptyMatchesAll) {
  EXPECT_TRUE(Sel("a=1,b in (2,3),!c", R"({"a": "1", "b": "3"})"));
  EXPECT_FALSE(Sel("a=1,b in (2,3),!c", R"({"a": "1", "b": "3", "c": "x"})"));
  EXPECT_TRUE(Sel("", R"({})"));
  EXPECT_TRUE(Sel("app.kubernetes.io/name=web", R"({"app.kubernetes.io/name": "web"})"));
}

TEST(LabelSelectorTest, InvalidSelectorsAreRejectedWithReasons) {
  for (const char* bad : {"a in b", "a in ()", "a in (b", "=b", "a=b=c", "a b", "a,", "-a=b",
                          "a=b c", "Bad_Prefix/x=y", "a=" "0123456789012345678901234567890123456789012345678901234567890123",
                          "a>x"}) {
    auto s = LabelSelector::Parse(bad);
    EXPECT_FALSE(s.ok()) << bad;
  }
  auto s = LabelSelector::Parse("a in b");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("unable to parse requirement: found 'b', expected: '('"),
            std::string::npos)
      << s.status().message();
}

TEST(LabelSelectorTest, ToStringRoundTrips) {
  auto s = LabelSelector::Parse("a=1, b notin (y,x),!c,d");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ToString(), "a=1,b notin (x,y),!c,d");
  auto again = LabelSelector::Parse(s->ToString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ToString(), s->ToString());
}

TEST(LabelSelectorTest, StructuredSelectorFromObject) {
  auto s = LabelSelector::FromObject(Object::parse(R"({"matchLabels": {"app": "web"},
      "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]},
                           {"key": "canary", "operator": "DoesNotExist"}]})"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->Matches(Labels(R"({"app": "web", "tier": "be"})")));
  EXPECT_FALSE(s->Matches(Labels(R"({"app": "web", "tier": "be", "canary": "1"})")));
  EXPECT_FALSE(s->Matches(Labels(R"({"app": "web"})")));
  EXPECT_FALSE(LabelSelector::FromObject(Object::parse(
      R"({"matchExpressions": [{"key": "a", "operator": "Near", "values": ["x"]}]})")).ok());
  EXPECT_FALSE(LabelSelector::FromObject(Object::parse(
      R"({"matchExpressions": [{"key": "a", "operator": "In"}]})")).ok());
}

TEST(LabelSelectorTest, MatchesObjectLabelsReadsMetadata) {
  auto s = LabelSelector::Parse("app=web");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->MatchesObjectLabels(Object::parse(R"({"metadata": {"labels": {"app": "web"}}})")));
  EXPECT_FALSE(s->MatchesObjectLabels(Object::parse(R"({"metadata": {"name": "x"}})")));
}

TEST(FieldSelectorTest, EqualityAndInequalityOnDottedPaths) {
  Object pod = Object::parse(R"({"metadata": {"name": "p1", "namespace": "ns"},
                                 "status": {"phase": "Running"}, "spec": {"nodeName": "n1"}})");
  auto s = FieldSelector::Parse("metadata.name=p1,metadata.namespace!=other,status.phase==Running");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->Matches(pod));
  auto t = FieldSelector::Parse("spec.nodeName=n2");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->Matches(pod));
  auto missing = FieldSelector::Parse("spec.missing=");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->Matches(pod));
  EXPECT_TRUE(FieldSelector::Parse("")->Matches(pod));
}

TEST(FieldSelectorTest, EscapesAndErrors) {
  auto s = FieldSelector::Parse(R"(metadata.name=a\,b\=c)");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->requirements().size(), 1u);
  EXPECT_EQ(s->requirements()[0].value, "a,b=c");
  EXPECT_FALSE(FieldSelector::Parse("metadata.name").ok());
  EXPECT_FALSE(FieldSelector::Parse("=x").ok());
  EXPECT_FALSE(FieldSelector::Parse(R"(metadata.name=a\x)").ok());
}

TEST(FieldSelectorTest, ValidateFieldsNamesTheUnsupportedField) {
  auto s = FieldSelector::Parse("metadata.name=a,spec.foo=b");
  ASSERT_TRUE(s.ok());
  Status st = s->ValidateFields({"metadata.name", "metadata.namespace"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "field label not supported: spec.foo");
  EXPECT_TRUE(s->ValidateFields({"metadata.name", "spec.foo"}).ok());
}

}  // namespace
}  // namespace gitopsd
