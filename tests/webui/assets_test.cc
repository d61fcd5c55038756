#include "webui/assets.h"

#include <gtest/gtest.h>

#include <string>

namespace gitopsd::webui {
namespace {

TEST(AssetsTest, IndexReferencesHashedAssetsThatExist) {
  const Asset* index = FindAsset("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index, FindAsset("/index.html"));
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  std::string html(index->body);
  std::string prefix(kAssetPrefix);
  EXPECT_EQ(html.find("{{ASSETS}}"), std::string::npos);
  EXPECT_NE(html.find(prefix + "/app.js"), std::string::npos);
  const Asset* js = FindAsset(prefix + "/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(FindAsset(prefix + "/views/overview.js"), nullptr);
  EXPECT_NE(FindAsset(prefix + "/style.css"), nullptr);
}

TEST(AssetsTest, UnknownPathsAndOldHashesAreNotFound) {
  EXPECT_EQ(FindAsset("/assets/000000000000/app.js"), nullptr);
  EXPECT_EQ(FindAsset(std::string(kAssetPrefix) + "/nope.js"), nullptr);
  EXPECT_EQ(FindAsset(std::string(kAssetPrefix) + "/../app.js"), nullptr);
  EXPECT_EQ(FindAsset("/api/v1/apps"), nullptr);
}

TEST(AssetsTest, NoInlineScriptSoTheContentSecurityPolicyHolds) {
  std::string html(FindAsset("/")->body);
  size_t pos = 0;
  while ((pos = html.find("<script", pos)) != std::string::npos) {
    size_t end = html.find('>', pos);
    std::string tag = html.substr(pos, end - pos);
    EXPECT_NE(tag.find("src="), std::string::npos) << tag;
    EXPECT_EQ(html.compare(end + 1, 9, "</script>"), 0) << "inline script body";
    pos = end;
  }
  EXPECT_EQ(html.find(" on"), std::string::npos) << "inline event handler attribute";
  EXPECT_EQ(html.find("style="), std::string::npos);
}

}  // namespace
}  // namespace gitopsd::webui
