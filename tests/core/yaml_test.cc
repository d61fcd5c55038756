#include "core/yaml.h"

#include <gtest/gtest.h>

namespace gitopsd {
namespace {

Object Parse(std::string_view text) {
  auto r = ParseYaml(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Object();
}

TEST(YamlReadTest, ParsesNestedMapping) {
  Object o = Parse("a:\n  b: [1, two]\n");
  EXPECT_EQ(o["a"]["b"][0], 1);
  EXPECT_EQ(o["a"]["b"][1], "two");
}

}  // namespace
}  // namespace gitopsd
