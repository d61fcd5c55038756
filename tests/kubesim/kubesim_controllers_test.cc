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

TEST_F(KubesimTest, DeploymentKeepsReplicaSetsAndPodsThroughARollout) {
  const std::string base = "/apis/apps/v1/namespaces/default/deployments";
  const std::string rs_base = "/apis/apps/v1/namespaces/default/replicasets";
  const std::string pods = "/api/v1/namespaces/default/pods";
  ASSERT_EQ(api_->Post(base, Deployment("default", "web", "nginx:1.25", 3)).status, 201);
  auto owned_pods = [&](const std::string& rs) {
    std::vector<Object> out;
    Object all = api_->Get(pods).body;
    for (const auto& p : all["items"]) {
      if (p["metadata"]["ownerReferences"][0]["name"] == rs) out.push_back(p);
    }
    return out;
  };
  Object list;
  ASSERT_TRUE(Eventually([&] {
    list = api_->Get(rs_base).body;
    return list["items"].size() == 1 && owned_pods(list["items"][0]["metadata"]["name"]).size() == 3;
  }));
  Object rs1 = list["items"][0];
  std::string hash = rs1["metadata"]["labels"]["pod-template-hash"];
  EXPECT_EQ(rs1["metadata"]["name"], "web-" + hash);
  EXPECT_EQ(rs1["metadata"]["ownerReferences"][0]["kind"], "Deployment");
  EXPECT_EQ(rs1["metadata"]["ownerReferences"][0]["controller"], true);
  EXPECT_EQ(rs1["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(rs1["spec"]["replicas"], 3);
  for (const auto& p : owned_pods(rs1["metadata"]["name"])) {
    EXPECT_EQ(p["status"]["phase"], "Running");
    EXPECT_EQ(p["status"]["containerStatuses"][0]["ready"], true);
    EXPECT_EQ(p["metadata"]["labels"]["pod-template-hash"], hash);
  }
  // A new image: a second ReplicaSet takes over, the first is scaled to zero.
  ASSERT_EQ(api_->Patch(base + "/web", "application/merge-patch+json",
                        Object::parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"main","image":"registry.invalid/app:crashloop"}]}}}})"))
                .status,
            200);
  ASSERT_TRUE(Eventually([&] {
    list = api_->Get(rs_base).body;
    if (list["items"].size() != 2) return false;
    for (const auto& rs : list["items"]) {
      bool current = rs["metadata"]["name"] != rs1["metadata"]["name"];
      if (rs["spec"]["replicas"] != (current ? 3 : 0)) return false;
      if (owned_pods(rs["metadata"]["name"]).size() != (current ? 3u : 0u)) return false;
    }
    return true;
  }));
  for (const auto& rs : list["items"]) {
    if (rs["metadata"]["name"] == rs1["metadata"]["name"]) continue;
    EXPECT_EQ(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
    for (const auto& p : owned_pods(rs["metadata"]["name"])) {
      EXPECT_EQ(p["status"]["containerStatuses"][0]["ready"], false);
      EXPECT_EQ(p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"], "CrashLoopBackOff");
    }
  }
  // Deleting the Deployment collects its ReplicaSets and their Pods.
  ASSERT_EQ(api_->Delete(base + "/web").status, 200);
  EXPECT_TRUE(Eventually([&] {
    return api_->Get(rs_base).body["items"].empty() && api_->Get(pods).body["items"].empty();
  }));
}

TEST_F(KubesimTest, HorizontalPodAutoscalerReportsItsTargetWithinBounds) {
  ASSERT_EQ(api_->Post("/apis/apps/v1/namespaces/default/deployments", Deployment("default", "web", "nginx:1.25", 1))
                .status,
            201);
  const std::string base = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
  Object hpa = Object::parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"web","namespace":"default"},
    "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":5}})");
  ASSERT_EQ(api_->Post(base, hpa).status, 201);
  hpa["metadata"]["name"] = "orphan";
  hpa["spec"]["scaleTargetRef"]["name"] = "missing";
  ASSERT_EQ(api_->Post(base, hpa).status, 201);
  Object got;
  ASSERT_TRUE(Eventually([&] {
    got = api_->Get(base + "/web").body;
    return Condition(got, "AbleToScale") != nullptr;
  }));
  EXPECT_EQ((*Condition(got, "AbleToScale"))["status"], "True");
  EXPECT_EQ((*Condition(got, "ScalingActive"))["status"], "True");
  EXPECT_EQ(got["status"]["currentReplicas"], 1);
  EXPECT_EQ(got["status"]["desiredReplicas"], 2);
  EXPECT_EQ((*Condition(got, "ScalingLimited"))["reason"], "TooFewReplicas");
  ASSERT_TRUE(Eventually([&] {
    got = api_->Get(base + "/orphan").body;
    return Condition(got, "AbleToScale") != nullptr;
  }));
  EXPECT_EQ((*Condition(got, "AbleToScale"))["reason"], "FailedGetScale");
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
