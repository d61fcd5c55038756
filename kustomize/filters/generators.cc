// configMapGenerator / secretGenerator: builds ConfigMaps and Secrets from
// literals, files and env files, and merges them into the resources with
// the create / merge / replace behaviors.
#include <algorithm>
#include <set>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80) {
      n = 0;
    } else if ((c >> 5) == 0x6) {
      n = 1;
    } else if ((c >> 4) == 0xE) {
      n = 2;
    } else if ((c >> 3) == 0x1E) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size() && n > 0) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n + 1;
  }
  return true;
}

std::string Base64(std::string_view in) {
  static const char* kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kTable[(v >> s) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kTable[(v >> 18) & 63]);
    out.push_back(kTable[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kTable[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// kyaml's encodeBase64: an encoding of 70 characters or more is cut into
// lines of 70, each ending in a newline (printed as a literal block).
std::string WrappedBase64(std::string_view in) {
  constexpr size_t kLine = 70;
  std::string enc = Base64(in);
  if (enc.size() < kLine) return enc;
  std::string out;
  out.reserve(enc.size() + enc.size() / kLine + 1);
  for (size_t i = 0; i < enc.size(); i += kLine) {
    out.append(enc, i, kLine);
    out.push_back('\n');
  }
  return out;
}

bool ValidConfigMapKey(const std::string& k) {
  if (k.empty() || k.size() > 253 || k == "." || k == ".." || k.rfind("..", 0) == 0) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool ValidEnvName(const std::string& k) {
  if (k.empty() || isdigit(static_cast<unsigned char>(k[0]))) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

std::string RemoveQuotes(const std::string& s) {
  if (s.size() < 2 || s.front() != s.back()) return s;
  if (s.front() == '"' || s.front() == '\'') return s.substr(1, s.size() - 2);
  return s;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

Result<std::vector<std::string>> StringList(const Object& args, const char* field,
                                            const std::string& what) {
  std::vector<std::string> out;
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) return out;
  if (!it->is_array()) return InvalidArgument(what + ": " + field + " must be a list of strings");
  for (const Object& e : *it) {
    if (!e.is_string()) return InvalidArgument(what + ": " + field + " must be a list of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

Status EnvPairs(const std::string& content, const std::string& file, Pairs& out) {
  size_t pos = 0;
  int line_no = 0;
  while (pos <= content.size()) {
    size_t nl = content.find('\n', pos);
    std::string line = content.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? content.size() + 1 : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    if (!ValidUtf8(line)) {
      return InvalidArgument(file + ": line " + std::to_string(line_no) + " has invalid utf8 bytes");
    }
    size_t start = line.find_first_not_of(" \t\v\f\r");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    size_t eq = line.find('=');
    std::string key = line.substr(0, eq);
    if (!ValidEnvName(key)) {
      return InvalidArgument(file + ": line " + std::to_string(line_no) + ": \"" + key +
                             "\" is not a valid environment variable name");
    }
    out.emplace_back(key, eq == std::string::npos ? "" : line.substr(eq + 1));
  }
  return Status::Ok();
}

Result<Pairs> LoadPairs(const Object& args, const Loader& loader, const std::string& what) {
  Pairs pairs;
  ASSIGN_OR_RETURN(auto envs, StringList(args, "envs", what));
  for (const std::string& env : envs) {
    ASSIGN_OR_RETURN(std::string content, loader.Load(env));
    RETURN_IF_ERROR(EnvPairs(content, env, pairs).WithContext(what));
  }
  ASSIGN_OR_RETURN(auto literals, StringList(args, "literals", what));
  for (const std::string& lit : literals) {
    size_t eq = lit.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgument(what + ": invalid literal source " + lit + ", expected key=value");
    }
    pairs.emplace_back(lit.substr(0, eq), RemoveQuotes(lit.substr(eq + 1)));
  }
  ASSIGN_OR_RETURN(auto files, StringList(args, "files", what));
  for (const std::string& src : files) {
    size_t n = std::count(src.begin(), src.end(), '=');
    std::string key, file;
    if (n == 0) {
      key = path::Base(src);
      file = src;
    } else if (n == 1 && src.front() == '=') {
      return InvalidArgument(what + ": missing key name for file path in source \"" + src + "\"");
    } else if (n == 1 && src.back() == '=') {
      return InvalidArgument(what + ": missing file path for key name in source \"" + src + "\"");
    } else if (n > 1) {
      return InvalidArgument(what + ": source \"" + src + "\" key name or file path contains '='");
    } else {
      size_t eq = src.find('=');
      key = src.substr(0, eq);
      file = src.substr(eq + 1);
    }
    auto content = loader.Load(file);
    if (!content.ok()) return content.status().WithContext(what);
    pairs.emplace_back(key, std::move(*content));
  }
  return pairs;
}

Result<GenBehavior> ParseBehavior(const std::string& b, const std::string& what) {
  if (b.empty()) return GenBehavior::kUnspecified;
  if (b == "create") return GenBehavior::kCreate;
  if (b == "merge") return GenBehavior::kMerge;
  if (b == "replace") return GenBehavior::kReplace;
  return InvalidArgument(what + ": unknown generator behavior \"" + b + "\"");
}

StringMap MergeMaps(const StringMap& base, const StringMap& over) {
  StringMap out = base;
  for (const auto& [k, v] : over) out[k] = v;
  return out;
}

void MergeDataField(Object& into, const Object& old, const char* field) {
  auto o = old.find(field);
  if (o == old.end() || !o->is_object() || o->empty()) return;
  Object merged = *o;
  auto n = into.find(field);
  if (n != into.end() && n->is_object()) {
    for (auto it = n->begin(); it != n->end(); ++it) merged[it.key()] = it.value();
  }
  into[field] = std::move(merged);
}

Object MapToObject(const Object* existing, const StringMap& m) {
  Object out = Object::object();
  (void)existing;
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

StringMap ObjectToMap(const Object& meta, const char* field) {
  StringMap m;
  auto it = meta.find(field);
  if (it == meta.end() || !it->is_object()) return m;
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (e->is_string()) m[e.key()] = e->get<std::string>();
  }
  return m;
}

// Kustomize's CopyMergeMetaDataFieldsFrom: `res` takes `old`'s identity and
// the union of both label/annotation sets (res wins on conflicts).
void CopyMergeMetadata(Resource& res, const Resource& old) {
  const Object& old_meta = old.obj.contains("metadata") ? old.obj["metadata"] : Object();
  Object& meta = res.obj["metadata"];
  for (const char* field : {"labels", "annotations"}) {
    StringMap merged = MergeMaps(ObjectToMap(old_meta, field), ObjectToMap(meta, field));
    if (merged.empty()) {
      meta.erase(field);
    } else {
      meta[field] = MapToObject(nullptr, merged);
    }
  }
  res.SetName(old.Name());
  res.SetNamespace(old.Namespace());
  res.prev_ids = old.prev_ids;
  res.name_prefixes = old.name_prefixes;
  res.name_suffixes = old.name_suffixes;
  res.behavior = old.behavior;
  res.needs_hash = res.needs_hash && old.needs_hash;
  res.ref_var_names = old.ref_var_names;
}

}  // namespace

Result<GeneratorOptions> ParseGeneratorOptions(const Object& raw, const std::string& what) {
  GeneratorOptions o;
  if (raw.is_null()) return o;
  if (!raw.is_object()) return InvalidArgument(what + ": generator options must be a mapping");
  Object v = FoldKeys(raw, {"labels", "annotations", "disableNameSuffixHash", "immutable"});
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    if (k == "labels") {
      ASSIGN_OR_RETURN(o.labels, ToStringMap(*it, what + ": labels"));
    } else if (k == "annotations") {
      ASSIGN_OR_RETURN(o.annotations, ToStringMap(*it, what + ": annotations"));
    } else if (k == "disableNameSuffixHash" || k == "immutable") {
      if (!it->is_boolean()) return InvalidArgument(what + ": " + k + " must be true or false");
      (k == "immutable" ? o.immutable : o.disable_name_suffix_hash) = it->get<bool>();
    } else {
      return InvalidArgument(what + ": unknown generator option \"" + k + "\"");
    }
  }
  return o;
}

GeneratorOptions MergeOptions(const std::optional<GeneratorOptions>& local,
                              const std::optional<GeneratorOptions>& global) {
  GeneratorOptions out = local.value_or(GeneratorOptions{});
  if (!global) return out;
  for (const auto& [k, v] : global->labels) out.labels.emplace(k, v);
  for (const auto& [k, v] : global->annotations) out.annotations.emplace(k, v);
  if (global->disable_name_suffix_hash) out.disable_name_suffix_hash = true;
  if (global->immutable) out.immutable = true;
  return out;
}

Result<Resource> GenerateConfigMapOrSecret(const std::string& kind, const Object& raw,
                                           const std::optional<GeneratorOptions>& global,
                                           const Loader& loader, bool strict) {
  std::string what = (kind == "Secret" ? "secretGenerator" : "configMapGenerator");
  if (!raw.is_object()) return InvalidArgument(what + ": an entry must be a mapping");
  Object args = FoldKeys(raw, {"name", "namespace", "behavior", "literals", "files", "envs",
                               "env", "options", "type"});
  static const std::set<std::string> kKnown = {"name", "namespace", "behavior", "literals",
                                               "files", "envs", "env", "options", "type"};
  for (auto it = args.begin(); strict && it != args.end(); ++it) {
    if (!kKnown.count(it.key())) return InvalidArgument(what + ": unknown field \"" + it.key() + "\"");
  }
  std::string name = args.value("name", "");
  if (name.empty() && args.contains("metadata")) name = GetString(args, "metadata.name");
  if (name.empty()) return InvalidArgument(what + ": a " + kind + " generator must have a name");
  what += " \"" + name + "\"";
  std::string ns = args.value("namespace", "");
  if (ns.empty() && args.contains("metadata")) ns = GetString(args, "metadata.namespace");
  Resource res;
  ASSIGN_OR_RETURN(res.behavior, ParseBehavior(args.value("behavior", ""), what));
  std::optional<GeneratorOptions> local;
  if (args.contains("options")) {
    ASSIGN_OR_RETURN(local, ParseGeneratorOptions(args["options"], what + ": options"));
  }
  GeneratorOptions opts = MergeOptions(local, global);
  ASSIGN_OR_RETURN(Pairs pairs, LoadPairs(args, loader, what));

  Object obj = Object::object();
  obj["apiVersion"] = "v1";
  obj["kind"] = kind;
  obj["metadata"]["name"] = name;
  if (!ns.empty()) obj["metadata"]["namespace"] = ns;
  if (kind == "Secret") obj["type"] = args.value("type", "Opaque");
  std::map<std::string, std::string> data;
  for (auto& [k, v] : pairs) {
    if (!ValidConfigMapKey(k)) {
      return InvalidArgument(what + ": \"" + k + "\" is not a valid key name: a valid config key "
                             "must consist of alphanumeric characters, '-', '_' or '.'");
    }
    if (!data.emplace(k, v).second) {
      return InvalidArgument(what + ": " + (kind == "Secret" ? "secret " : "configmap ") + name +
                             " illegally repeats the key `" + k + "`");
    }
  }
  for (const auto& [k, v] : data) {
    if (kind == "Secret") {
      obj["data"][k] = WrappedBase64(v);
    } else if (ValidUtf8(v)) {
      obj["data"][k] = v;
    } else {
      obj["binaryData"][k] = WrappedBase64(v);
    }
  }
  for (const auto& [k, v] : opts.labels) obj["metadata"]["labels"][k] = v;
  for (const auto& [k, v] : opts.annotations) obj["metadata"]["annotations"][k] = v;
  if (opts.immutable) obj["immutable"] = true;
  res.obj = std::move(obj);
  res.needs_hash = !opts.disable_name_suffix_hash;
  res.source = what;
  return res;
}

Status AbsorbGenerated(ResourceList& list, Resource res) {
  ResId id = res.CurId();
  std::vector<int> matches = FindByAnyId(list, id);
  if (matches.empty()) {
    if (res.behavior == GenBehavior::kMerge || res.behavior == GenBehavior::kReplace) {
      return NotFound("id " + IdString(id) + " does not exist; cannot merge or replace");
    }
    return AppendUnique(list, std::move(res));
  }
  if (matches.size() > 1) {
    return Conflict("found multiple objects that could accept merge of " + IdString(id));
  }
  Resource& old = list[static_cast<size_t>(matches[0])];
  switch (res.behavior) {
    case GenBehavior::kReplace:
      CopyMergeMetadata(res, old);
      break;
    case GenBehavior::kMerge: {
      const Object* origin = FindPath(old.obj, "metadata.annotations");
      Object old_origin;
      if (origin && origin->is_object() && origin->contains("config.kubernetes.io/origin")) {
        old_origin = (*origin)["config.kubernetes.io/origin"];
      }
      CopyMergeMetadata(res, old);
      MergeDataField(res.obj, old.obj, "data");
      MergeDataField(res.obj, old.obj, "binaryData");
      if (!old_origin.is_null()) {
        res.obj["metadata"]["annotations"]["config.kubernetes.io/origin"] = old_origin;
      }
      break;
    }
    default:
      return AlreadyExists("id " + IdString(id) + " exists; behavior must be merge or replace");
  }
  old = std::move(res);
  return Status::Ok();
}

}  // namespace gitopsd::kustomize
