// Kubeconfig loading: token, client-certificate and exec-plugin users,
// merging of $KUBECONFIG files, contexts, namespaces, in-cluster config.
#include "daemon/kube/kubeconfig.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "daemon/kube/exec_credential.h"

namespace gitopsd::kube {
namespace {

namespace fs = std::filesystem;

KubeconfigOptions FromFile(const std::string& path, const std::string& context = "",
                           const std::string& ns = "") {
  KubeconfigOptions o;
  o.explicit_path = path;
  o.context = context;
  o.namespace_override = ns;
  return o;
}

KubeconfigOptions FromEnv(const std::string& env, const std::string& home,
                          const std::string& context = "", bool in_cluster = true) {
  KubeconfigOptions o;
  o.kubeconfig_env = env;
  o.home = home;
  o.context = context;
  o.allow_in_cluster = in_cluster;
  return o;
}

InClusterOptions Pod(const std::string& host, const std::string& dir) {
  InClusterOptions o;
  o.service_host = host;
  o.service_port = "443";
  o.account_dir = dir;
  return o;
}

class KubeconfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kubeconfig_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content, bool exec = false) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
    if (exec) ::chmod(p.c_str(), 0755);
    return p.string();
  }

  fs::path dir_;
};

constexpr char kTokenConfig[] = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority: certs/ca.crt
    tls-server-name: api.internal
contexts:
- name: dev
  context: {cluster: c1, user: alice, namespace: shop}
- name: other
  context: {cluster: c1, user: alice}
users:
- name: alice
  user:
    token: s3cr3t
)";

TEST_F(KubeconfigTest, TokenUserWithRelativeCaFile) {
  Write("certs/ca.crt", "CA PEM");
  std::string path = Write("config", kTokenConfig);
  auto rc = LoadRestConfig(FromFile(path));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->server, "https://10.0.0.1:6443");
  EXPECT_EQ(rc->context_name, "dev");
  EXPECT_EQ(rc->namespace_, "shop");
  EXPECT_EQ(rc->tls.ca_pem, "CA PEM");
  EXPECT_EQ(rc->tls.server_name, "api.internal");
  EXPECT_EQ(rc->bearer_token, "s3cr3t");
  EXPECT_FALSE(rc->exec.has_value());
}

TEST_F(KubeconfigTest, ContextAndNamespaceOverrides) {
  Write("certs/ca.crt", "CA PEM");
  std::string path = Write("config", kTokenConfig);
  auto rc = LoadRestConfig(FromFile(path, "other"));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->context_name, "other");
  EXPECT_EQ(rc->namespace_, "default");
  auto rc2 = LoadRestConfig(FromFile(path, "", "ops"));
  EXPECT_EQ(rc2->namespace_, "ops");
  auto missing = LoadRestConfig(FromFile(path, "nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("context \"nope\" does not exist"), std::string::npos);
}

TEST_F(KubeconfigTest, ExplicitFileMustExist) {
  auto rc = LoadRestConfig(FromFile((dir_ / "absent").string()));
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.status().code(), Code::kNotFound);
}

TEST_F(KubeconfigTest, ClientCertificateDataUser) {
  std::string path = Write("config", R"(apiVersion: v1
kind: Config
current-context: x
clusters:
- name: c
  cluster:
    server: https://k:443
    certificate-authority-data: Q0EgUEVN
    insecure-skip-tls-verify: false
users:
- name: u
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
contexts:
- name: x
  context: {cluster: c, user: u}
)");
  auto rc = LoadRestConfig(FromFile(path));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->tls.ca_pem, "CA PEM");
  EXPECT_EQ(rc->tls.client_cert_pem, "CERT");
  EXPECT_EQ(rc->tls.client_key_pem, "KEY");
  EXPECT_TRUE(rc->bearer_token.empty());
}

TEST_F(KubeconfigTest, ClientCertificateFilesAreResolvedAgainstTheirKubeconfig) {
  Write("sub/u.crt", "CERTFILE");
  Write("sub/u.key", "KEYFILE");
  std::string path = Write("sub/config", R"(clusters:
- name: c
  cluster: {server: "https://k"}
users:
- name: u
  user: {client-certificate: u.crt, client-key: u.key}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
)");
  auto rc = LoadRestConfig(FromFile(path));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->tls.client_cert_pem, "CERTFILE");
  EXPECT_EQ(rc->tls.client_key_pem, "KEYFILE");
}

TEST_F(KubeconfigTest, CertificateWithoutKeyIsRefused) {
  std::string path = Write("config", R"(clusters: [{name: c, cluster: {server: "https://k"}}]
users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  auto rc = LoadRestConfig(FromFile(path));
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.status().code(), Code::kInvalidArgument);
  EXPECT_NE(rc.status().message().find("user \"u\""), std::string::npos);
}

TEST_F(KubeconfigTest, ProxyUrlIsRefusedClearly) {
  std::string path = Write("config", R"(clusters: [{name: c, cluster: {server: "https://k", proxy-url: "http://proxy:3128"}}]
contexts: [{name: x, context: {cluster: c}}]
current-context: x
)");
  auto rc = LoadRestConfig(FromFile(path));
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.status().code(), Code::kUnimplemented);
  EXPECT_NE(rc.status().message().find("proxy-url"), std::string::npos);
}

TEST_F(KubeconfigTest, KubeconfigEnvMergesFilesFirstDefinitionWins) {
  std::string a = Write("a.yaml", R"(current-context: from-a
clusters: [{name: shared, cluster: {server: "https://a"}}]
users: [{name: u, user: {token: token-a}}]
contexts: [{name: from-a, context: {cluster: shared, user: u}}]
)");
  std::string b = Write("b.yaml", R"(current-context: from-b
clusters:
- {name: shared, cluster: {server: "https://b"}}
- {name: only-b, cluster: {server: "https://only-b"}}
users: [{name: u, user: {token: token-b}}]
contexts:
- {name: from-a, context: {cluster: only-b, user: u}}
- {name: from-b, context: {cluster: only-b, user: u, namespace: nb}}
)");
  std::string env = a + ":" + (dir_ / "missing.yaml").string() + ":" + b;
  auto rc = LoadRestConfig(FromEnv(env, ""));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->context_name, "from-a");  // a's current-context wins
  EXPECT_EQ(rc->server, "https://a");     // a's context and cluster win
  EXPECT_EQ(rc->bearer_token, "token-a");
  auto rb = LoadRestConfig(FromEnv(env, "", "from-b"));
  ASSERT_TRUE(rb.ok()) << rb.status().ToString();
  EXPECT_EQ(rb->server, "https://only-b");  // defined only in b
  EXPECT_EQ(rb->namespace_, "nb");
  EXPECT_EQ(rb->bearer_token, "token-a");   // user "u" from a
}

TEST_F(KubeconfigTest, HomeConfigIsTheFallback) {
  Write(".kube/config", R"(clusters: [{name: c, cluster: {server: "https://home"}}]
contexts: [{name: x, context: {cluster: c}}]
current-context: x
)");
  auto rc = LoadRestConfig(FromEnv("", dir_.string(), "", false));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->server, "https://home");
  auto none = LoadRestConfig(FromEnv("", (dir_ / "nohome").string(), "", false));
  EXPECT_EQ(none.status().code(), Code::kFailedPrecondition);
}

TEST_F(KubeconfigTest, InClusterConfigReadsTheServiceAccount) {
  Write("sa/token", "sa-token\n");
  Write("sa/ca.crt", "SA CA");
  Write("sa/namespace", "apps\n");
  auto rc = InClusterConfig(Pod("10.96.0.1", (dir_ / "sa").string()));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->server, "https://10.96.0.1:443");
  EXPECT_EQ(rc->tls.ca_pem, "SA CA");
  EXPECT_EQ(rc->token_file, (dir_ / "sa/token").string());
  EXPECT_EQ(rc->namespace_, "apps");
  auto v6 = InClusterConfig(Pod("fd00::1", (dir_ / "sa").string()));
  EXPECT_EQ(v6->server, "https://[fd00::1]:443");
  auto missing = InClusterConfig(Pod("10.96.0.1", (dir_ / "none").string()));
  EXPECT_FALSE(missing.ok());
}

TEST(Base64Test, DecodesStandardAlphabetWithPaddingAndNewlines) {
  EXPECT_EQ(*Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(*Base64Decode("aGVs\nbG8h"), "hello!");
  EXPECT_EQ(*Base64Decode(""), "");
  EXPECT_FALSE(Base64Decode("a$==").ok());
  EXPECT_FALSE(Base64Decode("aGVsbG8=x").ok());
}

// --- exec credential plugins -------------------------------------------

constexpr char kPluginScript[] = R"(#!/bin/sh
# Counts its runs in $COUNT_FILE and answers an ExecCredential.
n=$(cat "$COUNT_FILE" 2>/dev/null || echo 0)
n=$((n+1))
echo $n > "$COUNT_FILE"
case "$KUBERNETES_EXEC_INFO" in *'"interactive":false'*) ;; *) echo "no exec info" >&2; exit 3;; esac
cat <<JSON
{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
 "status":{"token":"$1-$n","expirationTimestamp":"$EXPIRY"}}
JSON
)";

TEST_F(KubeconfigTest, ExecPluginUserIsParsedWithItsEnvAndArgs) {
  std::string path = Write("config", R"(clusters: [{name: c, cluster: {server: "https://k"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [tok]
      env: [{name: EXPIRY, value: "2999-01-01T00:00:00Z"}]
      provideClusterInfo: true
      interactiveMode: Never
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  auto rc = LoadRestConfig(FromFile(path));
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  ASSERT_TRUE(rc->exec.has_value());
  EXPECT_EQ(rc->exec->command, (dir_ / "bin/plugin").string());
  EXPECT_EQ(rc->exec->args, std::vector<std::string>{"tok"});
  ASSERT_EQ(rc->exec->env.size(), 1u);
  EXPECT_TRUE(rc->exec->provide_cluster_info);
  EXPECT_EQ(GetString(rc->exec->cluster_info, "server"), "https://k");
}

TEST_F(KubeconfigTest, ExecPluginTokenIsCachedUntilExpiry) {
  ExecConfig ec;
  ec.api_version = "client.authentication.k8s.io/v1";
  ec.command = Write("plugin.sh", kPluginScript, true);
  ec.args = {"tok"};
  ec.env = {{"COUNT_FILE", (dir_ / "count").string()}, {"EXPIRY", "2999-01-01T00:00:00Z"}};
  ExecCredentialProvider provider(ec);
  auto first = provider.Get();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->token, "tok-1");
  auto second = provider.Get();
  EXPECT_EQ(second->token, "tok-1");
  EXPECT_EQ(provider.runs(), 1);
  provider.Invalidate();
  EXPECT_EQ(provider.Get()->token, "tok-2");
}

TEST_F(KubeconfigTest, ExpiredExecCredentialIsRefreshed) {
  ExecConfig ec;
  ec.api_version = "client.authentication.k8s.io/v1";
  ec.command = Write("plugin.sh", kPluginScript, true);
  ec.args = {"tok"};
  ec.env = {{"COUNT_FILE", (dir_ / "count").string()}, {"EXPIRY", "2000-01-01T00:00:00Z"}};
  ExecCredentialProvider provider(ec);
  EXPECT_EQ(provider.Get()->token, "tok-1");
  EXPECT_EQ(provider.Get()->token, "tok-2");
  EXPECT_EQ(provider.runs(), 2);
}

TEST_F(KubeconfigTest, ExecPluginFailuresAreUnauthenticatedWithTheHint) {
  ExecConfig ec;
  ec.api_version = "client.authentication.k8s.io/v1";
  ec.command = (dir_ / "does-not-exist").string();
  ec.install_hint = "install it with apt";
  auto r = RunExecPlugin(ec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  EXPECT_NE(r.status().message().find("install it with apt"), std::string::npos);

  ec.command = Write("fail.sh", "#!/bin/sh\nexit 7\n", true);
  r = RunExecPlugin(ec);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("status 7"), std::string::npos);
}

TEST(ExecCredentialTest, ParsesTokenCertificateAndExpiry) {
  auto c = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
          "status":{"clientCertificateData":"CERT","clientKeyData":"KEY",
                    "expirationTimestamp":"2030-01-02T03:04:05.123+01:00"}})",
      "client.authentication.k8s.io/v1");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->client_cert_pem, "CERT");
  EXPECT_EQ(c->client_key_pem, "KEY");
  ASSERT_TRUE(c->expiry.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*c->expiry), 1893549845);  // 02:04:05Z
}

TEST(ExecCredentialTest, RejectsWrongVersionAndEmptyStatus) {
  EXPECT_FALSE(ParseExecCredential(
                   R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}})",
                   "client.authentication.k8s.io/v1")
                   .ok());
  EXPECT_FALSE(ParseExecCredential(
                   R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}})",
                   "client.authentication.k8s.io/v1")
                   .ok());
  EXPECT_FALSE(ParseExecCredential("garbage", "client.authentication.k8s.io/v1").ok());
}

}  // namespace
}  // namespace gitopsd::kube
