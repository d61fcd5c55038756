#include "core/status.h"

#include <gtest/gtest.h>

namespace gitopsd {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument(std::to_string(x) + " is odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(s.WithContext("ignored").ok());
}

TEST(StatusTest, ContextGrowsOneClausePerLayer) {
  Status s = NotFound("line 4: no such file")
                 .WithContext("base/kustomization.yaml")
                 .WithContext("accumulating resources");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "accumulating resources: base/kustomization.yaml: line 4: no such file");
  EXPECT_EQ(s.ToString(), "NotFound: " + s.message());
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "3 is odd");
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_EQ(CheckEven(3).code(), Code::kInvalidArgument);
}

TEST(ResultTest, WithContextOnlyTouchesErrors) {
  EXPECT_EQ(*Half(4).WithContext("x"), 2);
  EXPECT_EQ(Half(5).WithContext("halving").status().message(), "halving: 5 is odd");
}

}  // namespace
}  // namespace gitopsd
