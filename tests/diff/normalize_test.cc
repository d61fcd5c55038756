#include "diff/normalize.h"

#include <gtest/gtest.h>

#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

TEST(NormalizeTest, StripsServerSetMetadataAndStatus) {
  Object live = LoadJson("deployment/live.json");
  Object n = Normalize(live);
  const Object& meta = n["metadata"];
  for (const char* key : {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"}) {
    EXPECT_FALSE(meta.contains(key)) << key;
  }
  EXPECT_FALSE(n.contains("status"));
  EXPECT_EQ(meta["name"], "web");
  EXPECT_EQ(meta["annotations"]["deployment.kubernetes.io/revision"], "1");
}

TEST(NormalizeTest, StripsSelfLinkAndDeletionFields) {
  Object o = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c",
    "selfLink":"/api/v1/namespaces/d/configmaps/c","deletionTimestamp":"2026-11-29T09:00:00Z",
    "deletionGracePeriodSeconds":0}})");
  EXPECT_EQ(CanonicalJson(Normalize(o)), R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})");
}

TEST(NormalizeTest, KeepStatusOptionKeepsStatus) {
  Object live = LoadJson("crd/live.json");
  NormalizeOptions opt;
  opt.keep_status = true;
  EXPECT_TRUE(Normalize(live, opt).contains("status"));
}

TEST(NormalizeTest, DropsNestedCreationTimestampNull) {
  Object n = Normalize(LoadJson("deployment/live.json"));
  EXPECT_FALSE(n["spec"]["template"]["metadata"].contains("creationTimestamp"));
}

TEST(NormalizeTest, RemovesLastAppliedAnnotationAndEmptyMapsLeftBehind) {
  Object o = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c",
    "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},"labels":{}}})");
  Object n = Normalize(o);
  EXPECT_FALSE(n["metadata"].contains("annotations"));
  EXPECT_FALSE(n["metadata"].contains("labels"));
}

TEST(NormalizeTest, RemovesOurTrackingMetadata) {
  Object n = Normalize(LoadJson("deployment/live.json"), {false, "shop"});
  EXPECT_FALSE(n["metadata"]["annotations"].contains(kTrackingAnnotation));
  EXPECT_FALSE(n["metadata"]["labels"].contains(kTrackingLabel));
  EXPECT_EQ(n["metadata"]["labels"]["app"], "web");
}

TEST(NormalizeTest, KeepsTrackingOfAnotherApp) {
  Object n = Normalize(LoadJson("deployment/live.json"), {false, "other-app"});
  EXPECT_TRUE(n["metadata"]["annotations"].contains(kTrackingAnnotation));
  EXPECT_TRUE(n["metadata"]["labels"].contains(kTrackingLabel));
}

TEST(NormalizeTest, KeepsTrackingIdCopiedFromAnotherObject) {
  Object o = LoadJson("deployment/live.json");
  o["metadata"]["annotations"][kTrackingAnnotation] = "shop:apps/Deployment:shop/api";
  Object n = Normalize(o);
  EXPECT_EQ(n["metadata"]["annotations"][kTrackingAnnotation], "shop:apps/Deployment:shop/api");
}

TEST(NormalizeTest, TrackingIdOfCoreAndClusterScopedObjects) {
  Object o = Object::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop",
    "annotations":{"gitopsd.io/tracking-id":"shop:/Namespace:/shop"}}})");
  EXPECT_FALSE(Normalize(o)["metadata"].contains("annotations"));
}

TEST(NormalizeTest, FoldsSecretStringDataIntoBase64Data) {
  Object n = Normalize(LoadJson("secret/desired.json"));
  EXPECT_FALSE(n.contains("stringData"));
  EXPECT_EQ(n["data"]["password"], "czNjcjN0LXBhNTU=");
  EXPECT_EQ(n["data"]["username"], "c2hvcA==");
  EXPECT_EQ(CanonicalJson(n["data"]), CanonicalJson(Normalize(LoadJson("secret/live.json"))["data"]));
}

TEST(NormalizeTest, StringDataWinsOverDataAndNullDataBecomesEmpty) {
  Object o = Object::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
    "data":{"a":"b2xk","n":null},"stringData":{"a":"new"}})");
  Object n = Normalize(o);
  EXPECT_EQ(n["data"]["a"], "bmV3");
  EXPECT_EQ(n["data"]["n"], "");
}

TEST(NormalizeTest, StringDataOfNonSecretIsLeftAlone) {
  Object o = Object::parse(R"({"apiVersion":"example.com/v1","kind":"Secret","metadata":{"name":"s"},
    "stringData":{"a":"x"}})");
  EXPECT_TRUE(Normalize(o).contains("stringData"));
}

TEST(NormalizeTest, IntegralFloatsBecomeIntegers) {
  Object n = Normalize(LoadJson("crd/desired.json"));
  EXPECT_TRUE(n["spec"]["replicas"].is_number_integer());
  EXPECT_EQ(CanonicalJson(n["spec"]["replicas"]), "1");
  Object f = Normalize(Object::parse(R"({"kind":"X","spec":{"ratio":0.25}})"));
  EXPECT_EQ(CanonicalJson(f["spec"]["ratio"]), "0.25");
}

TEST(NormalizeTest, DropsNullValuesInMappings) {
  Object n = Normalize(Object::parse(R"({"kind":"X","spec":{"a":null,"b":[null,1]}})"));
  EXPECT_EQ(CanonicalJson(n), R"({"kind":"X","spec":{"b":[null,1]}})");
}

TEST(NormalizeTest, CanonicalizesContainerResourceQuantities) {
  Object desired = Normalize(LoadJson("deployment/desired.json"));
  Object live = Normalize(LoadJson("deployment/live.json"));
  const Object& d = desired["spec"]["template"]["spec"]["containers"][0]["resources"];
  const Object& l = live["spec"]["template"]["spec"]["containers"][0]["resources"];
  EXPECT_EQ(d["requests"]["cpu"], "500m");
  EXPECT_EQ(d["limits"]["cpu"], "1");
  EXPECT_EQ(d["limits"]["memory"], "512Mi");
  EXPECT_EQ(CanonicalJson(d), CanonicalJson(l));
  EXPECT_EQ(desired["spec"]["template"]["spec"]["volumes"][0]["emptyDir"]["sizeLimit"], "512Mi");
}

TEST(NormalizeTest, CanonicalizesQuantitiesOfPvcTemplatesAndQuotaKinds) {
  Object sts = Normalize(LoadJson("statefulset/desired.json"));
  EXPECT_EQ(sts["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"], "2");
  Object quota = Normalize(Object::parse(R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},
    "spec":{"hard":{"requests.cpu":0.5,"pods":10,"requests.memory":"1024Mi"}}})"));
  EXPECT_EQ(quota["spec"]["hard"]["requests.cpu"], "500m");
  EXPECT_EQ(quota["spec"]["hard"]["pods"], "10");
  EXPECT_EQ(quota["spec"]["hard"]["requests.memory"], "1Gi");
  Object lr = Normalize(Object::parse(R"({"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"l"},
    "spec":{"limits":[{"type":"Container","default":{"cpu":"0.2"},"max":{"memory":"2048Mi"}}]}})"));
  EXPECT_EQ(lr["spec"]["limits"][0]["default"]["cpu"], "200m");
  EXPECT_EQ(lr["spec"]["limits"][0]["max"]["memory"], "2Gi");
  Object pv = Normalize(Object::parse(R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"p"},
    "spec":{"capacity":{"storage":"10240Mi"}}})"));
  EXPECT_EQ(pv["spec"]["capacity"]["storage"], "10Gi");
}

TEST(NormalizeTest, LeavesNonQuantityStringsInResourceMapsAlone) {
  Object n = Normalize(Object::parse(R"({"kind":"X","spec":{"resources":{"limits":{"x":"lots"}}}})"));
  EXPECT_EQ(n["spec"]["resources"]["limits"]["x"], "lots");
}

TEST(NormalizeTest, EmptyRbacRulesEqualAbsentRules) {
  Object role = Object::parse(R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
    "metadata":{"name":"r"},"rules":[]})");
  EXPECT_FALSE(Normalize(role).contains("rules"));
  Object cm = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"rules":[]})");
  EXPECT_TRUE(Normalize(cm).contains("rules"));
}

TEST(NormalizeTest, EndpointsAreOrderInsensitiveWithDefaultProtocol) {
  Object a = Object::parse(R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"e"},"subsets":[
    {"addresses":[{"ip":"10.0.0.2"},{"ip":"10.0.0.1"}],"ports":[{"port":80}]},
    {"addresses":[{"ip":"10.0.1.1"}],"ports":[{"port":53,"protocol":"UDP"}]}]})");
  Object b = Object::parse(R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"e"},"subsets":[
    {"addresses":[{"ip":"10.0.1.1"}],"ports":[{"port":53,"protocol":"UDP"}]},
    {"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80,"protocol":"TCP"}]}]})");
  EXPECT_EQ(CanonicalJson(Normalize(a)), CanonicalJson(Normalize(b)));
}

TEST(NormalizeTest, NullStaysNull) { EXPECT_TRUE(Normalize(Object()).is_null()); }

TEST(NormalizeTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\x00\x10", 3)), "/wAQ");
}

}  // namespace
}  // namespace gitopsd::diff
