// NormalizeTimestamp (yaml_scalar.h): Go's time.Parse with yaml.v3's
// timestamp layouts, printed as time.RFC3339Nano.
#include <array>

#include "core/internal/yaml_scalar.h"

namespace gitopsd::yaml_internal {
namespace {

struct Clock {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int nanos = 0;
  int offset_minutes = 0;
};

// Go's getnum(value, false): one or two digits.
bool TakeNum(std::string_view& s, int* out) {
  if (s.empty() || !IsDigit(s[0])) return false;
  if (s.size() >= 2 && IsDigit(s[1])) {
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    s.remove_prefix(2);
  } else {
    *out = s[0] - '0';
    s.remove_prefix(1);
  }
  return true;
}

bool TakeChar(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

int DaysIn(int month, int year) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

bool TakeFraction(std::string_view& s, int* nanos) {
  if (s.size() < 2 || (s[0] != '.' && s[0] != ',') || !IsDigit(s[1])) return true;
  size_t n = 1;
  while (n < s.size() && IsDigit(s[n])) ++n;
  int value = 0, digits = 0;
  for (size_t i = 1; i < n && digits < 9; ++i, ++digits) value = value * 10 + (s[i] - '0');
  for (; digits < 9; ++digits) value *= 10;
  *nanos = value;
  s.remove_prefix(n);
  return true;
}

bool TakeZone(std::string_view& s, int* offset_minutes) {
  if (TakeChar(s, 'Z')) return true;
  if (s.size() < 6 || s[3] != ':' || (s[0] != '+' && s[0] != '-')) return false;
  if (!IsDigit(s[1]) || !IsDigit(s[2]) || !IsDigit(s[4]) || !IsDigit(s[5])) return false;
  int hh = (s[1] - '0') * 10 + (s[2] - '0');
  int mm = (s[4] - '0') * 10 + (s[5] - '0');
  if (hh > 24 || mm > 60) return false;
  *offset_minutes = (s[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  s.remove_prefix(6);
  return true;
}

bool ParseClock(std::string_view s, Clock* c) {
  if (s.size() < 5) return false;
  for (int i = 0; i < 4; ++i) {
    if (!IsDigit(s[static_cast<size_t>(i)])) return false;
    c->year = c->year * 10 + (s[static_cast<size_t>(i)] - '0');
  }
  s.remove_prefix(4);
  if (!TakeChar(s, '-') || !TakeNum(s, &c->month) || !TakeChar(s, '-') || !TakeNum(s, &c->day)) {
    return false;
  }
  if (c->month < 1 || c->month > 12 || c->day < 1 || c->day > DaysIn(c->month, c->year)) return false;
  if (s.empty()) return true;  // date only
  char sep = s[0];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  s.remove_prefix(1);
  if (!TakeNum(s, &c->hour) || !TakeChar(s, ':') || !TakeNum(s, &c->minute) ||
      !TakeChar(s, ':') || !TakeNum(s, &c->second) || !TakeFraction(s, &c->nanos)) {
    return false;
  }
  if (c->hour >= 24 || c->minute >= 60 || c->second >= 60) return false;
  if (sep != ' ' && !TakeZone(s, &c->offset_minutes)) return false;
  return s.empty();
}

void AppendPadded(std::string& out, int v, int width) {
  std::array<char, 16> buf{};
  int n = 0;
  do {
    buf[static_cast<size_t>(n++)] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[static_cast<size_t>(--n)]);
}

std::string FormatRfc3339Nano(const Clock& c) {
  std::string out;
  out.reserve(36);
  AppendPadded(out, c.year, 4);
  out.push_back('-');
  AppendPadded(out, c.month, 2);
  out.push_back('-');
  AppendPadded(out, c.day, 2);
  out.push_back('T');
  AppendPadded(out, c.hour, 2);
  out.push_back(':');
  AppendPadded(out, c.minute, 2);
  out.push_back(':');
  AppendPadded(out, c.second, 2);
  if (c.nanos != 0) {
    std::string frac;
    AppendPadded(frac, c.nanos, 9);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out += frac;
  }
  if (c.offset_minutes == 0) {
    out.push_back('Z');
  } else {
    int off = c.offset_minutes;
    out.push_back(off < 0 ? '-' : '+');
    if (off < 0) off = -off;
    AppendPadded(out, off / 60, 2);
    out.push_back(':');
    AppendPadded(out, off % 60, 2);
  }
  return out;
}

}  // namespace

std::optional<std::string> NormalizeTimestamp(std::string_view s) {
  // Quick check as yaml does: all formats start with YYYY-.
  if (s.size() < 5 || !IsDigit(s[0]) || s[4] != '-') return std::nullopt;
  Clock c;
  if (!ParseClock(s, &c)) return std::nullopt;
  return FormatRfc3339Nano(c);
}

}  // namespace gitopsd::yaml_internal
