// Tests for kustomize/selector.h.
#include "kustomize/selector.h"

#include <gtest/gtest.h>

namespace gitopsd::kustomize {
namespace {

Object Json(const char* s) { return Object::parse(s); }

const Object kDeploy = Object::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "prefix-web", "labels": {"app": "web"}, "annotations": {"team": "a"}}})");

Selector Parse(const char* json, Selector::Mode mode = Selector::Mode::kRegex) {
  auto s = Selector::Parse(Json(json), mode, "target");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Selector();
}

TEST(KustomizeSelectorTest, RegexFieldsAreAnchored) {
  EXPECT_TRUE(Parse(R"({"kind": "Deploy.*"})").Matches(kDeploy));
  EXPECT_FALSE(Parse(R"({"kind": "Deploy"})").Matches(kDeploy));
  EXPECT_TRUE(Parse(R"({"kind": "Service|Deployment", "group": "apps"})").Matches(kDeploy));
  EXPECT_FALSE(Parse(R"({"name": "web"})").Matches(kDeploy));
  EXPECT_TRUE(Parse(R"({"name": ".*-web", "version": "v1"})").Matches(kDeploy));
}

TEST(KustomizeSelectorTest, RegexNameMatchesEarlierNames) {
  ResId original{"apps", "v1", "Deployment", "", "web"};
  EXPECT_TRUE(Parse(R"({"name": "web"})").Matches(kDeploy, {original}));
}

TEST(KustomizeSelectorTest, UnsetNamespaceIsDefaultExceptClusterScoped) {
  EXPECT_TRUE(Parse(R"({"namespace": "default"})").Matches(kDeploy));
  EXPECT_FALSE(Parse(R"({"namespace": "prod"})").Matches(kDeploy));
  Object ns = Json(R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}})");
  EXPECT_FALSE(Parse(R"({"namespace": "default"})").Matches(ns));
}

TEST(KustomizeSelectorTest, LabelAndAnnotationSelectors) {
  EXPECT_TRUE(Parse(R"j({"labelSelector": "app=web", "annotationSelector": "team in (a,b)"})j").Matches(kDeploy));
  EXPECT_FALSE(Parse(R"({"labelSelector": "app!=web"})").Matches(kDeploy));
  EXPECT_FALSE(Parse(R"({"annotationSelector": "team=b"})").Matches(kDeploy));
}

TEST(KustomizeSelectorTest, ExactModeDoesNotTreatFieldsAsRegex) {
  EXPECT_FALSE(Parse(R"({"kind": "Deployment|ConfigMap"})", Selector::Mode::kExact).Matches(kDeploy));
  EXPECT_TRUE(Parse(R"({"kind": "Deployment", "name": "prefix-web"})", Selector::Mode::kExact).Matches(kDeploy));
  EXPECT_TRUE(Parse(R"({"namespace": "default"})", Selector::Mode::kExact).Matches(kDeploy));
  ResId earlier{"apps", "v1", "Deployment", "", "web"};
  EXPECT_TRUE(Parse(R"({"name": "web"})", Selector::Mode::kExact).Matches(kDeploy, {earlier}));
}

TEST(KustomizeSelectorTest, ParseErrorsNameTheField) {
  auto bad_field = Selector::Parse(Json(R"({"knd": "x"})"), Selector::Mode::kRegex, "patches[0].target");
  ASSERT_FALSE(bad_field.ok());
  EXPECT_EQ(bad_field.status().message(), "patches[0].target: unknown field \"knd\"");
  auto bad_regex = Selector::Parse(Json(R"({"name": "a("})"), Selector::Mode::kRegex, "target");
  ASSERT_FALSE(bad_regex.ok());
  EXPECT_NE(bad_regex.status().message().find("target: name: invalid regular expression"), std::string::npos);
  auto bad_labels = Selector::Parse(Json(R"({"labelSelector": "a in b"})"), Selector::Mode::kRegex, "target");
  ASSERT_FALSE(bad_labels.ok());
  EXPECT_NE(bad_labels.status().message().find("target: labelSelector: unable to parse"), std::string::npos);
  EXPECT_FALSE(Selector::Parse(Json(R"(["x"])"), Selector::Mode::kRegex, "target").ok());
}

}  // namespace
}  // namespace gitopsd::kustomize
