#include "daemon/app/config.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "daemon/git/url.h"

namespace gitopsd::app {
namespace {

namespace fs = std::filesystem;

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string EscapeToken(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string TypeName(const Object& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a list";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

// Shared state of one load: where errors point and the collected errors.
struct Ctx {
  std::string source;
  std::string base_dir;
  std::unordered_map<std::string, int> lines;
  std::vector<std::string> errors;

  int LineOf(std::string ptr) const {
    while (true) {
      auto it = lines.find(ptr);
      if (it != lines.end()) return it->second;
      if (ptr.empty()) return 0;
      ptr.resize(ptr.rfind('/'));
    }
  }
  void Error(const std::string& ptr, const std::string& where, const std::string& msg) {
    std::string line = source;
    if (int n = LineOf(ptr); n > 0) line += ": line " + std::to_string(n);
    errors.push_back(line + ": " + (where.empty() ? "" : where + ": ") + msg);
  }
  std::string Resolve(const std::string& p) const {
    if (p.empty()) return p;
    fs::path path(p);
    if (path.is_relative()) path = fs::path(base_dir) / path;
    return path.lexically_normal().string();
  }
};

// One mapping of the file being read: typed getters that record errors.
class Section {
 public:
  Section(Ctx& ctx, const Object* node, std::string ptr, std::string where,
          std::initializer_list<std::string_view> known)
      : ctx_(ctx), ptr_(std::move(ptr)), where_(std::move(where)) {
    if (node == nullptr || node->is_null()) return;
    if (!node->is_object()) {
      ctx_.Error(ptr_, where_, "must be a mapping, not " + TypeName(*node));
      return;
    }
    node_ = node;
    for (const auto& [key, value] : node->items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string msg = "unknown key " + Quote(key);
      std::string_view best;
      size_t best_distance = 0;
      for (std::string_view k : known) {
        size_t d = EditDistance(key, k);
        if (best.empty() || d < best_distance) best = k, best_distance = d;
      }
      if (!best.empty() && best_distance <= std::max<size_t>(2, key.size() / 3)) {
        msg += " (did you mean " + Quote(best) + "?)";
      }
      ctx_.Error(Ptr(key), where_, msg);
    }
  }

  const Object* Get(std::string_view key) const {
    if (node_ == nullptr) return nullptr;
    auto it = node_->find(std::string(key));
    return it == node_->end() || it->is_null() ? nullptr : &*it;
  }
  std::string Ptr(std::string_view key) const { return ptr_ + "/" + EscapeToken(key); }
  std::string Where(std::string_view key) const {
    return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
  }
  void Error(std::string_view key, const std::string& msg) { ctx_.Error(Ptr(key), where_, msg); }

  std::string Str(std::string_view key, std::string_view def = "") {
    const Object* v = Get(key);
    if (v == nullptr) return std::string(def);
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number() || v->is_boolean()) return v->dump();
    Error(key, std::string(key) + " must be a string, not " + TypeName(*v));
    return std::string(def);
  }
  bool Bool(std::string_view key, bool def) {
    const Object* v = Get(key);
    if (v == nullptr) return def;
    if (v->is_boolean()) return v->get<bool>();
    Error(key, std::string(key) + " must be true or false, not " + v->dump());
    return def;
  }
  int Int(std::string_view key, int def, int min, int max) {
    const Object* v = Get(key);
    if (v == nullptr) return def;
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      Error(key, std::string(key) + " must be an integer from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", not " + v->dump());
      return def;
    }
    return v->get<int>();
  }
  Duration Dur(std::string_view key, Duration def) {
    const Object* v = Get(key);
    if (v == nullptr) return def;
    std::string text = v->is_string() ? v->get<std::string>() : v->dump();
    auto d = ParseDuration(text);
    if (!d.ok()) {
      Error(key, std::string(key) + ": " + d.status().message());
      return def;
    }
    return *d;
  }
  // A path, resolved against the config file's directory; checked to exist
  // when `must_exist` and set.
  std::string Path(std::string_view key, bool must_exist, std::string_view def = "") {
    std::string p = ctx_.Resolve(Str(key, def));
    std::error_code ec;
    if (must_exist && !p.empty() && !fs::exists(p, ec)) {
      Error(key, std::string(key) + ": file " + Quote(p) + " does not exist");
    }
    return p;
  }
  // The trimmed content of the file named by `key` (already resolved in
  // `path`); "" when unset.
  std::string Secret(std::string_view key, const std::string& path) {
    if (path.empty()) return "";
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";  // Path() reported the missing file
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (text.empty()) Error(key, std::string(key) + ": file " + Quote(path) + " is empty");
    return text;
  }
  // The items of a list at `key` (empty when unset or not a list).
  std::vector<const Object*> List(std::string_view key) {
    std::vector<const Object*> out;
    const Object* v = Get(key);
    if (v == nullptr) return out;
    if (!v->is_array()) {
      Error(key, std::string(key) + " must be a list, not " + TypeName(*v));
      return out;
    }
    for (const auto& item : *v) out.push_back(&item);
    return out;
  }
  bool OneOf(std::string_view key, const std::string& value,
             std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return true;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    Error(key, std::string(key) + " must be one of " + list + ", not " + Quote(value));
    return false;
  }

 private:
  Ctx& ctx_;
  const Object* node_ = nullptr;
  std::string ptr_;
  std::string where_;
};

std::string Indexed(std::string_view list, size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}
std::string ItemPtr(std::string_view list, size_t i) {
  return "/" + std::string(list) + "/" + std::to_string(i);
}

bool ValidListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) return false;
  std::string port = listen.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return false;
  }
  return port.size() <= 5 && std::stoi(port) <= 65535;
}

bool ValidAppName(const std::string& name) {
  if (name.empty() || name.size() > 63 || !std::isalnum(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

void ReadServer(Ctx& ctx, Section& top, Config& cfg) {
  Section s(ctx, top.Get("server"), "/server", "server",
            {"listen", "stateDir", "cacheDir", "workers", "logLevel", "logFormat", "tls"});
  ServerConfig& out = cfg.server;
  out.listen = s.Str("listen", defaults::kListen);
  if (!ValidListen(out.listen)) s.Error("listen", "listen must be host:port, not " + Quote(out.listen));
  out.state_dir = s.Path("stateDir", false, defaults::kStateDir);
  out.cache_dir = s.Path("cacheDir", false);
  if (out.cache_dir.empty()) out.cache_dir = out.state_dir + "/" + std::string(defaults::kCacheSubdir);
  out.workers = s.Int("workers", defaults::kWorkers, 1, 256);
  out.log_level = s.Str("logLevel", defaults::kLogLevel);
  s.OneOf("logLevel", out.log_level, {"debug", "info", "warn", "error"});
  out.log_format = s.Str("logFormat", defaults::kLogFormat);
  s.OneOf("logFormat", out.log_format, {"auto", "json", "text"});
  Section tls(ctx, s.Get("tls"), s.Ptr("tls"), "server.tls", {"certFile", "keyFile"});
  out.tls_cert_file = tls.Path("certFile", true);
  out.tls_key_file = tls.Path("keyFile", true);
  if (out.tls_cert_file.empty() != out.tls_key_file.empty()) {
    s.Error("tls", "tls needs both certFile and keyFile");
  }
}

void ReadAuth(Ctx& ctx, Section& top, Config& cfg) {
  Section s(ctx, top.Get("auth"), "/auth", "auth", {"anonymous", "users"});
  cfg.auth.anonymous = s.Str("anonymous", defaults::kAnonymousRole);
  s.OneOf("anonymous", cfg.auth.anonymous, {"none", "viewer"});
  std::set<std::string> names;
  auto items = s.List("users");
  for (size_t i = 0; i < items.size(); ++i) {
    Section u(ctx, items[i], "/auth/users/" + std::to_string(i), Indexed("auth.users", i),
              {"name", "role", "tokenFile", "passwordFile"});
    UserConfig user;
    user.name = u.Str("name");
    if (user.name.empty()) u.Error("name", "a user needs a name");
    else if (!names.insert(user.name).second) u.Error("name", "duplicate user " + Quote(user.name));
    user.role = u.Str("role", "viewer");
    u.OneOf("role", user.role, {"viewer", "operator", "admin"});
    user.token_file = u.Path("tokenFile", true);
    user.token = u.Secret("tokenFile", user.token_file);
    user.password_file = u.Path("passwordFile", true);
    user.password = u.Secret("passwordFile", user.password_file);
    if (user.token_file.empty() && user.password_file.empty()) {
      u.Error("tokenFile", "user " + Quote(user.name) + " needs a tokenFile or a passwordFile");
    }
    cfg.auth.users.push_back(std::move(user));
  }
}

void ReadWebhooks(Ctx& ctx, Section& top, Config& cfg) {
  Section s(ctx, top.Get("webhooks"), "/webhooks", "webhooks", {"secretFile", "allowUnsigned"});
  cfg.webhooks.secret_file = s.Path("secretFile", true);
  cfg.webhooks.secret = s.Secret("secretFile", cfg.webhooks.secret_file);
  cfg.webhooks.allow_unsigned = s.Bool("allowUnsigned", false);
}

void ReadClusters(Ctx& ctx, Section& top, Config& cfg) {
  std::set<std::string> names;
  auto items = top.List("clusters");
  for (size_t i = 0; i < items.size(); ++i) {
    Section c(ctx, items[i], ItemPtr("clusters", i), Indexed("clusters", i),
              {"name", "kubeconfig", "context", "qps", "burst"});
    ClusterConfig cluster;
    cluster.name = c.Str("name");
    if (cluster.name.empty()) c.Error("name", "a cluster needs a name");
    else if (!names.insert(cluster.name).second) {
      c.Error("name", "duplicate cluster " + Quote(cluster.name));
    }
    cluster.kubeconfig = c.Path("kubeconfig", true);
    cluster.context = c.Str("context");
    cluster.qps = c.Int("qps", cluster.qps, 0, 100000);
    cluster.burst = c.Int("burst", cluster.burst, 1, 100000);
    cfg.clusters.push_back(std::move(cluster));
  }
}

void ReadRepositories(Ctx& ctx, Section& top, Config& cfg) {
  std::set<std::string> keys;
  auto items = top.List("repositories");
  for (size_t i = 0; i < items.size(); ++i) {
    Section r(ctx, items[i], ItemPtr("repositories", i), Indexed("repositories", i),
              {"url", "pollInterval", "username", "passwordFile", "sshKeyFile",
               "sshKeyPassphraseFile", "knownHostsFile", "caFile", "webhookSecretFile"});
    RepositoryConfig repo;
    repo.url = r.Str("url");
    if (repo.url.empty()) {
      r.Error("url", "a repository needs a url");
    } else if (auto parsed = git::ParseRepoUrl(repo.url); !parsed.ok()) {
      r.Error("url", parsed.status().message());
    } else if (!keys.insert(git::NormalizeRepoUrl(repo.url)).second) {
      r.Error("url", "repository " + Quote(repo.url) + " is configured twice");
    }
    repo.poll_interval = r.Dur("pollInterval", defaults::kPollInterval);
    if (repo.poll_interval < defaults::kMinPollInterval) {
      r.Error("pollInterval", "pollInterval must be at least " +
                                  FormatDuration(defaults::kMinPollInterval));
    }
    repo.username = r.Str("username");
    repo.password_file = r.Path("passwordFile", true);
    repo.password = r.Secret("passwordFile", repo.password_file);
    repo.ssh_key_file = r.Path("sshKeyFile", true);
    repo.ssh_key_passphrase_file = r.Path("sshKeyPassphraseFile", true);
    repo.ssh_key_passphrase = r.Secret("sshKeyPassphraseFile", repo.ssh_key_passphrase_file);
    repo.known_hosts_file = r.Path("knownHostsFile", true);
    repo.ca_file = r.Path("caFile", true);
    repo.webhook_secret_file = r.Path("webhookSecretFile", true);
    repo.webhook_secret = r.Secret("webhookSecretFile", repo.webhook_secret_file);
    cfg.repositories.push_back(std::move(repo));
  }
}

void ReadIgnoreDifferences(Ctx& ctx, Section& a, const std::string& where, AppConfig& app) {
  auto rules = a.List("ignoreDifferences");
  for (size_t j = 0; j < rules.size(); ++j) {
    Section rule(ctx, rules[j], a.Ptr("ignoreDifferences") + "/" + std::to_string(j),
                 Indexed(where + ".ignoreDifferences", j),
                 {"group", "kind", "name", "namespace", "jsonPointers", "managedFieldsManagers"});
    if (rule.Str("kind").empty()) rule.Error("kind", "an ignoreDifferences rule needs a kind");
    for (std::string_view list : {"jsonPointers", "managedFieldsManagers"}) {
      for (const Object* item : rule.List(list)) {
        if (!item->is_string()) rule.Error(list, std::string(list) + " must list strings");
        else if (list == "jsonPointers" && item->get<std::string>().rfind('/', 0) != 0) {
          rule.Error(list, "json pointer " + Quote(item->get<std::string>()) +
                               " must start with '/'");
        }
      }
    }
    if (rules[j]->is_object()) app.ignore_differences.push_back(*rules[j]);
  }
}

void ReadApps(Ctx& ctx, Section& top, Config& cfg) {
  std::set<std::string> names;
  auto items = top.List("apps");
  for (size_t i = 0; i < items.size(); ++i) {
    std::string where = Indexed("apps", i);
    Section a(ctx, items[i], ItemPtr("apps", i), where,
              {"name", "repo", "path", "revision", "cluster", "namespace", "autoSync", "prune",
               "selfHeal", "autoRollback", "healthTimeout", "maxPrune", "ignoreDifferences"});
    AppConfig app;
    app.name = a.Str("name");
    if (!ValidAppName(app.name)) {
      a.Error("name", "app name " + Quote(app.name) +
                          " must be 1-63 letters, digits, '-', '_' or '.', starting with a "
                          "letter or digit");
    } else if (!names.insert(app.name).second) {
      a.Error("name", "duplicate app " + Quote(app.name));
    }
    app.repo = a.Str("repo");
    std::string raw_path = a.Str("path", defaults::kPath);
    if (auto clean = path::CleanRelative(raw_path); clean.ok()) {
      app.path = clean->empty() ? "." : *clean;
    } else {
      a.Error("path", "path " + Quote(raw_path) + " must stay inside the repository");
    }
    app.revision = a.Str("revision", defaults::kRevision);
    if (app.revision.empty()) a.Error("revision", "revision must not be empty");
    app.cluster = a.Str("cluster");
    app.namespace_ = a.Str("namespace");
    app.auto_sync = a.Bool("autoSync", false);
    app.prune = a.Bool("prune", false);
    app.self_heal = a.Bool("selfHeal", false);
    app.auto_rollback = a.Bool("autoRollback", false);
    app.health_timeout = a.Dur("healthTimeout", defaults::kHealthTimeout);
    app.max_prune = a.Int("maxPrune", defaults::kMaxPrune, 0, 1000000);
    ReadIgnoreDifferences(ctx, a, where, app);

    if (app.repo.empty()) {
      a.Error("repo", "app " + Quote(app.name) + " needs a repo");
    } else if (cfg.RepositoryOf(app) == nullptr) {
      a.Error("repo", "repo " + Quote(app.repo) + " is not in repositories");
    }
    if (app.cluster.empty() && cfg.clusters.size() == 1) app.cluster = cfg.clusters[0].name;
    if (app.cluster.empty()) {
      a.Error("cluster", "app " + Quote(app.name) + " needs a cluster (one of clusters[].name)");
    } else if (cfg.ClusterOf(app) == nullptr) {
      a.Error("cluster", "cluster " + Quote(app.cluster) + " is not in clusters");
    }
    cfg.apps.push_back(std::move(app));
  }
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& path) {
  Ctx ctx;
  ctx.source = path;
  fs::path abs = fs::absolute(path).lexically_normal();
  ctx.base_dir = abs.parent_path().string();
  YamlReadOptions options;
  options.source_name = path;
  options.record_lines = true;
  ASSIGN_OR_RETURN(auto docs, ParseYamlDocuments(text, options));
  const YamlDocument* doc = nullptr;
  for (const auto& d : docs) {
    if (d.value.is_null()) continue;
    if (doc != nullptr) {
      return InvalidArgument(path + ": line " + std::to_string(d.line) +
                             ": the configuration must be a single YAML document");
    }
    doc = &d;
  }
  Config cfg;
  cfg.source = abs.string();
  Object empty = Object::object();
  const Object* root = doc ? &doc->value : &empty;
  if (doc) ctx.lines = doc->lines;
  if (!root->is_object()) {
    return InvalidArgument(path + ": the configuration must be a mapping, not " +
                           TypeName(*root));
  }
  Section top(ctx, root, "", "",
              {"server", "auth", "webhooks", "clusters", "repositories", "apps"});
  ReadServer(ctx, top, cfg);
  ReadAuth(ctx, top, cfg);
  ReadWebhooks(ctx, top, cfg);
  ReadClusters(ctx, top, cfg);
  ReadRepositories(ctx, top, cfg);
  ReadApps(ctx, top, cfg);
  if (!ctx.errors.empty()) {
    std::string msg;
    for (const auto& e : ctx.errors) msg += (msg.empty() ? "" : "\n") + e;
    return InvalidArgument(msg);
  }
  return cfg;
}

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("configuration file " + Quote(path) + " cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  return ParseConfig(s.str(), path);
}

const RepositoryConfig* Config::RepositoryOf(const AppConfig& app) const {
  std::string key = git::NormalizeRepoUrl(app.repo);
  for (const auto& r : repositories) {
    if (git::NormalizeRepoUrl(r.url) == key) return &r;
  }
  return nullptr;
}

const ClusterConfig* Config::ClusterOf(const AppConfig& app) const {
  for (const auto& c : clusters) {
    if (c.name == app.cluster) return &c;
  }
  return nullptr;
}

const AppConfig* Config::FindApp(std::string_view name) const {
  for (const auto& a : apps) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

git::RepoOptions RepositoryConfig::ToRepoOptions(const std::string& cache_dir) const {
  git::RepoOptions o;
  o.url = url;
  o.cache_dir = cache_dir;
  o.credentials.username = username;
  o.credentials.password = password;
  o.credentials.ssh_key_file = ssh_key_file;
  o.credentials.ssh_key_passphrase = ssh_key_passphrase;
  o.credentials.known_hosts_file = known_hosts_file;
  o.credentials.ca_file = ca_file;
  return o;
}

Result<Duration> ParseDuration(std::string_view text) {
  auto bad = [&](std::string why) {
    return InvalidArgument("bad duration " + Quote(text) + ": " + why +
                           " (use e.g. 30s, 2m, 1h30m, 500ms)");
  };
  if (text.empty()) return bad("empty");
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return bad("expected a number at " + Quote(text.substr(start)));
    std::string number(text.substr(start, i - start));
    if (std::count(number.begin(), number.end(), '.') > 1) return bad("malformed number");
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit.empty()) return bad("a unit is required after " + number);
    else return bad("unknown unit " + Quote(unit));
    total_ms += std::stod(number) * scale;
  }
  if (total_ms > 1e15) return bad("too long");
  return Duration(static_cast<int64_t>(std::llround(total_ms)));
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  const std::pair<int64_t, const char*> units[] = {
      {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [size, name] : units) {
    if (ms >= size) {
      out += std::to_string(ms / size) + name;
      ms %= size;
    }
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace gitopsd::app
