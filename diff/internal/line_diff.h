// Line diff (Myers' O(ND) greedy algorithm, "An O(ND) Difference Algorithm
// and Its Variations", 1986) and unified-diff hunks as `diff -u` prints
// them. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gitopsd::diff::internal {

enum class EditOp { kEqual, kDelete, kInsert };

// One line of the edit script: kEqual/kDelete refer to a[old_index],
// kInsert to b[new_index]; both indexes are always the position reached.
struct Edit {
  EditOp op;
  size_t old_index;
  size_t new_index;
};

// A shortest edit script turning `a` into `b`; deletions come before
// insertions within a changed run.
std::vector<Edit> DiffLines(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b);

// Splits text into lines (without their '\n'); a trailing newline does not
// make an extra empty line.
std::vector<std::string_view> SplitLines(std::string_view text);

// The hunks of a unified diff ("@@ -l,s +l,s @@" and ' ', '-', '+' lines,
// each ending in '\n') with `context` lines of context; "" when a == b.
std::string UnifiedHunks(const std::vector<std::string_view>& a,
                         const std::vector<std::string_view>& b, int context);

}  // namespace gitopsd::diff::internal
