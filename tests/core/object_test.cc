#include "core/object.h"

#include <gtest/gtest.h>

namespace gitopsd {
namespace {

TEST(ObjectTest, FindPathWalksMappingsOnly) {
  Object o = Object::parse(R"({"metadata":{"name":"n","labels":{"a":"b"}},"list":[1]})");
  ASSERT_NE(FindPath(o, "metadata.labels.a"), nullptr);
  EXPECT_EQ(GetString(o, "metadata.labels.a"), "b");
  EXPECT_EQ(FindPath(o, "metadata.missing"), nullptr);
  EXPECT_EQ(FindPath(o, "list.0"), nullptr);
  EXPECT_EQ(GetString(o, "list"), "");
  EXPECT_EQ(NameOf(o), "n");
}

TEST(ObjectTest, CanonicalJsonIgnoresKeyOrderButNotListOrder) {
  Object a = Object::parse(R"({"b":1,"a":{"y":[1,2],"x":"s"}})");
  Object b = Object::parse(R"({"a":{"x":"s","y":[1,2]},"b":1})");
  Object c = Object::parse(R"({"a":{"x":"s","y":[2,1]},"b":1})");
  EXPECT_EQ(CanonicalJson(a), R"({"a":{"x":"s","y":[1,2]},"b":1})");
  EXPECT_EQ(CanonicalJson(a), CanonicalJson(b));
  EXPECT_NE(CanonicalJson(a), CanonicalJson(c));
}

}  // namespace
}  // namespace gitopsd
