#include "diff/health.h"

#include <gtest/gtest.h>

#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

struct HealthCase {
  std::string file;
  std::string status;
  std::string message;  // expected substring of the message ("" = any)
};

std::vector<HealthCase> LoadCases() {
  std::vector<HealthCase> cases;
  Object list = LoadJson("health/cases.json");
  for (const auto& c : list) {
    cases.push_back({c["file"].get<std::string>(), c["status"].get<std::string>(),
                     c["message"].get<std::string>()});
  }
  return cases;
}

class HealthFixtureTest : public ::testing::TestWithParam<HealthCase> {};

TEST_P(HealthFixtureTest, AssessesTheFixture) {
  const HealthCase& c = GetParam();
  HealthStatus h = AssessHealth(LoadJson("health/" + c.file));
  EXPECT_EQ(HealthName(h.status), c.status) << c.file << ": " << h.message;
  EXPECT_NE(h.message.find(c.message), std::string::npos)
      << c.file << ": message \"" << h.message << "\" lacks \"" << c.message << "\"";
}

std::string CaseName(const ::testing::TestParamInfo<HealthCase>& info) {
  std::string n = info.param.file.substr(0, info.param.file.find('.'));
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, HealthFixtureTest, ::testing::ValuesIn(LoadCases()), CaseName);

TEST(HealthTest, EveryRegisteredKindHasFixtures) {
  std::string files;
  for (const auto& c : LoadCases()) files += c.file + " ";
  for (const char* prefix : {"deployment_", "statefulset_", "daemonset_", "replicaset_", "pod_",
                             "service_", "ingress_", "pvc_", "job_", "cronjob_", "hpa_", "apiservice_"}) {
    EXPECT_NE(files.find(prefix), std::string::npos) << prefix;
  }
}

TEST(HealthTest, AbsentObjectIsMissing) {
  EXPECT_EQ(AssessHealth(Object()).status, HealthCode::kMissing);
}

TEST(HealthTest, OrderingFollowsArgoCd) {
  EXPECT_TRUE(IsWorse(HealthCode::kSuspended, HealthCode::kHealthy));
  EXPECT_TRUE(IsWorse(HealthCode::kProgressing, HealthCode::kSuspended));
  EXPECT_TRUE(IsWorse(HealthCode::kMissing, HealthCode::kProgressing));
  EXPECT_TRUE(IsWorse(HealthCode::kDegraded, HealthCode::kMissing));
  EXPECT_TRUE(IsWorse(HealthCode::kUnknown, HealthCode::kDegraded));
  EXPECT_FALSE(IsWorse(HealthCode::kHealthy, HealthCode::kHealthy));
}

TEST(HealthTest, CustomRegistryOverridesAKind) {
  HealthRegistry r;
  r.Register("stable.example.com", "CronTab", [](const Object& o) {
    return GetString(o, "status.phase") == "Broken" ? HealthStatus{HealthCode::kDegraded, "broken"}
                                                    : HealthStatus{};
  });
  Object cr = LoadJson("health/custom_resource.json");
  EXPECT_EQ(AssessHealth(cr, r).status, HealthCode::kDegraded);
  EXPECT_EQ(AssessHealth(cr).status, HealthCode::kHealthy);
  EXPECT_EQ(r.Find("apps", "Deployment"), nullptr);
  EXPECT_NE(HealthRegistry::Builtin().Find("extensions", "Ingress"), nullptr);
}

ResourceHealth R(const char* kind, const char* name, HealthCode code, const char* msg = "") {
  return {ResId{"", "v1", kind, "shop", name}, {code, msg}};
}

TEST(AppHealthTest, WorstResourceWinsAndIsNamed) {
  HealthStatus h = AppHealth({R("Service", "web", HealthCode::kHealthy),
                              R("Deployment", "web", HealthCode::kDegraded,
                                "Deployment \"web\" exceeded its progress deadline"),
                              R("Pod", "web-1", HealthCode::kProgressing)});
  EXPECT_EQ(h.status, HealthCode::kDegraded);
  EXPECT_EQ(h.message, "Deployment shop/web: Deployment \"web\" exceeded its progress deadline");
}

TEST(AppHealthTest, NamesAtMostThreeResources) {
  std::vector<ResourceHealth> rs;
  for (const char* n : {"a", "b", "c", "d"}) rs.push_back(R("Pod", n, HealthCode::kProgressing, "x"));
  HealthStatus h = AppHealth(rs);
  EXPECT_EQ(h.status, HealthCode::kProgressing);
  EXPECT_EQ(h.message, "Pod shop/a: x; Pod shop/b: x; Pod shop/c: x");
}

TEST(AppHealthTest, AllHealthyHasNoMessage) {
  HealthStatus h = AppHealth({R("Service", "web", HealthCode::kHealthy, "fine")});
  EXPECT_EQ(h.status, HealthCode::kHealthy);
  EXPECT_EQ(h.message, "");
}

TEST(AppHealthTest, MissingCountsOnlyWhenNothingExists) {
  EXPECT_EQ(AppHealth({R("Service", "web", HealthCode::kHealthy),
                       R("ConfigMap", "c", HealthCode::kMissing)}).status,
            HealthCode::kHealthy);
  EXPECT_EQ(AppHealth({R("Service", "web", HealthCode::kMissing),
                       R("ConfigMap", "c", HealthCode::kMissing)}).status,
            HealthCode::kMissing);
  EXPECT_EQ(AppHealth({}).status, HealthCode::kMissing);
}

}  // namespace
}  // namespace gitopsd::diff

namespace gitopsd::diff {
namespace {

Object CrashLoopPod() { return testing::LoadJson("health/pod_crashloop.json"); }

TEST(HealthWithPodsTest, ProgressingDeploymentWithCrashLoopingPodIsDegraded) {
  Object deploy = testing::LoadJson("health/deployment_updated_not_available.json");
  HealthStatus h = AssessHealthWithPods(deploy, {testing::LoadJson("health/pod_running_ready.json"), CrashLoopPod()});
  EXPECT_EQ(h.status, HealthCode::kDegraded);
  EXPECT_EQ(h.message.rfind("pod web-7d9c8b6f5b-x2k9p: back-off 40s restarting failed container=web", 0), 0u)
      << h.message;
}

TEST(HealthWithPodsTest, PodsOfOtherWorkloadsOrNamespacesDoNotCount) {
  Object deploy = testing::LoadJson("health/deployment_updated_not_available.json");
  Object other_labels = CrashLoopPod();
  other_labels["metadata"]["labels"]["app"] = "api";
  Object other_ns = CrashLoopPod();
  other_ns["metadata"]["namespace"] = "prod";
  HealthStatus h = AssessHealthWithPods(deploy, {other_labels, other_ns});
  EXPECT_EQ(h.status, HealthCode::kProgressing);
}

TEST(HealthWithPodsTest, HealthyOrNonWorkloadObjectsKeepTheirOwnHealth) {
  Object healthy = testing::LoadJson("health/deployment_healthy.json");
  EXPECT_EQ(AssessHealthWithPods(healthy, {CrashLoopPod()}).status, HealthCode::kHealthy);
  Object svc = testing::LoadJson("health/service_lb_pending.json");
  EXPECT_EQ(AssessHealthWithPods(svc, {CrashLoopPod()}).status, HealthCode::kProgressing);
  Object sts = testing::LoadJson("health/statefulset_pods_not_ready.json");
  Object pod = CrashLoopPod();
  pod["metadata"]["labels"] = {{"app", "db"}};
  EXPECT_EQ(AssessHealthWithPods(sts, {pod}).status, HealthCode::kDegraded);
}

}  // namespace
}  // namespace gitopsd::diff
