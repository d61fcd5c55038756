#include "diff/internal/line_diff.h"

#include <algorithm>

namespace gitopsd::diff::internal {
namespace {

// Myers' greedy forward search over a[0,n) and b[0,m) (no common prefix or
// suffix). trace[d] keeps the furthest x of every diagonal k in [-d, d]
// after step d, so memory is O(D^2); past kMaxD the search gives up.
constexpr long kMaxD = 1500;

using Trace = std::vector<std::vector<long>>;

long At(const Trace& trace, long d, long k) {
  return trace[static_cast<size_t>(d)][static_cast<size_t>(k + d)];
}

// The diagonal step d came from when it ended on diagonal k.
bool CameDown(const Trace& trace, long d, long k) {
  if (k == -d) return true;
  if (k == d) return false;
  return At(trace, d - 1, k - 1) < At(trace, d - 1, k + 1);
}

bool Search(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
            Trace& trace) {
  long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  for (long d = 0; d <= std::min(n + m, kMaxD); ++d) {
    std::vector<long> row(static_cast<size_t>(2 * d + 1));
    for (long k = -d; k <= d; k += 2) {
      long x = d == 0 ? 0 : (CameDown(trace, d, k) ? At(trace, d - 1, k + 1) : At(trace, d - 1, k - 1) + 1);
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) {
        ++x;
        ++y;
      }
      row[static_cast<size_t>(k + d)] = x;
      if (x >= n && y >= m) {
        trace.push_back(std::move(row));
        return true;
      }
    }
    trace.push_back(std::move(row));
  }
  return false;
}

// The operations of the path found, walking back from (n, m).
std::vector<EditOp> Backtrack(const Trace& trace, long n, long m) {
  std::vector<EditOp> rev;
  long x = n, y = m;
  for (long d = static_cast<long>(trace.size()) - 1; d > 0; --d) {
    long k = x - y;
    bool down = CameDown(trace, d, k);
    long prev_k = down ? k + 1 : k - 1;
    long prev_x = At(trace, d - 1, prev_k);
    long prev_y = prev_x - prev_k;
    long snake_start_x = down ? prev_x : prev_x + 1;
    for (; x > snake_start_x; --x, --y) rev.push_back(EditOp::kEqual);
    rev.push_back(down ? EditOp::kInsert : EditOp::kDelete);
    x = prev_x;
    y = prev_y;
  }
  for (; x > 0; --x) rev.push_back(EditOp::kEqual);  // the snake of step 0
  return {rev.rbegin(), rev.rend()};
}

// Operations turning a into b: minimal when D <= kMaxD, otherwise delete all
// then insert all.
std::vector<EditOp> MiddleOps(const std::vector<std::string_view>& a,
                              const std::vector<std::string_view>& b) {
  Trace trace;
  if (!a.empty() && !b.empty() && Search(a, b, trace)) {
    return Backtrack(trace, static_cast<long>(a.size()), static_cast<long>(b.size()));
  }
  std::vector<EditOp> ops(a.size(), EditOp::kDelete);
  ops.insert(ops.end(), b.size(), EditOp::kInsert);
  return ops;
}

// Within each run of changes, puts deletions before insertions, then gives
// every edit its positions (each op consumes the next line of its side).
std::vector<Edit> Finish(std::vector<EditOp> ops) {
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i] == EditOp::kEqual) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < ops.size() && ops[j] != EditOp::kEqual) ++j;
    std::stable_partition(ops.begin() + static_cast<long>(i), ops.begin() + static_cast<long>(j),
                          [](EditOp op) { return op == EditOp::kDelete; });
    i = j;
  }
  std::vector<Edit> edits;
  size_t x = 0, y = 0;
  for (EditOp op : ops) {
    edits.push_back({op, x, y});
    if (op != EditOp::kInsert) ++x;
    if (op != EditOp::kDelete) ++y;
  }
  return edits;
}

void AppendRange(std::string& out, size_t start, size_t count) {
  // `diff -u` prints an empty range as "start,0" where start is the line before.
  out += std::to_string(count == 0 ? start : start + 1);
  if (count != 1) out += "," + std::to_string(count);
}

}  // namespace

std::vector<Edit> DiffLines(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  std::vector<std::string_view> mid_a(a.begin() + static_cast<long>(pre), a.end() - static_cast<long>(suf));
  std::vector<std::string_view> mid_b(b.begin() + static_cast<long>(pre), b.end() - static_cast<long>(suf));
  std::vector<EditOp> ops(pre, EditOp::kEqual);
  std::vector<EditOp> mid = MiddleOps(mid_a, mid_b);
  ops.insert(ops.end(), mid.begin(), mid.end());
  ops.insert(ops.end(), suf, EditOp::kEqual);
  return Finish(std::move(ops));
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
