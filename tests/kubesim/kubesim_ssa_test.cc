// Server-side apply through the server: create with 201, ownership in
// managedFields, conflicts between managers (409 with the upstream message),
// shared ownership for equal values, force, field removal, no-op re-apply.
#include "kubesim_test_util.h"

namespace gitopsd::kubesim::testing {
namespace {

const Object* Entry(const Object& obj, const std::string& manager, const std::string& op) {
  const Object* mf = FindPath(obj, "metadata.managedFields");
  if (mf == nullptr) return nullptr;
  for (const auto& e : *mf) {
    if (e["manager"] == manager && e["operation"] == op) return &e;
  }
  return nullptr;
}

bool Owns(const Object& obj, const std::string& manager, const std::vector<std::string>& path) {
  const Object* e = Entry(obj, manager, "Apply");
  if (e == nullptr) return false;
  const Object* node = &(*e)["fieldsV1"];
  for (const auto& p : path) {
    if (!node->contains(p)) return false;
    node = &(*node)[p];
  }
  return true;
}

class KubesimSsaTest : public KubesimTest {
 protected:
  const std::string path = "/apis/apps/v1/namespaces/default/deployments/web";
  Object Replicas(int n) {
    return Object::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":)" +
                         std::to_string(n) + "}}");
  }
  void SetUp() override {
    KubesimTest::SetUp();
    Reply r = api_->Apply(path, "kubectl", Deployment("default", "web", "nginx:1.25"));
    ASSERT_EQ(r.status, 201) << r.raw;
  }
};

TEST_F(KubesimSsaTest, ApplyRecordsOwnershipOfAppliedFieldsOnly) {
  Object d = api_->Get(path).body;
  EXPECT_TRUE(Owns(d, "kubectl", {"f:spec", "f:replicas"}));
  EXPECT_TRUE(Owns(d, "kubectl", {"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"main\"}", "f:image"}));
  EXPECT_FALSE(Owns(d, "kubectl", {"f:spec", "f:revisionHistoryLimit"}));
  EXPECT_EQ((*Entry(d, "kubectl", "Apply"))["fieldsType"], "FieldsV1");
}

TEST_F(KubesimSsaTest, ConflictingApplyIsRejectedWithManagerAndPath) {
  Reply r = api_->Apply(path, "other", Replicas(3));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body["reason"], "Conflict");
  EXPECT_NE(r.body["message"].get<std::string>().find(".spec.replicas"), std::string::npos);
  EXPECT_NE(r.body["message"].get<std::string>().find("\"kubectl\""), std::string::npos);
  EXPECT_EQ(r.body["details"]["causes"][0]["reason"], "FieldManagerConflict");
  EXPECT_EQ(api_->Get(path).body["spec"]["replicas"], 2);
}

TEST_F(KubesimSsaTest, SameValueSharesOwnershipAndForceTakesIt) {
  ASSERT_EQ(api_->Apply(path, "sharer", Replicas(2)).status, 200);
  Object d = api_->Get(path).body;
  EXPECT_TRUE(Owns(d, "sharer", {"f:spec", "f:replicas"}));
  EXPECT_TRUE(Owns(d, "kubectl", {"f:spec", "f:replicas"}));
  ASSERT_EQ(api_->Apply(path, "other", Replicas(3), /*force=*/true).status, 200);
  d = api_->Get(path).body;
  EXPECT_EQ(d["spec"]["replicas"], 3);
  EXPECT_TRUE(Owns(d, "other", {"f:spec", "f:replicas"}));
  EXPECT_FALSE(Owns(d, "kubectl", {"f:spec", "f:replicas"}));
  EXPECT_FALSE(Owns(d, "sharer", {"f:spec", "f:replicas"}));
}

TEST_F(KubesimSsaTest, FieldsNoLongerAppliedAreRemovedUnlessCoOwned) {
  const std::string cm = "/api/v1/namespaces/default/configmaps/prune";
  auto config = [](Object data) {
    return Object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "prune"}}}, {"data", data}};
  };
  api_->Apply(cm, "kubectl", config({{"keep", "1"}, {"drop", "2"}}));
  api_->Apply(cm, "kubectl", config({{"keep", "1"}}));
  EXPECT_EQ(api_->Get(cm).body["data"], (Object{{"keep", "1"}}));
  api_->Apply(cm, "co", config({{"keep", "1"}}));
  api_->Apply(cm, "kubectl", config({{"other", "3"}}));
  EXPECT_EQ(api_->Get(cm).body["data"], (Object{{"keep", "1"}, {"other", "3"}}));
}

TEST_F(KubesimSsaTest, ReapplyingUnchangedConfigIsANoOp) {
  // Let the controller finish its status writes first.
  ASSERT_TRUE(Eventually([&] { return api_->Get(path).body["status"].value("availableReplicas", 0) == 2; }));
  std::string rv = api_->Get(path).body["metadata"]["resourceVersion"];
  Reply r = api_->Apply(path, "kubectl", Deployment("default", "web", "nginx:1.25"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["metadata"]["resourceVersion"], rv);
}

TEST_F(KubesimSsaTest, UpdateOperationsMoveOwnershipToTheWriter) {
  Reply r = api_->Call("PATCH", path + "?fieldManager=kubectl-patch",
                       R"({"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}})",
                       "application/strategic-merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.raw;
  const Object* e = Entry(r.body, "kubectl-patch", "Update");
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(Owns(r.body, "kubectl", {"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"main\"}", "f:image"}));
}

TEST_F(KubesimSsaTest, ApplyWithoutFieldManagerIsInvalid) {
  Reply r = api_->Call("PATCH", path, Replicas(1).dump(), "application/apply-patch+yaml");
  EXPECT_EQ(r.status, 422);
}

}  // namespace
}  // namespace gitopsd::kubesim::testing
