// Patch types through the server: JSON merge patch, JSON patch (atomic on a
// failing test op) and strategic merge with patch-merge keys: containers by
// name, ports by containerPort, env by name, volumes by name, directives.
#include "kubesim_test_util.h"

namespace gitopsd::kubesim::testing {
namespace {

class KubesimPatchTest : public KubesimTest {
 protected:
  void SetUp() override {
    KubesimTest::SetUp();
    Object d = Deployment("default", "web", "nginx:1.25");
    Object& pod = d["spec"]["template"]["spec"];
    pod["containers"][0]["env"] = Object::parse(R"([{"name":"A","value":"1"},{"name":"B","value":"2"}])");
    pod["containers"].push_back(Object::parse(R"({"name":"side","image":"busybox:1.36"})"));
    pod["volumes"] = Object::parse(R"([{"name":"v1","emptyDir":{}},{"name":"v2","configMap":{"name":"c"}}])");
    ASSERT_EQ(api_->Post(kBase, d).status, 201);
  }
  Object Smp(const std::string& patch) {
    Reply r = api_->Patch(std::string(kBase) + "/web", "application/strategic-merge-patch+json", Object::parse(patch));
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  static constexpr const char* kBase = "/apis/apps/v1/namespaces/default/deployments";
};

TEST_F(KubesimPatchTest, StrategicMergeMergesContainersByName) {
  Object d = Smp(R"({"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}})");
  const Object& cs = d["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0]["image"], "nginx:1.26");
  EXPECT_EQ(cs[0]["env"].size(), 2u);
  EXPECT_EQ(cs[1]["name"], "side");
  EXPECT_EQ(d["metadata"]["generation"], 2);
}

TEST_F(KubesimPatchTest, StrategicMergeMergesPortsByContainerPort) {
  Object d = Smp(R"({"spec":{"template":{"spec":{"containers":[{"name":"main","ports":[{"containerPort":8080}]}]}}}})");
  const Object& ports = d["spec"]["template"]["spec"]["containers"][0]["ports"];
  ASSERT_EQ(ports.size(), 2u);
  std::set<int> got;
  for (const auto& p : ports) got.insert(p["containerPort"].get<int>());
  EXPECT_EQ(got, (std::set<int>{80, 8080}));
}

TEST_F(KubesimPatchTest, StrategicMergeMergesEnvByNameAndDeletesWithDirective) {
  Object d = Smp(R"({"spec":{"template":{"spec":{"containers":[{"name":"main",
      "env":[{"name":"B","value":"changed"},{"name":"A","$patch":"delete"}]}]}}}})");
  const Object& env = d["spec"]["template"]["spec"]["containers"][0]["env"];
  ASSERT_EQ(env.size(), 1u);
  EXPECT_EQ(env[0]["name"], "B");
  EXPECT_EQ(env[0]["value"], "changed");
}

TEST_F(KubesimPatchTest, StrategicMergeMergesVolumesByName) {
  Object d = Smp(R"({"spec":{"template":{"spec":{"volumes":[{"name":"v3","emptyDir":{}}]}}}})");
  const Object& vols = d["spec"]["template"]["spec"]["volumes"];
  EXPECT_EQ(vols.size(), 3u);
}

TEST_F(KubesimPatchTest, StrategicMergeAcceptsSetElementOrder) {
  Object d = Smp(R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"main"},{"name":"side"}],
      "containers":[{"name":"main","image":"nginx:1.27"}]}}}})");
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.27");
}

TEST_F(KubesimPatchTest, JsonPatchWithFailingTestChangesNothing) {
  Reply before = api_->Get(std::string(kBase) + "/web");
  Reply r = api_->Patch(std::string(kBase) + "/web", "application/json-patch+json",
                        Object::parse(R"([{"op":"replace","path":"/spec/replicas","value":7},
                                          {"op":"test","path":"/spec/replicas","value":99}])"));
  EXPECT_EQ(r.status, 422);
  Reply after = api_->Get(std::string(kBase) + "/web");
  // The simulated Deployment controller writes status on its own schedule,
  // so resourceVersion may move; the spec and its generation must not.
  EXPECT_EQ(after.body["spec"]["replicas"], 2);
  EXPECT_EQ(after.body["spec"], before.body["spec"]);
  EXPECT_EQ(after.body["metadata"]["generation"], before.body["metadata"]["generation"]);
}

TEST_F(KubesimPatchTest, MergePatchNullDeletesAndLabelsDoNotBumpGenerationExceptDeployments) {
  Reply r = api_->Patch(std::string(kBase) + "/web", "application/merge-patch+json",
                        Object::parse(R"({"metadata":{"labels":{"x":"y"}}})"));
  EXPECT_EQ(r.body["metadata"]["generation"], 1);
  r = api_->Patch(std::string(kBase) + "/web", "application/merge-patch+json",
                  Object::parse(R"({"metadata":{"annotations":{"x":"y"}}})"));
  EXPECT_EQ(r.body["metadata"]["generation"], 2);
}

TEST_F(KubesimPatchTest, PatchResourceVersionPreconditionConflicts) {
  Reply r = api_->Patch(std::string(kBase) + "/web", "application/merge-patch+json",
                        Object::parse(R"({"metadata":{"resourceVersion":"1"},"spec":{"replicas":3}})"));
  EXPECT_EQ(r.status, 409);
}

}  // namespace
}  // namespace gitopsd::kubesim::testing
