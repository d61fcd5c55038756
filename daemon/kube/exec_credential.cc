#include "daemon/kube/exec_credential.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

extern char** environ;

namespace gitopsd::kube {
namespace {

std::string ExecInfo(const ExecConfig& config) {
  Object info = {{"apiVersion", config.api_version},
                 {"kind", "ExecCredential"},
                 {"spec", {{"interactive", false}}}};
  if (config.provide_cluster_info) info["spec"]["cluster"] = config.cluster_info;
  return info.dump();
}

std::vector<std::string> BuildEnv(const ExecConfig& config) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  for (const auto& [name, value] : config.env) env.push_back(name + "=" + value);
  env.push_back("KUBERNETES_EXEC_INFO=" + ExecInfo(config));
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Spawns the plugin with stdout on a pipe; returns its output and exit code.
Status Spawn(const ExecConfig& config, std::string* output, int* exit_code) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Internal(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  std::vector<std::string> argv_s = {config.command};
  argv_s.insert(argv_s.end(), config.args.begin(), config.args.end());
  std::vector<std::string> env_s = BuildEnv(config);
  auto argv = CStrings(argv_s);
  auto envp = CStrings(env_s);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, config.command.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    std::string msg = "exec plugin \"" + config.command + "\": " + std::strerror(rc);
    if (!config.install_hint.empty()) msg += "\n" + config.install_hint;
    return Unauthenticated(msg);
  }
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output->append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return Status::Ok();
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return InvalidArgument("invalid RFC 3339 time \"" + s + "\"");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::string_view rest = std::string_view(s).substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
  }
  long offset = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    long h = std::stol(std::string(rest.substr(1, 2)));
    long m = std::stol(std::string(rest.substr(4, 2)));
    offset = (h * 60 + m) * 60 * (rest[0] == '-' ? -1 : 1);
  } else {
    return InvalidArgument("invalid RFC 3339 time \"" + s + "\": bad zone");
  }
  time_t t = ::timegm(&tm) - offset;
  // system_clock counts nanoseconds in 64 bits (until year 2262): later
  // expiries ("never", in practice) are clamped rather than overflowing.
  constexpr time_t kMaxSeconds = 9'000'000'000;  // year 2255
  if (t > kMaxSeconds) return std::chrono::system_clock::time_point::max();
  return std::chrono::system_clock::from_time_t(t);
}

Result<Credentials> ParseExecCredential(std::string_view json, const std::string& api_version) {
  Object doc = Object::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Unauthenticated("exec plugin output is not a JSON ExecCredential");
  }
  if (GetString(doc, "kind") != "ExecCredential") {
    return Unauthenticated("exec plugin output has kind \"" + GetString(doc, "kind") +
                           "\", want ExecCredential");
  }
  if (GetString(doc, "apiVersion") != api_version) {
    return Unauthenticated("exec plugin answered apiVersion \"" + GetString(doc, "apiVersion") +
                           "\", want \"" + api_version + "\"");
  }
  Credentials creds;
  creds.token = GetString(doc, "status.token");
  creds.client_cert_pem = GetString(doc, "status.clientCertificateData");
  creds.client_key_pem = GetString(doc, "status.clientKeyData");
  if (creds.token.empty() && creds.client_cert_pem.empty()) {
    return Unauthenticated("exec plugin returned neither a token nor a client certificate");
  }
  if (creds.client_cert_pem.empty() != creds.client_key_pem.empty()) {
    return Unauthenticated("exec plugin returned a client certificate without its key (or the reverse)");
  }
  std::string expiry = GetString(doc, "status.expirationTimestamp");
  if (!expiry.empty()) {
    ASSIGN_OR_RETURN(creds.expiry, ParseRfc3339(expiry));
  }
  return creds;
}

Result<Credentials> RunExecPlugin(const ExecConfig& config) {
  std::string output;
  int exit_code = 0;
  RETURN_IF_ERROR(Spawn(config, &output, &exit_code));
  if (exit_code != 0) {
    std::string msg = "exec plugin \"" + config.command + "\" exited with status " +
                      std::to_string(exit_code);
    if (exit_code == 127 && !config.install_hint.empty()) msg += "\n" + config.install_hint;
    return Unauthenticated(msg);
  }
  auto creds = ParseExecCredential(output, config.api_version);
  if (!creds.ok()) return creds.status().WithContext("exec plugin \"" + config.command + "\"");
  return creds;
}

Result<Credentials> ExecCredentialProvider::Get() {
  std::lock_guard lock(mu_);
  auto now = std::chrono::system_clock::now();
  if (cached_ && (!cached_->expiry || *cached_->expiry > now + std::chrono::seconds(10))) {
    return *cached_;
  }
  ++runs_;
  ASSIGN_OR_RETURN(Credentials creds, RunExecPlugin(config_));
  cached_ = creds;
  return creds;
}

void ExecCredentialProvider::Invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
}

int ExecCredentialProvider::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace gitopsd::kube
