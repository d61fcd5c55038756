// The configuration file: schema, defaults, paths, validation, errors.
#include "daemon/app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/git/git_fixture.h"

namespace gitopsd::app {
namespace {

using git::testing::TempDir;
using namespace std::chrono_literals;

class ConfigTest : public ::testing::Test {
 protected:
  void Write(const std::string& rel, const std::string& content) {
    auto p = std::filesystem::path(tmp_.path()) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << content;
  }
  Result<Config> Load(const std::string& yaml) {
    Write("etc/gitopsd.yaml", yaml);
    return LoadConfig(tmp_.path() + "/etc/gitopsd.yaml");
  }
  // The error message of a config that must fail.
  std::string ErrorOf(const std::string& yaml) {
    auto cfg = Load(yaml);
    EXPECT_FALSE(cfg.ok());
    EXPECT_EQ(cfg.status().code(), Code::kInvalidArgument);
    return cfg.status().message();
  }

  TempDir tmp_;
  std::string minimal_ =
      "clusters: [{name: dev}]\n"
      "repositories: [{url: 'https://git.example.com/org/env.git'}]\n";
};

TEST_F(ConfigTest, FullConfigLoadsWithResolvedPathsAndSecrets) {
  Write("etc/tokens/alice", "alice-token\n");
  Write("etc/webhook-secret", "hook\n");
  Write("etc/kubeconfig", "apiVersion: v1\n");
  Write("etc/repo-pass", "pw\n");
  Write("etc/known_hosts", "");
  auto cfg = Load(R"(
server: {listen: 0.0.0.0:9090, stateDir: ../var/state, workers: 8, logLevel: debug}
auth:
  anonymous: none
  users: [{name: alice, role: admin, tokenFile: tokens/alice}]
webhooks: {secretFile: webhook-secret, allowUnsigned: false}
clusters: [{name: dev, kubeconfig: kubeconfig, context: dev, qps: 200, burst: 400}, {name: prod}]
repositories:
  - {url: https://git.example.com/org/env.git, pollInterval: 2m, username: u,
     passwordFile: repo-pass, knownHostsFile: known_hosts}
apps:
  - {name: shop-dev, repo: https://git.example.com/org/env.git, path: overlays/dev,
     revision: main, cluster: dev, namespace: shop-dev, autoSync: true, prune: true,
     selfHeal: true, autoRollback: true, healthTimeout: 90s, maxPrune: 5,
     ignoreDifferences: [{group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}]}
  - {name: shop-prod, repo: 'git@git.example.com:Org/env', path: overlays/prod/, cluster: prod}
)");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  const std::string etc = tmp_.path() + "/etc";
  EXPECT_EQ(cfg->server.listen, "0.0.0.0:9090");
  EXPECT_EQ(cfg->server.state_dir, tmp_.path() + "/var/state");
  EXPECT_EQ(cfg->server.cache_dir, tmp_.path() + "/var/state/git");
  EXPECT_EQ(cfg->server.workers, 8);
  EXPECT_EQ(cfg->server.log_level, "debug");
  EXPECT_EQ(cfg->auth.anonymous, "none");
  ASSERT_EQ(cfg->auth.users.size(), 1u);
  EXPECT_EQ(cfg->auth.users[0].role, "admin");
  EXPECT_EQ(cfg->auth.users[0].token_file, etc + "/tokens/alice");
  EXPECT_EQ(cfg->auth.users[0].token, "alice-token");
  EXPECT_EQ(cfg->webhooks.secret, "hook");
  EXPECT_EQ(cfg->clusters[0].kubeconfig, etc + "/kubeconfig");
  EXPECT_TRUE(cfg->clusters[1].in_cluster());
  EXPECT_EQ(cfg->clusters[0].qps, 200);
  EXPECT_EQ(cfg->clusters[0].burst, 400);
  EXPECT_EQ(cfg->clusters[1].qps, 50);
  EXPECT_EQ(cfg->clusters[1].burst, 100);
  EXPECT_EQ(cfg->repositories[0].poll_interval, 2min);
  EXPECT_EQ(cfg->repositories[0].password, "pw");
  auto options = cfg->repositories[0].ToRepoOptions("/cache");
  EXPECT_EQ(options.credentials.username, "u");
  EXPECT_EQ(options.credentials.password, "pw");
  EXPECT_EQ(options.credentials.known_hosts_file, etc + "/known_hosts");
  const AppConfig& dev = cfg->apps[0];
  EXPECT_TRUE(dev.auto_sync && dev.prune && dev.self_heal && dev.auto_rollback);
  EXPECT_EQ(dev.health_timeout, 90s);
  EXPECT_EQ(dev.max_prune, 5);
  ASSERT_EQ(dev.ignore_differences.size(), 1u);
  EXPECT_EQ(dev.ignore_differences[0]["kind"], "Deployment");
  const AppConfig& prod = cfg->apps[1];
  EXPECT_EQ(prod.path, "overlays/prod");
  EXPECT_EQ(prod.revision, "HEAD");
  EXPECT_FALSE(prod.auto_sync);
  EXPECT_EQ(cfg->RepositoryOf(prod), &cfg->repositories[0]);  // another spelling of the URL
  EXPECT_EQ(cfg->ClusterOf(prod)->name, "prod");
  EXPECT_EQ(cfg->FindApp("shop-dev"), &cfg->apps[0]);
  EXPECT_EQ(cfg->FindApp("nope"), nullptr);
}

TEST_F(ConfigTest, DefaultsApplyToAnAlmostEmptyConfig) {
  auto cfg = Load(minimal_ + "apps: [{name: a, repo: 'https://git.example.com/org/env'}]\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->server.listen, defaults::kListen);
  EXPECT_EQ(cfg->server.state_dir, tmp_.path() + "/etc/state");
  EXPECT_EQ(cfg->auth.anonymous, "viewer");
  EXPECT_FALSE(cfg->webhooks.allow_unsigned);
  EXPECT_EQ(cfg->repositories[0].poll_interval, defaults::kPollInterval);
  const AppConfig& a = cfg->apps[0];
  EXPECT_EQ(a.cluster, "dev");  // the only cluster
  EXPECT_EQ(a.path, ".");
  EXPECT_EQ(a.revision, "HEAD");
  EXPECT_EQ(a.health_timeout, defaults::kHealthTimeout);
  EXPECT_EQ(a.max_prune, defaults::kMaxPrune);
  EXPECT_FALSE(a.auto_sync || a.prune || a.self_heal || a.auto_rollback);
}

TEST_F(ConfigTest, UnknownKeyIsNamedWithItsLineAndTheClosestKnownKey) {
  std::string msg = ErrorOf(minimal_ +
                            "apps:\n"
                            "  - name: a\n"
                            "    repo: https://git.example.com/org/env.git\n"
                            "    autosync: true\n");
  EXPECT_NE(msg.find("gitopsd.yaml: line 6: apps[0]: unknown key \"autosync\" (did you mean "
                     "\"autoSync\"?)"),
            std::string::npos)
      << msg;
}

TEST_F(ConfigTest, UnknownTopLevelKeySuggestsTheSection) {
  std::string msg = ErrorOf("repositores: []\n");
  EXPECT_NE(msg.find("line 1: unknown key \"repositores\" (did you mean \"repositories\"?)"),
            std::string::npos)
      << msg;
  std::string far = ErrorOf("zzzzzzzz: 1\n");
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
}

TEST_F(ConfigTest, AppsMustReferenceConfiguredReposAndClusters) {
  std::string msg = ErrorOf(
      "clusters: [{name: dev}, {name: prod}]\n"
      "repositories: [{url: 'https://git.example.com/org/env.git'}]\n"
      "apps:\n"
      "  - {name: a, repo: 'https://git.example.com/org/other.git', cluster: dev}\n"
      "  - {name: b, repo: 'https://git.example.com/org/env.git', cluster: staging}\n"
      "  - {name: c, repo: 'https://git.example.com/org/env.git'}\n");
  EXPECT_NE(msg.find("line 4: apps[0]: repo \"https://git.example.com/org/other.git\" is not in "
                     "repositories"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("line 5: apps[1]: cluster \"staging\" is not in clusters"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("apps[2]: app \"c\" needs a cluster"), std::string::npos) << msg;
}

TEST_F(ConfigTest, DuplicateNamesAndRepositoriesAreRejected) {
  std::string msg = ErrorOf(
      "clusters: [{name: dev}, {name: dev}]\n"
      "repositories: [{url: 'https://github.com/org/env.git'}, {url: 'git@github.com:org/env'}]\n"
      "apps:\n"
      "  - {name: a, repo: 'https://github.com/org/env', cluster: dev}\n"
      "  - {name: a, repo: 'https://github.com/org/env', cluster: dev}\n");
  EXPECT_NE(msg.find("duplicate cluster \"dev\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("repository \"git@github.com:org/env\" is configured twice"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("duplicate app \"a\""), std::string::npos) << msg;
}

TEST_F(ConfigTest, EveryProblemIsReportedOnItsOwnLine) {
  std::string msg = ErrorOf(
      "server: {listen: nowhere, workers: 0, logLevel: loud}\n"
      "auth: {anonymous: admin, users: [{name: bob, role: root}]}\n"
      "clusters: [{name: c, qps: -1, burst: 0}]\n");
  EXPECT_NE(msg.find("server: listen must be host:port"), std::string::npos) << msg;
  EXPECT_NE(msg.find("workers must be an integer from 1 to 256"), std::string::npos) << msg;
  EXPECT_NE(msg.find("logLevel must be one of debug, info, warn, error"), std::string::npos) << msg;
  EXPECT_NE(msg.find("anonymous must be one of none, viewer"), std::string::npos) << msg;
  EXPECT_NE(msg.find("auth.users[0]: role must be one of viewer, operator, admin"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("user \"bob\" needs a tokenFile or a passwordFile"), std::string::npos) << msg;
  EXPECT_NE(msg.find("qps must be an integer from 0 to 100000"), std::string::npos) << msg;
  EXPECT_NE(msg.find("burst must be an integer from 1 to 100000"), std::string::npos) << msg;
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 7) << msg;
}

TEST_F(ConfigTest, MissingAndEmptyFilesAreNamed) {
  Write("etc/empty-token", "\n");
  std::string msg = ErrorOf(
      "auth: {users: [{name: a, role: viewer, tokenFile: empty-token},"
      " {name: b, role: viewer, tokenFile: tokens/b}]}\n"
      "clusters: [{name: dev, kubeconfig: /no/such/kubeconfig}]\n");
  EXPECT_NE(msg.find("tokenFile: file \"" + tmp_.path() + "/etc/empty-token\" is empty"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("tokenFile: file \"" + tmp_.path() + "/etc/tokens/b\" does not exist"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("kubeconfig: file \"/no/such/kubeconfig\" does not exist"),
            std::string::npos)
      << msg;
}

TEST_F(ConfigTest, BadValuesAreRejected) {
  std::string msg = ErrorOf(
      minimal_ +
      "apps:\n"
      "  - {name: 'bad name', repo: 'https://git.example.com/org/env', path: ../outside,"
      " healthTimeout: 300, autoSync: yes-please, maxPrune: -1,"
      " ignoreDifferences: [{jsonPointers: [spec]}]}\n");
  EXPECT_NE(msg.find("app name \"bad name\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("path \"../outside\" must stay inside the repository"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("healthTimeout: bad duration \"300\": a unit is required"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("autoSync must be true or false"), std::string::npos) << msg;
  EXPECT_NE(msg.find("maxPrune must be an integer"), std::string::npos) << msg;
  EXPECT_NE(msg.find("apps[0].ignoreDifferences[0]: an ignoreDifferences rule needs a kind"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("json pointer \"spec\" must start with '/'"), std::string::npos) << msg;
}

TEST_F(ConfigTest, YamlSyntaxErrorsNameTheFileAndLine) {
  auto cfg = Load("apps:\n  - name: [unclosed\n");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("gitopsd.yaml"), std::string::npos)
      << cfg.status().message();
  EXPECT_NE(cfg.status().message().find("line"), std::string::npos) << cfg.status().message();
}

TEST_F(ConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadConfig(tmp_.path() + "/none.yaml").status().code(), Code::kNotFound);
}

TEST_F(ConfigTest, TheShippedExampleIsValid) {
  std::string example = std::string(GITOPSD_SOURCE_DIR) + "/deploy/gitopsd.example.yaml";
  std::ifstream in(example);
  ASSERT_TRUE(in) << example;
  std::stringstream s;
  s << in.rdbuf();
  // The secret files it references, as an operator would create them.
  for (const char* f : {"tokens/alice", "tokens/bob", "tokens/carol", "webhook-secret",
                        "secrets/git-password", "kubeconfig", "secrets/deploy-key",
                        "secrets/known_hosts", "secrets/ca.crt", "secrets/gitlab-webhook"}) {
    Write(std::string("etc/") + f, "x\n");
  }
  auto cfg = Load(s.str());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_GE(cfg->apps.size(), 2u);
}

TEST(DurationTest, ParsesGoStyleDurations) {
  EXPECT_EQ(*ParseDuration("30s"), 30s);
  EXPECT_EQ(*ParseDuration("2m"), 2min);
  EXPECT_EQ(*ParseDuration("1h30m"), 90min);
  EXPECT_EQ(*ParseDuration("500ms"), 500ms);
  EXPECT_EQ(*ParseDuration("1.5h"), 90min);
  EXPECT_EQ(*ParseDuration("0s"), 0s);
  for (const char* bad : {"", "5", "5x", "m", "1..5s", "-1s", "2 m"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(DurationTest, FormatsCompactly) {
  EXPECT_EQ(FormatDuration(90s), "1m30s");
  EXPECT_EQ(FormatDuration(0s), "0s");
  EXPECT_EQ(FormatDuration(3h), "3h");
  EXPECT_EQ(FormatDuration(1500ms), "1s500ms");
}

TEST(EditDistanceTest, CaseInsensitiveLevenshtein) {
  EXPECT_EQ(EditDistance("autosync", "autoSync"), 0u);
  EXPECT_EQ(EditDistance("prun", "prune"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

}  // namespace
}  // namespace gitopsd::app
