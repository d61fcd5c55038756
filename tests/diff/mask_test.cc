#include "diff/mask.h"

#include <gtest/gtest.h>

#include "diff/normalize.h"
#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

bool ContainsAnyValue(const std::string& text) {
  for (const char* secret : {"czNjcjN0LXBhNTU=", "s3cr3t-pa55", "c2hvcA==", "Y2hhbmdlZC1ieS1oYW5k"}) {
    if (text.find(secret) != std::string::npos) return true;
  }
  return false;
}

TEST(MaskTest, EqualValuesGetEqualMasks) {
  Object live = Normalize(LoadJson("secret/live.json"));
  Object desired = Normalize(LoadJson("secret/desired.json"));
  MaskSecretPair(live, desired);
  EXPECT_EQ(live["data"]["password"], kMask);
  EXPECT_EQ(desired["data"]["password"], kMask);
  EXPECT_EQ(live["data"]["username"], kMask);
  EXPECT_FALSE(ContainsAnyValue(live.dump() + desired.dump()));
}

TEST(MaskTest, ChangedValuesGetDifferentMasks) {
  Object live = Normalize(LoadJson("secret/live_edited.json"));
  Object desired = Normalize(LoadJson("secret/desired.json"));
  MaskSecretPair(live, desired);
  EXPECT_EQ(live["data"]["password"], "++++++++");
  EXPECT_EQ(desired["data"]["password"], "++++++++++++");
  EXPECT_EQ(live["data"]["username"], desired["data"]["username"]);
  EXPECT_FALSE(ContainsAnyValue(live.dump() + desired.dump()));
}

TEST(MaskTest, MasksAreNotSharedBetweenKeys) {
  // Two keys with the same value: each key numbers its own values, so the
  // masks say nothing about values being equal across keys.
  Object a = Object::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
    "data":{"k1":"c2FtZQ==","k2":"c2FtZQ=="}})");
  Object b = Object::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
    "data":{"k1":"b3RoZXI=","k2":"c2FtZQ=="}})");
  MaskSecretPair(a, b);
  EXPECT_EQ(a["data"]["k1"], "++++++++");
  EXPECT_EQ(a["data"]["k2"], "++++++++");
  EXPECT_EQ(b["data"]["k1"], "++++++++++++");
  EXPECT_EQ(b["data"]["k2"], "++++++++");
}

TEST(MaskTest, MasksOneSideWhenTheOtherIsAbsent) {
  Object live;
  Object desired = Normalize(LoadJson("secret/desired.json"));
  MaskSecretPair(live, desired);
  EXPECT_TRUE(live.is_null());
  EXPECT_EQ(desired["data"]["password"], kMask);
}

TEST(MaskTest, MasksStringDataAndLastAppliedAnnotation) {
  Object raw = LoadJson("secret/live.json");
  raw["stringData"] = {{"token", "plain-token"}};
  MaskSecret(raw);
  std::string all = raw.dump();
  EXPECT_FALSE(ContainsAnyValue(all)) << all;
  EXPECT_EQ(all.find("plain-token"), std::string::npos);
  EXPECT_EQ(raw["stringData"]["token"], kMask);
  Object last = Object::parse(raw["metadata"]["annotations"][kLastAppliedAnnotation].get<std::string>());
  EXPECT_EQ(last["stringData"]["password"], kMask);
  EXPECT_EQ(last["data"]["username"], kMask);
}

TEST(MaskTest, UnparsableLastAppliedIsReplacedWhole) {
  Object o = Object::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s",
    "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{not json s3cr3t"}}})");
  MaskSecret(o);
  EXPECT_EQ(o["metadata"]["annotations"][kLastAppliedAnnotation], kMask);
}

TEST(MaskTest, MalformedDataIsHiddenWhole) {
  Object o = Object::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":"s3cr3t"})");
  MaskSecret(o);
  EXPECT_EQ(o["data"], kMask);
}

TEST(MaskTest, SensitiveAnnotationsAreMaskedOnAnyKind) {
  Object a = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c",
    "annotations":{"vault/token":"t-1","team":"shop"}}})");
  Object b = a;
  b["metadata"]["annotations"]["vault/token"] = "t-2";
  MaskAnnotationsPair(a, b, {"vault/token"});
  EXPECT_EQ(a["metadata"]["annotations"]["vault/token"], "++++++++");
  EXPECT_EQ(b["metadata"]["annotations"]["vault/token"], "++++++++++++");
  EXPECT_EQ(b["metadata"]["annotations"]["team"], "shop");
}

TEST(MaskTest, NonSecretsAreUntouched) {
  Object cm = Object::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}})");
  Object before = cm;
  MaskSecret(cm);
  EXPECT_EQ(cm, before);
  EXPECT_FALSE(IsSecret(cm));
}

}  // namespace
}  // namespace gitopsd::diff
