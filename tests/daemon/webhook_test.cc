#include "daemon/server/webhook.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gitopsd::server {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(GITOPSD_TESTDATA_DIR) + "/webhooks/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name;
  return ss.str();
}

TEST(WebhookTest, HmacMatchesKnownVector) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookTest, DetectsProvidersByTheirEventHeaders) {
  EXPECT_EQ(*DetectProvider({{"x-github-event", "push"}}), Provider::kGitHub);
  EXPECT_EQ(*DetectProvider({{"x-gitlab-event", "Push Hook"}}), Provider::kGitLab);
  // Gitea sends GitHub and Gogs headers too; the specific one wins.
  EXPECT_EQ(*DetectProvider({{"x-github-event", "push"}, {"x-gogs-event", "push"},
                             {"x-gitea-event", "push"}}),
            Provider::kGitea);
  EXPECT_EQ(*DetectProvider({{"x-gogs-event", "push"}}), Provider::kGogs);
  EXPECT_EQ(*DetectProvider({{"x-event-key", "repo:refs_changed"}}), Provider::kBitbucketServer);
  EXPECT_EQ(DetectProvider({{"content-type", "application/json"}}).status().code(),
            Code::kInvalidArgument);
}

TEST(WebhookTest, GitHubSignatureIsRequiredAndChecked) {
  std::string body = Fixture("github_push.json");
  std::string good = "sha256=" + HmacSha256Hex("s3cret", body);
  EXPECT_TRUE(VerifySignature(Provider::kGitHub, {{"x-hub-signature-256", good}}, body, "s3cret").ok());
  // Upper-case hex is the same signature.
  std::string upper = good;
  for (auto& c : upper) c = static_cast<char>(toupper(c));
  upper.replace(0, 7, "sha256=");
  EXPECT_TRUE(VerifySignature(Provider::kGitHub, {{"x-hub-signature-256", upper}}, body, "s3cret").ok());
  EXPECT_EQ(VerifySignature(Provider::kGitHub, {}, body, "s3cret").code(), Code::kUnauthenticated);
  EXPECT_EQ(VerifySignature(Provider::kGitHub, {{"x-hub-signature-256", good}}, body + " ", "s3cret").code(),
            Code::kUnauthenticated);
  EXPECT_EQ(VerifySignature(Provider::kGitHub, {{"x-hub-signature-256", good}}, body, "other").code(),
            Code::kUnauthenticated);
  // No SHA-1 fallback.
  EXPECT_EQ(VerifySignature(Provider::kGitHub, {{"x-hub-signature", good}}, body, "s3cret").code(),
            Code::kUnauthenticated);
  // An empty secret never verifies.
  EXPECT_EQ(VerifySignature(Provider::kGitHub, {{"x-hub-signature-256", good}}, body, "").code(),
            Code::kUnauthenticated);
}

TEST(WebhookTest, GitLabTokenGiteaGogsAndBitbucketSignatures) {
  EXPECT_TRUE(VerifySignature(Provider::kGitLab, {{"x-gitlab-token", "tok"}}, "{}", "tok").ok());
  EXPECT_FALSE(VerifySignature(Provider::kGitLab, {{"x-gitlab-token", "tok2"}}, "{}", "tok").ok());
  EXPECT_FALSE(VerifySignature(Provider::kGitLab, {}, "{}", "tok").ok());
  std::string mac = HmacSha256Hex("k", "body");
  EXPECT_TRUE(VerifySignature(Provider::kGitea, {{"x-gitea-signature", mac}}, "body", "k").ok());
  EXPECT_TRUE(VerifySignature(Provider::kGogs, {{"x-gogs-signature", mac}}, "body", "k").ok());
  EXPECT_FALSE(VerifySignature(Provider::kGogs, {{"x-gogs-signature", "sha256=" + mac}}, "body", "k").ok());
  EXPECT_TRUE(VerifySignature(Provider::kBitbucketServer, {{"x-hub-signature", "sha256=" + mac}},
                              "body", "k").ok());
}

TEST(WebhookTest, ParsesGitHubPushWithChangedFiles) {
  auto ev = ParseEvent(Provider::kGitHub, {{"x-github-event", "push"}, {"x-github-delivery", "d-1"}},
                       Fixture("github_push.json"));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  ASSERT_TRUE(ev->has_value());
  const PushEvent& p = **ev;
  EXPECT_EQ(p.event, "push");
  EXPECT_EQ(p.delivery_id, "d-1");
  EXPECT_EQ(p.revision, "main");
  EXPECT_FALSE(p.is_tag);
  EXPECT_EQ(p.after, "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5");
  EXPECT_EQ(p.repo_urls.front(), "https://github.com/acme/env.git");
  EXPECT_TRUE(p.has_file_list);
  EXPECT_EQ(p.changed_files, (std::vector<std::string>{"base/config/app.env", "base/old.yaml",
                                                       "overlays/dev/kustomization.yaml"}));
}

TEST(WebhookTest, IgnoresGitHubPingAndBranchDeletion) {
  auto ping = ParseEvent(Provider::kGitHub, {{"x-github-event", "ping"}}, "{}");
  ASSERT_TRUE(ping.ok());
  EXPECT_FALSE(ping->has_value());
  auto del = ParseEvent(Provider::kGitHub, {{"x-github-event", "push"}},
                        R"({"ref":"refs/heads/x","after":"0000000000000000000000000000000000000000"})");
  ASSERT_TRUE(del.ok());
  EXPECT_FALSE(del->has_value());
  EXPECT_EQ(ParseEvent(Provider::kGitHub, {{"x-github-event", "push"}}, "not json").status().code(),
            Code::kInvalidArgument);
}

TEST(WebhookTest, ParsesGitLabPushAndMergedMergeRequest) {
  auto push = ParseEvent(Provider::kGitLab, {{"x-gitlab-event", "Push Hook"}}, Fixture("gitlab_push.json"));
  ASSERT_TRUE(push.ok() && push->has_value());
  EXPECT_EQ((*push)->revision, "main");
  EXPECT_EQ((*push)->changed_files, (std::vector<std::string>{"overlays/prod/replicas.yaml"}));
  EXPECT_EQ((*push)->repo_urls.front(), "https://gitlab.example.com/platform/env.git");

  auto mr = ParseEvent(Provider::kGitLab, {{"x-gitlab-event", "Merge Request Hook"}},
                       Fixture("gitlab_mr_merged.json"));
  ASSERT_TRUE(mr.ok() && mr->has_value());
  EXPECT_EQ((*mr)->event, "merge_request_merged");
  EXPECT_EQ((*mr)->revision, "main");
  EXPECT_FALSE((*mr)->has_file_list);
  EXPECT_EQ((*mr)->after, "f1e2d3c4b5a6978812345678901234567890abcd");

  auto opened = ParseEvent(Provider::kGitLab, {{"x-gitlab-event", "Merge Request Hook"}},
                           Fixture("gitlab_mr_opened.json"));
  ASSERT_TRUE(opened.ok());
  EXPECT_FALSE(opened->has_value());
}

TEST(WebhookTest, ParsesGiteaTagPushWithoutFileList) {
  auto ev = ParseEvent(Provider::kGitea, {{"x-gitea-event", "push"}}, Fixture("gitea_push.json"));
  ASSERT_TRUE(ev.ok() && ev->has_value());
  EXPECT_TRUE((*ev)->is_tag);
  EXPECT_EQ((*ev)->event, "tag_push");
  EXPECT_EQ((*ev)->revision, "v1.2.0");
  EXPECT_FALSE((*ev)->has_file_list);  // empty commit list: unknown files
}

TEST(WebhookTest, ParsesBitbucketServerRefsChanged) {
  auto ev = ParseEvent(Provider::kBitbucketServer, {{"x-event-key", "repo:refs_changed"}},
                       Fixture("bitbucket_server_refs_changed.json"));
  ASSERT_TRUE(ev.ok() && ev->has_value());
  EXPECT_EQ((*ev)->revision, "release");
  EXPECT_EQ((*ev)->after, "178864a7d521b6f5e720b386b2c2b0ef8563e0dc");
  EXPECT_EQ((*ev)->repo_urls.size(), 2u);
  EXPECT_EQ((*ev)->repo_urls[1], "https://bitbucket.example.com/scm/ops/env.git");
}

}  // namespace
}  // namespace gitopsd::server
