#include "daemon/kube/kubeconfig.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "core/net/tls.h"
#include "core/yaml.h"

namespace gitopsd::kube {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t colon = s.find(':', start);
    std::string part = s.substr(start, colon == std::string::npos ? std::string::npos
                                                                  : colon - start);
    if (!part.empty()) out.push_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

// Makes the string at `key` absolute relative to `dir` when relative.
void ResolveFileRef(Object& body, const char* key, const fs::path& dir) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return;
  std::string value = it->get<std::string>();
  if (value.empty() || fs::path(value).is_absolute()) return;
  *it = (dir / value).lexically_normal().string();
}

void ResolveRefs(const std::string& section, Object& body, const fs::path& dir) {
  if (section == "clusters") {
    ResolveFileRef(body, "certificate-authority", dir);
  } else if (section == "users") {
    ResolveFileRef(body, "client-certificate", dir);
    ResolveFileRef(body, "client-key", dir);
    ResolveFileRef(body, "tokenFile", dir);
    auto exec = body.find("exec");
    if (exec != body.end() && exec->is_object()) {
      std::string cmd = GetString(*exec, "command");
      if (cmd.find('/') != std::string::npos) ResolveFileRef(*exec, "command", dir);
    }
  }
}

// Adds one file's named entries of `section` ("clusters", ...) whose names
// are not defined yet.
Status MergeSection(const Object& doc, const std::string& section, const char* body_key,
                    const std::string& file, std::map<std::string, Object>* into) {
  auto it = doc.find(section);
  if (it == doc.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return InvalidArgument(file + ": " + section + " must be a list");
  fs::path dir = fs::path(file).parent_path();
  for (const auto& entry : *it) {
    std::string name = GetString(entry, "name");
    if (name.empty()) return InvalidArgument(file + ": an entry of " + section + " has no name");
    if (into->count(name) != 0) continue;  // first file wins
    const Object* body = FindPath(entry, body_key);
    Object copy = body != nullptr && body->is_object() ? *body : Object::object();
    ResolveRefs(section, copy, dir);
    into->emplace(name, std::move(copy));
  }
  return Status::Ok();
}

Result<std::string> ReadRef(const std::string& what, const std::string& path) {
  auto content = net::ReadFileToString(path);
  if (!content.ok()) return content.status().WithContext("reading " + what + " " + path);
  return content;
}

// Reads `<key>-data` (base64) or the file named by `<key>`.
Result<std::string> DataOrFile(const Object& body, const std::string& key,
                               const std::string& where) {
  std::string data = GetString(body, key + "-data");
  if (!data.empty()) {
    auto decoded = Base64Decode(data);
    if (!decoded.ok()) return decoded.status().WithContext(where + ": " + key + "-data");
    return decoded;
  }
  std::string file = GetString(body, key);
  if (file.empty()) return std::string();
  return ReadRef(where + " " + key, file);
}

Status FillCluster(const Object& cluster, const std::string& name, RestConfig* rc) {
  std::string where = "cluster \"" + name + "\"";
  rc->server = GetString(cluster, "server");
  if (rc->server.empty()) return InvalidArgument(where + " has no server");
  while (rc->server.size() > 1 && rc->server.back() == '/') rc->server.pop_back();
  if (!GetString(cluster, "proxy-url").empty()) {
    return Unimplemented(where + ": proxy-url is not supported by gitopsd");
  }
  ASSIGN_OR_RETURN(rc->tls.ca_pem, DataOrFile(cluster, "certificate-authority", where));
  const Object* insecure = FindPath(cluster, "insecure-skip-tls-verify");
  rc->tls.insecure_skip_verify = insecure != nullptr && insecure->is_boolean() && insecure->get<bool>();
  rc->tls.server_name = GetString(cluster, "tls-server-name");
  return Status::Ok();
}

Result<ExecConfig> ParseExec(const Object& exec, const std::string& where) {
  ExecConfig ec;
  ec.api_version = GetString(exec, "apiVersion");
  ec.command = GetString(exec, "command");
  if (ec.command.empty()) return InvalidArgument(where + ": exec has no command");
  if (ec.api_version != "client.authentication.k8s.io/v1" &&
      ec.api_version != "client.authentication.k8s.io/v1beta1") {
    return InvalidArgument(where + ": exec apiVersion \"" + ec.api_version +
                           "\" is not supported (use client.authentication.k8s.io/v1)");
  }
  if (const Object* args = FindPath(exec, "args"); args != nullptr && args->is_array()) {
    for (const auto& a : *args) ec.args.push_back(a.is_string() ? a.get<std::string>() : a.dump());
  }
  if (const Object* env = FindPath(exec, "env"); env != nullptr && env->is_array()) {
    for (const auto& e : *env) ec.env.emplace_back(GetString(e, "name"), GetString(e, "value"));
  }
  ec.install_hint = GetString(exec, "installHint");
  const Object* pci = FindPath(exec, "provideClusterInfo");
  ec.provide_cluster_info = pci != nullptr && pci->is_boolean() && pci->get<bool>();
  ec.interactive_mode = GetString(exec, "interactiveMode");
  return ec;
}

Status FillUser(const Object& user, const std::string& name, RestConfig* rc) {
  std::string where = "user \"" + name + "\"";
  if (FindPath(user, "auth-provider") != nullptr) {
    return Unimplemented(where + ": auth-provider plugins are not supported; use exec");
  }
  rc->bearer_token = GetString(user, "token");
  rc->token_file = GetString(user, "tokenFile");
  rc->username = GetString(user, "username");
  rc->password = GetString(user, "password");
  ASSIGN_OR_RETURN(rc->tls.client_cert_pem, DataOrFile(user, "client-certificate", where));
  ASSIGN_OR_RETURN(rc->tls.client_key_pem, DataOrFile(user, "client-key", where));
  if (rc->tls.client_cert_pem.empty() != rc->tls.client_key_pem.empty()) {
    return InvalidArgument(where + ": client-certificate and client-key must be given together");
  }
  if (const Object* exec = FindPath(user, "exec"); exec != nullptr && exec->is_object()) {
    ASSIGN_OR_RETURN(ExecConfig ec, ParseExec(*exec, where));
    rc->exec = std::move(ec);
  }
  return Status::Ok();
}

}  // namespace

Result<Kubeconfig> LoadKubeconfigFiles(const std::vector<std::string>& paths, bool must_exist) {
  Kubeconfig config;
  for (const std::string& raw : paths) {
    std::error_code ec;
    std::string file = fs::absolute(raw, ec).lexically_normal().string();
    if (!fs::exists(file, ec)) {
      if (must_exist) return NotFound("kubeconfig " + raw + " does not exist");
      continue;
    }
    ASSIGN_OR_RETURN(std::string text, ReadRef("kubeconfig", file));
    YamlReadOptions yopts;
    yopts.source_name = file;
    auto doc = ParseYaml(text, yopts);
    if (!doc.ok()) return doc.status().WithContext("loading kubeconfig");
    if (doc->is_null()) {
      config.files.push_back(file);
      continue;
    }
    if (!doc->is_object()) return InvalidArgument(file + ": a kubeconfig must be a mapping");
    RETURN_IF_ERROR(MergeSection(*doc, "clusters", "cluster", file, &config.clusters));
    RETURN_IF_ERROR(MergeSection(*doc, "users", "user", file, &config.users));
    RETURN_IF_ERROR(MergeSection(*doc, "contexts", "context", file, &config.contexts));
    if (config.current_context.empty()) config.current_context = GetString(*doc, "current-context");
    config.files.push_back(file);
  }
  return config;
}

Result<RestConfig> BuildRestConfig(const Kubeconfig& config, const std::string& context_override,
                                   const std::string& namespace_override) {
  std::string ctx_name = context_override.empty() ? config.current_context : context_override;
  std::string files;
  for (const auto& f : config.files) files += (files.empty() ? "" : ":") + f;
  if (ctx_name.empty()) {
    return InvalidArgument("kubeconfig " + files + ": no current-context set and no --context given");
  }
  auto ctx = config.contexts.find(ctx_name);
  if (ctx == config.contexts.end()) {
    return NotFound("kubeconfig " + files + ": context \"" + ctx_name + "\" does not exist");
  }
  RestConfig rc;
  rc.context_name = ctx_name;
  std::string cluster_name = GetString(ctx->second, "cluster");
  auto cluster = config.clusters.find(cluster_name);
  if (cluster == config.clusters.end()) {
    return NotFound("kubeconfig " + files + ": context \"" + ctx_name + "\" names cluster \"" +
                    cluster_name + "\", which does not exist");
  }
  RETURN_IF_ERROR(FillCluster(cluster->second, cluster_name, &rc));
  std::string user_name = GetString(ctx->second, "user");
  if (!user_name.empty()) {
    auto user = config.users.find(user_name);
    if (user == config.users.end()) {
      return NotFound("kubeconfig " + files + ": context \"" + ctx_name + "\" names user \"" +
                      user_name + "\", which does not exist");
    }
    RETURN_IF_ERROR(FillUser(user->second, user_name, &rc));
  }
  if (rc.exec) {
    rc.exec->cluster_info = {{"server", rc.server},
                             {"insecure-skip-tls-verify", rc.tls.insecure_skip_verify}};
    if (!rc.tls.server_name.empty()) rc.exec->cluster_info["tls-server-name"] = rc.tls.server_name;
  }
  std::string ns = GetString(ctx->second, "namespace");
  if (!namespace_override.empty()) ns = namespace_override;
  if (!ns.empty()) rc.namespace_ = ns;
  return rc;
}

Result<RestConfig> LoadRestConfig(const KubeconfigOptions& options) {
  std::vector<std::string> paths;
  bool must_exist = false;
  std::string env = options.kubeconfig_env ? *options.kubeconfig_env : Env("KUBECONFIG");
  std::string home = options.home ? *options.home : Env("HOME");
  if (!options.explicit_path.empty()) {
    paths.push_back(options.explicit_path);
    must_exist = true;
  } else if (!env.empty()) {
    paths = SplitList(env);
  } else if (!home.empty()) {
    paths.push_back(home + "/.kube/config");
  }
  ASSIGN_OR_RETURN(Kubeconfig config, LoadKubeconfigFiles(paths, must_exist));
  if (config.files.empty() && options.allow_in_cluster && !Env("KUBERNETES_SERVICE_HOST").empty()) {
    ASSIGN_OR_RETURN(RestConfig rc, InClusterConfig());
    if (!options.namespace_override.empty()) rc.namespace_ = options.namespace_override;
    return rc;
  }
  if (config.files.empty()) {
    return FailedPrecondition(
        "no kubeconfig found (tried --kubeconfig, $KUBECONFIG, ~/.kube/config) and not running "
        "in a cluster");
  }
  return BuildRestConfig(config, options.context, options.namespace_override);
}

Result<RestConfig> InClusterConfig(const InClusterOptions& options) {
  std::string host = options.service_host.empty() ? Env("KUBERNETES_SERVICE_HOST")
                                                  : options.service_host;
  std::string port = options.service_port.empty() ? Env("KUBERNETES_SERVICE_PORT")
                                                  : options.service_port;
  if (host.empty() || port.empty()) {
    return FailedPrecondition(
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
  }
  RestConfig rc;
  bool ipv6 = host.find(':') != std::string::npos;
  rc.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  rc.token_file = options.account_dir + "/token";
  ASSIGN_OR_RETURN(std::string token, ReadRef("service-account token", rc.token_file));
  (void)token;  // read once to fail early; re-read on every request
  ASSIGN_OR_RETURN(rc.tls.ca_pem, ReadRef("service-account CA", options.account_dir + "/ca.crt"));
  auto ns = net::ReadFileToString(options.account_dir + "/namespace");
  if (ns.ok()) {
    std::string value = *ns;
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
    if (!value.empty()) rc.namespace_ = value;
  }
  return rc;
}

Result<std::string> Base64Decode(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos || padding > 0) {
      return InvalidArgument("invalid base64 data");
    }
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if (padding > 2 || bits >= 6) return InvalidArgument("invalid base64 data");
  return out;
}

}  // namespace gitopsd::kube
