// Tests for kustomize/replacements.h. oracle_cases.json holds inputs and
// the output `kubectl kustomize` (v5.5.0) printed for them.
#include "kustomize/replacements.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gitopsd::kustomize {
namespace {

Object J(const char* s) { return Object::parse(s); }

Object LoadOracleCases() {
  std::ifstream in(std::string(GITOPSD_TESTDATA_DIR) + "/patch/replacements/oracle_cases.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return Object::parse(ss.str());
}

ObjectList ListOf(const Object& array) { return ObjectList(array.begin(), array.end()); }

TEST(ReplacementsTest, MatchesKustomizeOnOracleCases) {
  Object cases = LoadOracleCases();
  ASSERT_GE(cases.size(), 2u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ObjectList objects = ListOf(c["objects"]);
    Status st = ApplyReplacements(objects, c["replacements"]);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_EQ(objects.size(), c["expected"].size());
    for (size_t i = 0; i < objects.size(); ++i) {
      EXPECT_EQ(CanonicalJson(objects[i]), CanonicalJson(c["expected"][i])) << "object " << i;
    }
  }
}

const char* kObjects = R"([
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v", "n": "abc"}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "prefix-web"},
   "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}}
])";

Status Replace(ObjectList& objects, const char* replacements) {
  return ApplyReplacements(objects, J(replacements));
}

TEST(ReplacementsTest, SourceMustSelectExactlyOneObject) {
  ObjectList objects = ListOf(J(kObjects));
  Status none = Replace(objects, R"([{"source": {"kind": "Secret", "name": "x"}, "targets": [{"select": {"kind": "ConfigMap"}}]}])");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.message(), "nothing selected by Secret.[noVer].[noGrp]/x.[noNs]");
  Status many = Replace(objects, R"([{"source": {"version": "v1"}, "targets": [{"select": {"kind": "ConfigMap"}}]}])");
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.message().find("multiple matches for selector [noKind].v1.[noGrp]"), std::string::npos)
      << many.message();
}

TEST(ReplacementsTest, MissingSourceFieldAndTargetFieldAreErrors) {
  ObjectList objects = ListOf(J(kObjects));
  Status src = Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.nope"}, "targets": [{"select": {"kind": "Deployment"}}]}])");
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.message(), "fieldPath `data.nope` is missing for replacement source ConfigMap.[noVer].[noGrp]/[noName].[noNs]");
  Status dst = Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.k"}, "targets": [{"select": {"kind": "Deployment"}, "fieldPaths": ["spec.missing.x"]}]}])");
  ASSERT_FALSE(dst.ok());
  EXPECT_NE(dst.message().find("unable to find field \"spec.missing.x\" in replacement target"), std::string::npos)
      << dst.message();
  EXPECT_NE(dst.message().find("prefix-web"), std::string::npos) << dst.message();
}

TEST(ReplacementsTest, ScalarTargetsKeepTheirType) {
  ObjectList objects = ListOf(J(kObjects));
  Status st = Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.n"}, "targets": [{"select": {"kind": "Deployment"}, "fieldPaths": ["spec.replicas"]}]}])");
  ASSERT_FALSE(st.ok());  // "abc" cannot become an int, as in Kustomize
  EXPECT_NE(st.message().find("as a !!int"), std::string::npos) << st.message();
}

TEST(ReplacementsTest, DefaultPathsAreMetadataName) {
  ObjectList objects = ListOf(J(kObjects));
  ASSERT_TRUE(Replace(objects, R"([{"source": {"kind": "Deployment"}, "targets": [{"select": {"kind": "ConfigMap"}}]}])").ok());
  EXPECT_EQ(NameOf(objects[0]), "prefix-web");
}

TEST(ReplacementsTest, EarlierIdsSelectRenamedObjects) {
  ObjectList objects = ListOf(J(kObjects));
  std::vector<std::vector<ResId>> earlier = {{}, {ResId{"apps", "v1", "Deployment", "", "web"}}};
  Status st = ApplyReplacements(objects, earlier, J(R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.k"},
      "targets": [{"select": {"name": "web"}, "fieldPaths": ["spec.template.spec.containers.[name=c].image"]}]}])"));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(objects[1]["spec"]["template"]["spec"]["containers"][0]["image"], "v");
}

TEST(ReplacementsTest, SelectorsAreNotRegularExpressions) {
  ObjectList objects = ListOf(J(kObjects));
  ObjectList before = objects;
  ASSERT_TRUE(Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.k"},
      "targets": [{"select": {"kind": "Deployment|ConfigMap"}, "fieldPaths": ["metadata.annotations.x"], "options": {"create": true}}]}])").ok());
  EXPECT_EQ(objects, before);
}

TEST(ReplacementsTest, MalformedEntriesAreRejected) {
  ObjectList objects = ListOf(J(kObjects));
  EXPECT_EQ(Replace(objects, R"([{"source": {"kind": "ConfigMap"}}])").message(),
            "replacements must specify a source and at least one target");
  EXPECT_EQ(Replace(objects, R"([{"source": {"kind": "ConfigMap"}, "targets": [{"fieldPaths": ["a"]}]}])").message(),
            "target must specify resources to select");
  EXPECT_EQ(Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldpath": "x"}, "targets": []}])").message(),
            "replacements[0].source: unknown field \"fieldpath\"");
  EXPECT_FALSE(Replace(objects, R"([{"path": "r.yaml"}])").ok());
  EXPECT_FALSE(Replace(objects, R"({"source": {}})").ok());
  Status idx = Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.k", "options": {"delimiter": "-", "index": 3}},
      "targets": [{"select": {"kind": "Deployment"}}]}])");
  EXPECT_EQ(idx.message(), "options.index 3 is out of bounds for value v");
  Status delim = Replace(objects, R"([{"source": {"kind": "ConfigMap", "fieldPath": "data"},
      "targets": [{"select": {"kind": "Deployment"}, "fieldPaths": ["spec.template"], "options": {"delimiter": "-"}}]}])");
  EXPECT_NE(delim.message().find("delimiter option can only be used with scalar nodes"), std::string::npos)
      << delim.message();
}

TEST(ReplacementsTest, NonScalarValuesReplaceWholeNodes) {
  ObjectList objects = ListOf(J(kObjects));
  ASSERT_TRUE(Replace(objects, R"([{"source": {"kind": "Deployment", "fieldPath": "spec.template.spec.containers"},
      "targets": [{"select": {"kind": "ConfigMap"}, "fieldPaths": ["data"]}]}])").ok());
  EXPECT_EQ(CanonicalJson(objects[0]["data"]), R"([{"image":"i","name":"c"}])");
}

}  // namespace
}  // namespace gitopsd::kustomize

namespace gitopsd::kustomize {
namespace {

TEST(ReplacementsPathTest, HyphenIsTheLastItemAndNegativeIndexesFail) {
  ObjectList objects = {J(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"},
                              "data": {"v": "new"}, "list": ["a", "b", "c"]})")};
  // In a source path "-" is the last item; in a target path it is a field
  // name, so it fails on a list (as kubectl kustomize does).
  ASSERT_TRUE(ApplyReplacements(objects, J(R"([{"source": {"kind": "ConfigMap", "fieldPath": "list.-"},
      "targets": [{"select": {"kind": "ConfigMap"}, "fieldPaths": ["list.0"]}]}])")).ok());
  EXPECT_EQ(objects[0]["list"], J(R"(["c", "b", "c"])"));
  Status target = ApplyReplacements(objects, J(R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.v"},
      "targets": [{"select": {"kind": "ConfigMap"}, "fieldPaths": ["list.-"]}]}])"));
  ASSERT_FALSE(target.ok());
  EXPECT_NE(target.message().find("unable to find field \"list.-\" in replacement target: wrong node kind: expected MappingNode but got SequenceNode"),
            std::string::npos) << target.message();
  Status st = ApplyReplacements(objects, J(R"([{"source": {"kind": "ConfigMap", "fieldPath": "list.-1"},
      "targets": [{"select": {"kind": "ConfigMap"}}]}])"));
  EXPECT_FALSE(st.ok());
}

TEST(ReplacementsPathTest, CreateAddsScalarListItemsAndKeyedItems) {
  ObjectList objects = {J(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"},
                              "data": {"v": "x"}})")};
  ASSERT_TRUE(ApplyReplacements(objects, J(R"([{"source": {"kind": "ConfigMap", "fieldPath": "data.v"},
      "targets": [{"select": {"kind": "ConfigMap"}, "options": {"create": true},
                   "fieldPaths": ["spec.items.[name=a].value", "spec.args.[=--flag]"]}]}])")).ok());
  EXPECT_EQ(CanonicalJson(objects[0]["spec"]), R"({"args":["x"],"items":[{"name":"a","value":"x"}]})");
}

}  // namespace
}  // namespace gitopsd::kustomize
