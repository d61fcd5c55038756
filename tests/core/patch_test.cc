// Tests for core/patch.h: merge patch, JSON patch, strategic merge patch.
#include "core/patch.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gitopsd {
namespace {

Object J(const char* text) { return Object::parse(text); }

Object LoadCases(const char* file = "smp_cases.json") {
  std::ifstream in(std::string(GITOPSD_TESTDATA_DIR) + "/patch/" + file);
  std::stringstream ss;
  ss << in.rdbuf();
  return Object::parse(ss.str());
}

// ---- RFC 7386 ----

TEST(MergePatchTest, MergesMapsDeletesNullsReplacesLists) {
  Object t = J(R"({"a": {"b": 1, "c": 2}, "l": [1, 2], "s": "x"})");
  ASSERT_TRUE(ApplyMergePatch(t, J(R"({"a": {"b": null, "d": 3}, "l": [3], "n": {"x": null}})")).ok());
  EXPECT_EQ(CanonicalJson(t), CanonicalJson(J(R"({"a": {"c": 2, "d": 3}, "l": [3], "s": "x", "n": {}})")));
}

TEST(MergePatchTest, NonObjectPatchReplacesTarget) {
  Object t = J(R"({"a": 1})");
  ASSERT_TRUE(ApplyMergePatch(t, J(R"([1, 2])")).ok());
  EXPECT_EQ(t, J("[1, 2]"));
}

TEST(MergePatchTest, ObjectPatchOverScalarTargetBuildsObject) {
  Object t = J(R"("str")");
  ASSERT_TRUE(ApplyMergePatch(t, J(R"({"a": {"b": 1}})")).ok());
  EXPECT_EQ(CanonicalJson(t), R"({"a":{"b":1}})");
}

// ---- RFC 6902 ----

TEST(JsonPatchTest, AddReplaceRemoveWithEscapesAndAppend) {
  Object t = J(R"({"metadata": {"annotations": {"a/b": "1", "c~d": "2"}}, "l": [1, 2]})");
  Object ops = J(R"([
    {"op": "replace", "path": "/metadata/annotations/a~1b", "value": "x"},
    {"op": "remove", "path": "/metadata/annotations/c~0d"},
    {"op": "add", "path": "/l/-", "value": 3},
    {"op": "add", "path": "/l/0", "value": 0},
    {"op": "add", "path": "/new", "value": {"k": true}}
  ])");
  ASSERT_TRUE(ApplyJsonPatch(t, ops).ok());
  EXPECT_EQ(CanonicalJson(t),
            CanonicalJson(J(R"({"metadata": {"annotations": {"a/b": "x"}}, "l": [0, 1, 2, 3], "new": {"k": true}})")));
}

TEST(JsonPatchTest, MoveCopyAndTest) {
  Object t = J(R"({"a": {"x": 1}, "b": [1, 2]})");
  Object ops = J(R"([
    {"op": "test", "path": "/a", "value": {"x": 1}},
    {"op": "copy", "from": "/a/x", "path": "/b/1"},
    {"op": "move", "from": "/a", "path": "/c"}
  ])");
  ASSERT_TRUE(ApplyJsonPatch(t, ops).ok());
  EXPECT_EQ(CanonicalJson(t), CanonicalJson(J(R"({"b": [1, 1, 2], "c": {"x": 1}})")));
}

TEST(JsonPatchTest, FailingOpLeavesTargetUnchangedAndNamesOpAndPath) {
  Object t = J(R"({"spec": {"replicas": 1}})");
  Object before = t;
  Object ops = J(R"([
    {"op": "replace", "path": "/spec/replicas", "value": 3},
    {"op": "replace", "path": "/spec/missing", "value": 3}
  ])");
  Status st = ApplyJsonPatch(t, ops);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(t, before);
  EXPECT_NE(st.message().find("op 1"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("/spec/missing"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("missing"), std::string::npos) << st.message();
}

TEST(JsonPatchTest, TestOpFailureIsAnError) {
  Object t = J(R"({"a": 1})");
  Status st = ApplyJsonPatch(t, J(R"([{"op": "test", "path": "/a", "value": 2}])"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("test failed"), std::string::npos) << st.message();
}

TEST(JsonPatchTest, RejectsBadIndexesPointersAndOps) {
  Object t = J(R"({"l": [1]})");
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"([{"op": "add", "path": "/l/5", "value": 1}])")).ok());
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"([{"op": "add", "path": "/l/01", "value": 1}])")).ok());
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"([{"op": "add", "path": "l", "value": 1}])")).ok());
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"([{"op": "frob", "path": "/l"}])")).ok());
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"([{"op": "add", "path": "/x"}])")).ok());
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"({"op": "add"})")).ok());
  EXPECT_FALSE(ApplyJsonPatch(t, J(R"([{"op": "move", "from": "/l", "path": "/l/0"}])")).ok());
  EXPECT_EQ(t, J(R"({"l": [1]})"));
}

TEST(JsonPatchTest, TestComparesMapsIgnoringKeyOrder) {
  Object t = J(R"({"a": {"x": 1, "y": 2}})");
  EXPECT_TRUE(ApplyJsonPatch(t, J(R"([{"op": "test", "path": "/a", "value": {"y": 2, "x": 1}}])")).ok());
}

// ---- strategic merge patch: fixture table ----

void RunCase(const Object& c, bool kustomize) {
  SCOPED_TRACE(c["name"].get<std::string>() + (kustomize ? " [kustomize]" : " [apiserver]"));
  Object target = c["target"];
  SmpOptions opt;
  opt.kustomize_mode = kustomize;
  Status st = ApplyStrategicMergePatch(target, c["patch"], opt);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const Object& want = (!kustomize && c.contains("expected_apiserver")) ? c["expected_apiserver"]
                                                                        : c["expected"];
  // List order matters; map key order does not.
  EXPECT_EQ(CanonicalJson(target), CanonicalJson(want));
}

TEST(StrategicMergePatchTest, FixtureCases) {
  Object cases = LoadCases();
  ASSERT_GE(cases.size(), 20u);
  for (const auto& c : cases) {
    std::string mode = c["mode"];
    if (mode == "both" || mode == "kustomize") RunCase(c, true);
    if (mode == "both" || mode == "apiserver") RunCase(c, false);
  }
}

// kustomize_oracle_cases.json: target + patch and what `kubectl kustomize`
// (Kustomize v5.5.0) printed, or that it failed.
TEST(StrategicMergePatchTest, KustomizeModeMatchesKubectlKustomize) {
  Object cases = LoadCases("kustomize_oracle_cases.json");
  ASSERT_GE(cases.size(), 30u);
  SmpOptions opt;
  opt.kustomize_mode = true;
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    Object target = c["target"];
    Status st = ApplyStrategicMergePatch(target, c["patch"], opt);
    if (c.value("expect_error", false)) {
      EXPECT_FALSE(st.ok()) << CanonicalJson(target);
      continue;
    }
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(CanonicalJson(target), CanonicalJson(c["expected"]));
  }
}

TEST(StrategicMergePatchTest, KustomizeRefusesToMergeDifferentNodeKinds) {
  Object t = J(R"({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": {"x": 1}}})");
  SmpOptions opt;
  opt.kustomize_mode = true;
  Status st = ApplyStrategicMergePatch(t, J(R"({"data": {"a": "flat"}})"), opt);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("data.a: wrong node kind: expected MappingNode but got ScalarNode"),
            std::string::npos) << st.message();
}

TEST(StrategicMergePatchTest, KustomizeWholeDocumentDeleteNullsTarget) {
  Object t = J(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}})");
  SmpOptions opt;
  opt.kustomize_mode = true;
  ASSERT_TRUE(ApplyStrategicMergePatch(t, J(R"({"$patch": "delete", "metadata": {"name": "a"}})"), opt).ok());
  EXPECT_TRUE(t.is_null());
}

TEST(StrategicMergePatchTest, ApiserverRequiresMergeKeyInKeyedListItems) {
  Object t = J(R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a"}]}})");
  Status st = ApplyStrategicMergePatch(t, J(R"({"spec": {"containers": [{"image": "x"}]}})"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("spec.containers"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("merge key \"name\""), std::string::npos) << st.message();
}

TEST(StrategicMergePatchTest, UnknownPatchDirectiveIsAnError) {
  Object t = J(R"({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "1"}})");
  Status st = ApplyStrategicMergePatch(t, J(R"({"data": {"$patch": "explode"}})"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("data: unknown patch type \"explode\""), std::string::npos) << st.message();
}

TEST(StrategicMergePatchTest, DirectiveKeysNeverReachTheResult) {
  Object t = J(R"({"apiVersion": "v1", "kind": "Pod", "spec": {}})");
  ASSERT_TRUE(ApplyStrategicMergePatch(t, J(R"({"spec": {"containers": [{"name": "a", "$patch": "merge", "env": [{"name": "E", "$patch": "merge"}]}]}})")).ok());
  EXPECT_EQ(CanonicalJson(t), CanonicalJson(J(R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "env": [{"name": "E"}]}]}})")));
}

TEST(StrategicMergePatchTest, CustomSchemaMakesCrdListsMergeByKey) {
  k8s::Schema schema = k8s::Schema::Builtin();
  ASSERT_TRUE(schema.AddOpenApi(J(R"({"definitions": {
    "com.example.v1.Foo": {
      "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Foo"}],
      "properties": {"spec": {"type": "object", "properties": {
        "items": {"type": "array", "x-kubernetes-patch-merge-key": "name",
                  "x-kubernetes-patch-strategy": "merge", "items": {"type": "object"}},
        "template": {"$ref": "#/definitions/io.k8s.api.core.v1.PodTemplateSpec"}}}}}}})")).ok());
  Object t = J(R"({"apiVersion": "example.com/v1", "kind": "Foo", "spec": {
    "items": [{"name": "a", "v": 1}],
    "template": {"spec": {"containers": [{"name": "c", "image": "old"}]}}}})");
  SmpOptions opt;
  opt.schema = &schema;
  opt.kustomize_mode = true;
  ASSERT_TRUE(ApplyStrategicMergePatch(t, J(R"({"spec": {"items": [{"name": "b", "v": 2}],
    "template": {"spec": {"containers": [{"name": "d", "image": "new"}]}}}})"), opt).ok());
  EXPECT_EQ(CanonicalJson(t), CanonicalJson(J(R"({"apiVersion": "example.com/v1", "kind": "Foo", "spec": {
    "items": [{"name": "b", "v": 2}, {"name": "a", "v": 1}],
    "template": {"spec": {"containers": [{"name": "d", "image": "new"}, {"name": "c", "image": "old"}]}}}})")));
}

}  // namespace
}  // namespace gitopsd
