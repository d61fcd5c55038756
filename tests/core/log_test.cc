#include "core/log.h"

#include <gtest/gtest.h>

#include "core/object.h"

namespace gitopsd::log {
namespace {

TEST(LogTest, JsonLinesCarryLevelComponentAndFields) {
  std::string line = FormatLine(Format::kJson, Level::kWarn, "2026-01-01T00:00:00.000Z", "sync",
                                "apply failed", {{"app", "shop-dev"}, {"revision", "abc\"1"}});
  Object o = Object::parse(line);
  EXPECT_EQ(o["level"], "warn");
  EXPECT_EQ(o["component"], "sync");
  EXPECT_EQ(o["msg"], "apply failed");
  EXPECT_EQ(o["app"], "shop-dev");
  EXPECT_EQ(o["revision"], "abc\"1");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogTest, TextLinesQuoteValuesWithSpaces) {
  std::string line = FormatLine(Format::kText, Level::kInfo, "T", "git", "fetched",
                                {{"repo", "file:///x"}, {"msg2", "two words"}});
  EXPECT_EQ(line, "T INFO git: fetched repo=file:///x msg2=\"two words\"");
}

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(*ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(*ParseLevel("warning"), Level::kWarn);
  EXPECT_FALSE(ParseLevel("loud").ok());
}

}  // namespace
}  // namespace gitopsd::log
