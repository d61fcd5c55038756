// Structured logging: one line per event with level, time, component and
// free-form fields (app, revision, op, ...). JSON lines when stderr is not a
// terminal (or format "json"), logfmt-like text on a terminal. Thread-safe;
// backed by spdlog's stderr sink. Never pass a Secret value as a field.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace gitopsd::log {

enum class Level { kDebug, kInfo, kWarn, kError };

enum class Format { kAuto, kJson, kText };

struct Options {
  Level level = Level::kInfo;
  Format format = Format::kAuto;  // kAuto: text on a TTY, JSON otherwise
};

struct Field {
  std::string_view key;
  std::string value;
  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
};

void Init(const Options& options);
bool Enabled(Level level);
Result<Level> ParseLevel(std::string_view name);

void Write(Level level, std::string_view component, std::string_view msg,
           std::initializer_list<Field> fields = {});

inline void Debug(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, c, m, f);
}
inline void Info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, c, m, f);
}
inline void Warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, c, m, f);
}
inline void Error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, c, m, f);
}

// Formats one line (exposed for tests).
std::string FormatLine(Format format, Level level, std::string_view time,
                       std::string_view component, std::string_view msg,
                       std::initializer_list<Field> fields);

}  // namespace gitopsd::log
