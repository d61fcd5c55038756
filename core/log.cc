#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>

#include "core/object.h"

namespace gitopsd::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<int> g_format{static_cast<int>(Format::kAuto)};

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>("gitopsd",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    return l;
  }();
  return logger;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm;
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count()));
  return buf;
}

bool NeedsQuote(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

void AppendText(std::string& out, std::string_view k, std::string_view v) {
  out.push_back(' ');
  out.append(k);
  out.push_back('=');
  if (NeedsQuote(v)) {
    out += Object(std::string(v)).dump();
  } else {
    out.append(v);
  }
}

}  // namespace

void Init(const Options& options) {
  g_level = static_cast<int>(options.level);
  g_format = static_cast<int>(options.format);
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

Result<Level> ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn" || name == "warning") return Level::kWarn;
  if (name == "error") return Level::kError;
  return InvalidArgument("unknown log level \"" + std::string(name) +
                         "\" (want debug, info, warn or error)");
}

std::string FormatLine(Format format, Level level, std::string_view time,
                       std::string_view component, std::string_view msg,
                       std::initializer_list<Field> fields) {
  if (format == Format::kJson) {
    Object line = Object::object();
    line["time"] = time;
    line["level"] = LevelName(level);
    line["component"] = component;
    line["msg"] = msg;
    for (const Field& f : fields) line[std::string(f.key)] = f.value;
    return line.dump(-1, ' ', false, Object::error_handler_t::replace);
  }
  std::string out(time);
  out.push_back(' ');
  std::string lvl(LevelName(level));
  for (auto& c : lvl) c = static_cast<char>(toupper(c));
  out += lvl;
  out.push_back(' ');
  out.append(component);
  out.append(": ");
  out.append(msg);
  for (const Field& f : fields) AppendText(out, f.key, f.value);
  return out;
}

void Write(Level level, std::string_view component, std::string_view msg,
           std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  Format f = static_cast<Format>(g_format.load());
  if (f == Format::kAuto) f = isatty(STDERR_FILENO) ? Format::kText : Format::kJson;
  Logger()->info(FormatLine(f, level, NowRfc3339(), component, msg, fields));
}

}  // namespace gitopsd::log
