// End-to-end: `gitopsd apply|diff|status` against an in-process kubesim over
// HTTPS (bearer token, generated CA), with the real kubectl making the
// out-of-band changes a user would (scale, patch a Secret).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/object.h"
#include "daemon/version.h"
#include "kubesim/server.h"

namespace gitopsd {
namespace {

namespace fs = std::filesystem;

struct Output {
  int code = -1;
  std::string out;  // stdout and stderr
};

Output Shell(const std::string& cmd) {
  Output r;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("gitopsd_cli_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    kubesim::Options options;
    options.listen = "127.0.0.1:0";
    options.tls = true;
    options.token = "e2e-token";
    options.controller_delay_ms = 50;
    options.ready_delay_ms = 200;
    options.kubeconfig_out = (*dir_ / "kubeconfig").string();
    server_ = new kubesim::Server(options);
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  static std::string Kubeconfig() { return (*dir_ / "kubeconfig").string(); }
  static std::string Gitopsd(const std::string& args) {
    return std::string(GITOPSD_BIN_DIR) + "/gitopsd " + args + " --kubeconfig " + Kubeconfig();
  }
  static std::string Kubectl(const std::string& args) {
    return "kubectl --kubeconfig " + Kubeconfig() + " --cache-dir " + (*dir_ / "cache").string() +
           " " + args;
  }
  static std::string Fixture(const std::string& name) {
    return std::string(GITOPSD_TESTDATA_DIR) + "/cli/" + name;
  }
  // A private copy of a fixture that a test may edit.
  static std::string CopyFixture(const std::string& name, const std::string& as) {
    fs::path to = *dir_ / as;
    fs::remove_all(to);
    fs::copy(Fixture(name), to, fs::copy_options::recursive);
    return to.string();
  }

  static fs::path* dir_;
  static kubesim::Server* server_;
};

fs::path* CliTest::dir_ = nullptr;
kubesim::Server* CliTest::server_ = nullptr;

// The whole story of the issue, in order: apply, no noise, drift by
// kubectl, Secret drift masked, status, re-apply, prune.
TEST_F(CliTest, ApplyThenDiffIsCleanAndReportsOnlyRealDrift) {
  std::string app = CopyFixture("shop", "shop");

  Output apply = Shell(Gitopsd("apply " + app + " --app shop"));
  ASSERT_EQ(apply.code, 0) << apply.out;
  EXPECT_NE(apply.out.find("deployment.apps/web -n shop created"), std::string::npos) << apply.out;
  EXPECT_NE(apply.out.find("widget.example.com/blue -n shop created"), std::string::npos) << apply.out;
  // The CRD is applied before its first instance.
  EXPECT_LT(apply.out.find("customresourcedefinition.apiextensions.k8s.io/widgets.example.com"),
            apply.out.find("widget.example.com/blue"));

  Output clean = Shell(Gitopsd("diff " + app + " --app shop"));
  EXPECT_EQ(clean.code, 0) << clean.out;
  EXPECT_EQ(clean.out, "");

  // Sync status from the inventory the apply recorded (no DIR given).
  Output status = Shell(Gitopsd("status --app shop"));
  EXPECT_NE(status.out.find("app shop: sync Synced"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("OutOfSync"), std::string::npos) << status.out;

  Output again = Shell(Gitopsd("apply " + app + " --app shop"));
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("deployment.apps/web -n shop unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find(" configured"), std::string::npos) << again.out;

  // kubectl scale: only spec.replicas differs.
  Output scale = Shell(Kubectl("-n shop scale deploy/web --replicas=5"));
  ASSERT_EQ(scale.code, 0) << scale.out;
  Output drift = Shell(Gitopsd("diff " + app + " --app shop -o json"));
  ASSERT_EQ(drift.code, 1) << drift.out;
  Object diffs = Object::parse(drift.out, nullptr, false);
  ASSERT_TRUE(diffs.is_array()) << drift.out;
  ASSERT_EQ(diffs.size(), 1u) << drift.out;
  EXPECT_EQ(diffs[0]["id"]["kind"], "Deployment");
  ASSERT_EQ(diffs[0]["paths"].size(), 1u) << drift.out;
  EXPECT_EQ(diffs[0]["paths"][0]["path"], "/spec/replicas");
  EXPECT_EQ(diffs[0]["paths"][0]["old"], 5);
  EXPECT_EQ(diffs[0]["paths"][0]["new"], 2);

  Output drifted_status = Shell(Gitopsd("status --app shop"));
  EXPECT_EQ(drifted_status.code, 1) << drifted_status.out;
  EXPECT_NE(drifted_status.out.find("differs at /spec/replicas"), std::string::npos)
      << drifted_status.out;

  // A Secret value edited by hand: reported as changed, never shown.
  Output patch = Shell(Kubectl(
      "-n shop patch secret web-secret --type merge -p '{\"data\":{\"password\":\"c3dvcmRmaXNo\"}}'"));
  ASSERT_EQ(patch.code, 0) << patch.out;
  Output secret = Shell(Gitopsd("diff " + app + " --app shop"));
  ASSERT_EQ(secret.code, 1) << secret.out;
  EXPECT_NE(secret.out.find("+++ desired/v1/Secret/shop/web-secret"), std::string::npos) << secret.out;
  EXPECT_NE(secret.out.find("-  password: ++++++++"), std::string::npos) << secret.out;
  EXPECT_NE(secret.out.find("+  password: ++++++++++++"), std::string::npos) << secret.out;
  for (const char* value : {"c3dvcmRmaXNo", "aHVudGVyMg==", "swordfish", "hunter2", "not-so-secret"}) {
    EXPECT_EQ(secret.out.find(value), std::string::npos) << value << " leaked:\n" << secret.out;
  }

  // Re-apply repairs both.
  Output repair = Shell(Gitopsd("apply " + app + " --app shop"));
  ASSERT_EQ(repair.code, 0) << repair.out;
  EXPECT_NE(repair.out.find("deployment.apps/web -n shop configured"), std::string::npos) << repair.out;
  EXPECT_NE(repair.out.find("secret/web-secret -n shop configured"), std::string::npos) << repair.out;
  EXPECT_EQ(Shell(Gitopsd("diff " + app + " --app shop")).code, 0);

  // A ConfigMap that leaves the repo: reported as removed, pruned only with --prune.
  {
    std::ifstream in(app + "/config.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text = text.substr(0, text.find("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: legacy-config"));
    std::ofstream(app + "/config.yaml") << text;
  }
  Output removed = Shell(Gitopsd("diff " + app + " --app shop -o json"));
  EXPECT_EQ(removed.code, 1) << removed.out;
  EXPECT_NE(removed.out.find("\"removed\""), std::string::npos) << removed.out;
  Output no_prune = Shell(Gitopsd("apply " + app + " --app shop"));
  EXPECT_NE(no_prune.out.find("configmap/legacy-config -n shop prune skipped"), std::string::npos)
      << no_prune.out;
  Output prune = Shell(Gitopsd("apply " + app + " --app shop --prune"));
  ASSERT_EQ(prune.code, 0) << prune.out;
  EXPECT_NE(prune.out.find("configmap/legacy-config -n shop pruned"), std::string::npos) << prune.out;
  EXPECT_NE(Shell(Kubectl("-n shop get configmap legacy-config")).code, 0);
  EXPECT_EQ(Shell(Gitopsd("diff " + app + " --app shop")).code, 0);
}

TEST_F(CliTest, ApplyWaitSucceedsOnceHealthy) {
  Output apply = Shell(Gitopsd("apply " + Fixture("healthy") + " --app calm --wait --timeout 60s"));
  ASSERT_EQ(apply.code, 0) << apply.out;
  EXPECT_NE(apply.out.find("app calm health: Healthy"), std::string::npos) << apply.out;
  Output status = Shell(Gitopsd("status --app calm " + Fixture("healthy")));
  EXPECT_EQ(status.code, 0) << status.out;
  EXPECT_NE(status.out.find("app calm: sync Synced, health Healthy"), std::string::npos) << status.out;
}

TEST_F(CliTest, CrashloopingDeploymentFailsTheWaitAsDegraded) {
  Output apply = Shell(Gitopsd("apply " + Fixture("crashloop") + " --app broken --wait --timeout 30s"));
  EXPECT_EQ(apply.code, 1) << apply.out;
  EXPECT_NE(apply.out.find("app broken health: Degraded"), std::string::npos) << apply.out;
  EXPECT_NE(apply.out.find("progress"), std::string::npos) << apply.out;  // the reason
}

TEST_F(CliTest, DryRunChangesNothing) {
  fs::path app = *dir_ / "dry";
  fs::create_directories(app);
  std::ofstream(app / "manifests.yaml") << "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: drydock\n"
                                           "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
                                           "  namespace: drydock\ndata:\n  k: v\n";
  Output dry = Shell(Gitopsd("apply " + app.string() + " --app dry --dry-run"));
  EXPECT_EQ(dry.code, 0) << dry.out;
  EXPECT_NE(dry.out.find("namespace/drydock created (server dry run)"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("configmap/c -n drydock created (server dry run)"), std::string::npos) << dry.out;
  EXPECT_NE(Shell(Kubectl("get namespace drydock")).code, 0);
}

TEST_F(CliTest, ErrorsExitTwo) {
  Output bad_dir = Shell(Gitopsd("diff /nonexistent/dir"));
  EXPECT_EQ(bad_dir.code, 2) << bad_dir.out;
  Output bad_config = Shell(std::string(GITOPSD_BIN_DIR) + "/gitopsd diff " + Fixture("shop") +
                         " --kubeconfig /nonexistent/kubeconfig");
  EXPECT_EQ(bad_config.code, 2) << bad_config.out;
  EXPECT_NE(bad_config.out.find("does not exist"), std::string::npos) << bad_config.out;
  Output bad_output = Shell(Gitopsd("diff " + Fixture("shop") + " -o yaml"));
  EXPECT_EQ(bad_output.code, 2) << bad_output.out;
}

TEST_F(CliTest, VersionFlagAndCommand) {
  for (const char* args : {"--version", "version"}) {
    Output out = Shell(std::string(GITOPSD_BIN_DIR) + "/gitopsd " + args);
    EXPECT_EQ(out.code, 0) << args << ": " << out.out;
    EXPECT_EQ(out.out, std::string("gitopsd ") + kVersion + "\n") << args;
  }
}

}  // namespace
}  // namespace gitopsd
