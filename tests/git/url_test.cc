// Repository URL parsing and normalisation (webhook matching).
#include <gtest/gtest.h>

#include "daemon/git/url.h"

namespace gitopsd::git {
namespace {

TEST(NormalizeRepoUrlTest, EverySpellingOfOneRepositoryIsEqual) {
  std::string want = "github.com/org/repo";
  for (const char* url : {"https://User@GitHub.com/Org/Repo.git", "git@github.com:org/repo",
                          "git@github.com:org/repo.git", "ssh://git@github.com/org/repo.git",
                          "ssh://git@github.com:22/org/repo", "https://github.com/org/repo/",
                          "http://github.com/org/repo", "https://u:p@github.com:443/org/repo.git",
                          "git://github.com/org/repo.git", "GITHUB.COM:Org/Repo.git"}) {
    EXPECT_EQ(NormalizeRepoUrl(url), want) << url;
  }
}

TEST(NormalizeRepoUrlTest, DifferentRepositoriesDiffer) {
  EXPECT_NE(NormalizeRepoUrl("https://github.com/org/repo"),
            NormalizeRepoUrl("https://github.com/org/repo2"));
  EXPECT_NE(NormalizeRepoUrl("https://github.com/org/repo"),
            NormalizeRepoUrl("https://gitlab.com/org/repo"));
  EXPECT_NE(NormalizeRepoUrl("https://github.com/org/repo"),
            NormalizeRepoUrl("https://github.com/other/repo"));
}

TEST(NormalizeRepoUrlTest, LocalRepositoriesNormalizeToTheirPath) {
  EXPECT_EQ(NormalizeRepoUrl("file:///srv/git/Env.git"), "/srv/git/env");
  EXPECT_EQ(NormalizeRepoUrl("/srv/git/env"), "/srv/git/env");
}

TEST(ParseRepoUrlTest, ParsesSchemeUrls) {
  auto u = ParseRepoUrl("https://alice:pw@git.example.com:8443/org/env.git");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->user, "alice");
  EXPECT_EQ(u->password, "pw");
  EXPECT_EQ(u->host, "git.example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "org/env.git");
  EXPECT_FALSE(u->scp_like);
}

TEST(ParseRepoUrlTest, ParsesScpLikeAndIpv6) {
  auto u = ParseRepoUrl("git@git.example.com:org/env.git");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "ssh");
  EXPECT_TRUE(u->scp_like);
  EXPECT_EQ(u->user, "git");
  EXPECT_EQ(u->host, "git.example.com");
  EXPECT_EQ(u->path, "org/env.git");
  auto v6 = ParseRepoUrl("ssh://git@[::1]:2222/env.git");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 2222);
}

TEST(ParseRepoUrlTest, RejectsWhatGitWouldNotFetch) {
  EXPECT_EQ(ParseRepoUrl("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseRepoUrl("ftp://host/repo").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseRepoUrl("https:///repo").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseRepoUrl("https://host:99999/repo").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseRepoUrl("relative/path").status().code(), Code::kInvalidArgument);
  auto bad = ParseRepoUrl("ftp://host/repo");
  EXPECT_NE(bad.status().message().find("ftp://host/repo"), std::string::npos);
}

TEST(RedactRepoUrlTest, HidesOnlyThePassword) {
  EXPECT_EQ(RedactRepoUrl("https://alice:s3cret@host/org/repo"), "https://alice:***@host/org/repo");
  EXPECT_EQ(RedactRepoUrl("https://alice@host/org/repo"), "https://alice@host/org/repo");
  EXPECT_EQ(RedactRepoUrl("git@host:org/repo"), "git@host:org/repo");
}

}  // namespace
}  // namespace gitopsd::git
