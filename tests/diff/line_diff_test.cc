#include "diff/internal/line_diff.h"

#include <gtest/gtest.h>

namespace gitopsd::diff::internal {
namespace {

std::vector<std::string_view> L(std::initializer_list<std::string_view> l) { return l; }

// Applies an edit script to `a` and checks that it yields `b`.
void ExpectScriptTransforms(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  std::vector<Edit> edits = DiffLines(a, b);
  std::vector<std::string_view> out;
  for (const Edit& e : edits) {
    if (e.op == EditOp::kEqual) out.push_back(a[e.old_index]);
    if (e.op == EditOp::kInsert) out.push_back(b[e.new_index]);
  }
  EXPECT_EQ(out, b);
}

TEST(LineDiffTest, ScriptsTransformOldIntoNew) {
  ExpectScriptTransforms(L({}), L({}));
  ExpectScriptTransforms(L({}), L({"a", "b"}));
  ExpectScriptTransforms(L({"a", "b"}), L({}));
  ExpectScriptTransforms(L({"a", "b", "c", "a", "b", "b", "a"}), L({"c", "b", "a", "b", "a", "c"}));
  ExpectScriptTransforms(L({"x", "y", "z"}), L({"x", "q", "z"}));
}

TEST(LineDiffTest, LargeUnrelatedInputsStillGiveAValidScript) {
  // D = 8000 is beyond the search bound: the middle is replaced wholesale.
  std::vector<std::string> a_store, b_store;
  for (int i = 0; i < 4000; ++i) {
    a_store.push_back("a" + std::to_string(i));
    b_store.push_back("b" + std::to_string(i));
  }
  a_store.insert(a_store.begin(), "same-start");
  b_store.insert(b_store.begin(), "same-start");
  std::vector<std::string_view> a(a_store.begin(), a_store.end()), b(b_store.begin(), b_store.end());
  ExpectScriptTransforms(a, b);
  EXPECT_EQ(DiffLines(a, b).front().op, EditOp::kEqual);
}

TEST(LineDiffTest, FewChangesInALongFileAreFoundExactly) {
  std::vector<std::string> store;
  for (int i = 0; i < 20000; ++i) store.push_back("line " + std::to_string(i));
  std::vector<std::string_view> a(store.begin(), store.end());
  std::vector<std::string_view> b = a;
  b.erase(b.begin() + 5000);
  b.insert(b.begin() + 12000, "new line");
  size_t changes = 0;
  for (const Edit& e : DiffLines(a, b)) changes += e.op != EditOp::kEqual;
  EXPECT_EQ(changes, 2u);
  ExpectScriptTransforms(a, b);
}

TEST(LineDiffTest, ScriptIsShortest) {
  // The classic example from Myers' paper: D = 5.
  auto a = L({"a", "b", "c", "a", "b", "b", "a"});
  auto b = L({"c", "b", "a", "b", "a", "c"});
  size_t changes = 0;
  for (const Edit& e : DiffLines(a, b)) changes += e.op != EditOp::kEqual;
  EXPECT_EQ(changes, 5u);
}

TEST(LineDiffTest, DeletionsComeBeforeInsertionsInARun) {
  auto edits = DiffLines(L({"a", "old", "c"}), L({"a", "new", "c"}));
  ASSERT_EQ(edits.size(), 4u);
  EXPECT_EQ(edits[1].op, EditOp::kDelete);
  EXPECT_EQ(edits[2].op, EditOp::kInsert);
}

TEST(LineDiffTest, SplitLinesIgnoresTrailingNewline) {
  EXPECT_EQ(SplitLines("a\nb\n"), L({"a", "b"}));
  EXPECT_EQ(SplitLines("a\n\nb"), L({"a", "", "b"}));
  EXPECT_TRUE(SplitLines("").empty());
}

TEST(LineDiffTest, HunkWithThreeLinesOfContext) {
  auto a = L({"1", "2", "3", "4", "5", "6", "7", "8", "9"});
  auto b = L({"1", "2", "3", "4", "five", "6", "7", "8", "9"});
  EXPECT_EQ(UnifiedHunks(a, b, 3), "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(LineDiffTest, DistantChangesMakeSeparateHunksCloseOnesMerge) {
  std::vector<std::string_view> a, b;
  static const char* kNums[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
                                "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"};
  for (const char* n : kNums) a.push_back(n);
  b = a;
  b[1] = "two";
  b[18] = "nineteen";
  std::string two_hunks = UnifiedHunks(a, b, 3);
  EXPECT_EQ(two_hunks,
            "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
            "@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n");
  b = a;
  b[1] = "two";
  b[8] = "nine";  // 6 equal lines between: one hunk
  std::string one_hunk = UnifiedHunks(a, b, 3);
  EXPECT_EQ(one_hunk.rfind("@@ -"), 0u);  // a single hunk
  EXPECT_EQ(one_hunk.rfind("@@ -1,12 +1,12 @@", 0), 0u);
  EXPECT_NE(one_hunk.find("-9\n+nine\n 10\n 11\n 12\n"), std::string::npos);
}

TEST(LineDiffTest, AddedAndRemovedFilesUseZeroRanges) {
  EXPECT_EQ(UnifiedHunks(L({}), L({"a", "b"}), 3), "@@ -0,0 +1,2 @@\n+a\n+b\n");
  EXPECT_EQ(UnifiedHunks(L({"a"}), L({}), 3), "@@ -1 +0,0 @@\n-a\n");
}

TEST(LineDiffTest, EqualInputsHaveNoHunks) {
  EXPECT_EQ(UnifiedHunks(L({"a", "b"}), L({"a", "b"}), 3), "");
}

}  // namespace
}  // namespace gitopsd::diff::internal
