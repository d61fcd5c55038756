// Fake controllers: Deployments progress to available; crashloop images end
// in ProgressDeadlineExceeded; Jobs complete or fail; LoadBalancer Services
// get an address; status writes are no-ops when nothing changed.
#include "kubesim_test_util.h"

namespace gitopsd::kubesim::testing {
namespace {

const Object* Condition(const Object& obj, const std::string& type) {
  const Object* conds = FindPath(obj, "status.conditions");
  if (conds == nullptr) return nullptr;
  for (const auto& c : *conds) {
    if (c["type"] == type) return &c;
  }
  return nullptr;
}

TEST_F(KubesimTest, DeploymentBecomesAvailableAndObservesItsGeneration) {
  const std::string base = "/apis/apps/v1/namespaces/default/deployments";
  ASSERT_EQ(api_->Post(base, Deployment("default", "ok", "nginx:1.25")).status, 201);
  Object d;
  ASSERT_TRUE(Eventually([&] {
    d = api_->Get(base + "/ok").body;
    const Object* a = Condition(d, "Available");
    return a != nullptr && (*a)["status"] == "True";
  }));
  EXPECT_EQ(d["status"]["observedGeneration"], d["metadata"]["generation"]);
  EXPECT_EQ(d["status"]["availableReplicas"], 2);
  EXPECT_EQ((*Condition(d, "Progressing"))["reason"], "NewReplicaSetAvailable");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  // Settled: no further writes.
  std::string rv = d["metadata"]["resourceVersion"];
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(api_->Get(base + "/ok").body["metadata"]["resourceVersion"], rv);
}

TEST_F(KubesimTest, CrashloopImageExceedsProgressDeadline) {
  const std::string base = "/apis/apps/v1/namespaces/default/deployments";
  Object dep = Deployment("default", "crashy", "registry.invalid/app:crashloop", 1);
  dep["spec"]["progressDeadlineSeconds"] = 10;  // 200 ms at time scale 50
  ASSERT_EQ(api_->Post(base, dep).status, 201);
  Object d;
  ASSERT_TRUE(Eventually([&] {
    d = api_->Get(base + "/crashy").body;
    const Object* p = Condition(d, "Progressing");
    return p != nullptr && (*p)["reason"] == "ProgressDeadlineExceeded";
  }));
  EXPECT_EQ((*Condition(d, "Available"))["status"], "False");
  EXPECT_FALSE(d["status"].contains("availableReplicas"));
}

TEST_F(KubesimTest, JobsCompleteOrFailByImage) {
  const std::string base = "/apis/batch/v1/namespaces/default/jobs";
  auto job = [](const std::string& name, const std::string& image) {
    return Object::parse(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":")" + name +
                         R"("},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":")" +
                         image + R"("}]}}}})");
  };
  ASSERT_EQ(api_->Post(base, job("good", "busybox:1.36")).status, 201);
  ASSERT_EQ(api_->Post(base, job("bad", "busybox:fail")).status, 201);
  EXPECT_TRUE(Eventually([&] { return Condition(api_->Get(base + "/good").body, "Complete") != nullptr; }));
  EXPECT_TRUE(Eventually([&] { return Condition(api_->Get(base + "/bad").body, "Failed") != nullptr; }));
}

TEST_F(KubesimTest, LoadBalancerServiceGetsAnAddress) {
  Object svc = Object::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},
      "spec":{"type":"LoadBalancer","selector":{"app":"x"},"ports":[{"port":80}]}})");
  Reply r = api_->Post("/api/v1/namespaces/default/services", svc);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_FALSE(r.body["spec"]["clusterIP"].get<std::string>().empty());
  EXPECT_TRUE(r.body["spec"]["ports"][0].contains("nodePort"));
  EXPECT_TRUE(Eventually([&] {
    return FindPath(api_->Get("/api/v1/namespaces/default/services/lb").body, "status.loadBalancer.ingress") != nullptr;
  }));
}

}  // namespace
}  // namespace gitopsd::kubesim::testing
