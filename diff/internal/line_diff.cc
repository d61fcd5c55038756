#include "diff/internal/line_diff.h"

#include <algorithm>

namespace gitopsd::diff::internal {
namespace {

// Walks the trace of V arrays back from (n, m) and emits the script.
std::vector<Edit> Backtrack(const std::vector<std::vector<long>>& trace, long n, long m,
                            long offset) {
  std::vector<Edit> rev;
  long x = n, y = m;
  for (long d = static_cast<long>(trace.size()) - 1; d >= 0; --d) {
    const auto& v = trace[static_cast<size_t>(d)];
    long k = x - y;
    long prev_k;
    if (k == -d || (k != d && v[static_cast<size_t>(k - 1 + offset)] <
                                  v[static_cast<size_t>(k + 1 + offset)])) {
      prev_k = k + 1;  // came down: an insertion
    } else {
      prev_k = k - 1;  // came right: a deletion
    }
    long prev_x = d == 0 ? 0 : v[static_cast<size_t>(prev_k + offset)];
    long prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y && x > 0 && y > 0) {
      --x;
      --y;
      rev.push_back({EditOp::kEqual, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    if (d > 0) {
      if (x == prev_x) {
        rev.push_back({EditOp::kInsert, static_cast<size_t>(x), static_cast<size_t>(prev_y)});
      } else {
        rev.push_back({EditOp::kDelete, static_cast<size_t>(prev_x), static_cast<size_t>(y)});
      }
    }
    x = prev_x;
    y = prev_y;
  }
  std::reverse(rev.begin(), rev.end());
  return rev;
}

// Within each run of changes, puts deletions before insertions.
void GroupRuns(std::vector<Edit>& edits) {
  size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].op == EditOp::kEqual) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < edits.size() && edits[j].op != EditOp::kEqual) ++j;
    std::stable_partition(edits.begin() + static_cast<long>(i), edits.begin() + static_cast<long>(j),
                          [](const Edit& e) { return e.op == EditOp::kDelete; });
    i = j;
  }
  // Reassign positions in the new order (each op consumes the next line).
  size_t x = 0, y = 0;
  for (Edit& e : edits) {
    e.old_index = x;
    e.new_index = y;
    if (e.op != EditOp::kInsert) ++x;
    if (e.op != EditOp::kDelete) ++y;
  }
}

void AppendRange(std::string& out, size_t start, size_t count) {
  // `diff -u` prints an empty range as "start,0" where start is the line before.
  out += std::to_string(count == 0 ? start : start + 1);
  if (count != 1) out += "," + std::to_string(count);
}

}  // namespace

std::vector<Edit> DiffLines(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  long max = n + m;
  long offset = max + 1;
  std::vector<long> v(static_cast<size_t>(2 * max + 3), 0);
  std::vector<std::vector<long>> trace;
  for (long d = 0; d <= max; ++d) {
    trace.push_back(v);
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (k == -d || (k != d && v[static_cast<size_t>(k - 1 + offset)] <
                                    v[static_cast<size_t>(k + 1 + offset)])) {
        x = v[static_cast<size_t>(k + 1 + offset)];
      } else {
        x = v[static_cast<size_t>(k - 1 + offset)] + 1;
      }
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) {
        ++x;
        ++y;
      }
      v[static_cast<size_t>(k + offset)] = x;
      if (x >= n && y >= m) {
        std::vector<Edit> edits = Backtrack(trace, n, m, offset);
        GroupRuns(edits);
        return edits;
      }
    }
  }
  return {};
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string UnifiedHunks(const std::vector<std::string_view>& a,
                         const std::vector<std::string_view>& b, int context) {
  std::vector<Edit> edits = DiffLines(a, b);
  size_t ctx = static_cast<size_t>(std::max(context, 0));
  std::string out;
  size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].op == EditOp::kEqual) {
      ++i;
      continue;
    }
    // A hunk: from `ctx` equal lines before this change to `ctx` after the
    // last change that is at most 2*ctx equal lines from the previous one.
    size_t begin = i >= ctx ? i - ctx : 0;
    for (size_t k = begin; k < i; ++k) {
      if (edits[k].op != EditOp::kEqual) begin = k + 1;
    }
    size_t end = i;
    size_t equal_run = 0;
    for (size_t k = i; k < edits.size(); ++k) {
      if (edits[k].op == EditOp::kEqual) {
        if (++equal_run > 2 * ctx) break;
      } else {
        equal_run = 0;
        end = k + 1;
      }
    }
    end = std::min(edits.size(), end + ctx);
    size_t old_start = edits[begin].old_index, new_start = edits[begin].new_index;
    size_t old_count = 0, new_count = 0;
    std::string body;
    for (size_t k = begin; k < end; ++k) {
      const Edit& e = edits[k];
      if (e.op == EditOp::kEqual) {
        body += " " + std::string(a[e.old_index]) + "\n";
        ++old_count;
        ++new_count;
      } else if (e.op == EditOp::kDelete) {
        body += "-" + std::string(a[e.old_index]) + "\n";
        ++old_count;
      } else {
        body += "+" + std::string(b[e.new_index]) + "\n";
        ++new_count;
      }
    }
    out += "@@ -";
    AppendRange(out, old_start, old_count);
    out += " +";
    AppendRange(out, new_start, new_count);
    out += " @@\n" + body;
    i = end;
  }
  return out;
}

}  // namespace gitopsd::diff::internal
