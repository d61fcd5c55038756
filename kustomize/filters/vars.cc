// Legacy vars: `$(NAME)` in the varReference fields is replaced by a field
// of the object the var points at (after all renames).
#include <algorithm>
#include <map>
#include <regex>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

// Splits "a.b[c.d=e].f[0]" on dots outside brackets, and "f[0]" into "f","0".
std::vector<std::string> SplitFieldPath(const std::string& p) {
  std::vector<std::string> raw;
  std::string cur;
  int depth = 0;
  for (char c : p) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == '.' && depth == 0) {
      raw.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  raw.push_back(cur);
  std::vector<std::string> out;
  static const std::regex kIndex(R"(^(.*)\[(\d+)\]$)");
  for (const std::string& s : raw) {
    std::smatch m;
    if (!s.empty() && s.back() == ']' && std::regex_match(s, m, kIndex)) {
      if (!m[1].str().empty()) out.push_back(m[1].str());
      out.push_back(m[2].str());
    } else {
      out.push_back(s);
    }
  }
  return out;
}

const Object* Lookup(const Object& root, const std::vector<std::string>& fields) {
  const Object* cur = &root;
  for (const std::string& f : fields) {
    if (cur->is_object()) {
      auto it = cur->find(f);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      if (f.size() > 2 && f.front() == '[' && f.back() == ']') {
        std::string inner = f.substr(1, f.size() - 2);
        size_t eq = inner.find('=');
        if (eq == std::string::npos) return nullptr;
        std::string k = inner.substr(0, eq), v = inner.substr(eq + 1);
        const Object* found = nullptr;
        for (const Object& el : *cur) {
          if (el.is_object() && el.contains(k) && el[k].is_string() && el[k].get<std::string>() == v) {
            found = &el;
            break;
          }
        }
        if (!found) return nullptr;
        cur = found;
      } else if (!f.empty() && std::all_of(f.begin(), f.end(), ::isdigit)) {
        size_t i = std::stoul(f);
        if (i >= cur->size()) return nullptr;
        cur = &(*cur)[i];
      } else {
        return nullptr;
      }
    } else {
      return nullptr;
    }
  }
  return cur;
}

std::string ToText(const Object& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

// Kubernetes-style $(VAR) expansion; "$$" escapes a dollar. A string that is
// exactly "$(VAR)" takes the var's value with its type.
Object Expand(const std::string& in, const std::map<std::string, Object>& vars) {
  std::string out;
  size_t checkpoint = 0;
  for (size_t cur = 0; cur < in.size(); ++cur) {
    if (in[cur] != '$' || cur + 1 >= in.size()) continue;
    out.append(in, checkpoint, cur - checkpoint);
    char next = in[cur + 1];
    size_t advance = 1;
    if (next == '$') {
      out.push_back('$');
    } else if (next == '(') {
      size_t close = in.find(')', cur + 2);
      if (close == std::string::npos) {
        out += "$(";
      } else {
        std::string name = in.substr(cur + 2, close - cur - 2);
        advance = close - cur;
        auto it = vars.find(name);
        bool primitive = it != vars.end() && !it->second.is_object() && !it->second.is_array() &&
                         !it->second.is_null();
        if (in.size() == name.size() + 3) {
          return primitive ? it->second : Object("$(" + name + ")");
        }
        out += primitive ? ToText(it->second) : "$(" + name + ")";
      }
    } else {
      out.push_back('$');
      out.push_back(next);
    }
    cur += advance;
    checkpoint = cur + 1;
  }
  if (checkpoint < in.size()) out.append(in, checkpoint, std::string::npos);
  return out;
}

}  // namespace

Result<Var> ParseVar(const Object& v, const std::string& what) {
  if (!v.is_object()) return InvalidArgument(what + ": a var must be a mapping");
  Var out;
  out.name = v.value("name", "");
  if (out.name.empty()) return InvalidArgument(what + ": a var must have a name");
  if (v.contains("objref")) out.obj_ref = v["objref"];
  if (!out.obj_ref.is_object()) return InvalidArgument(what + ": var \"" + out.name + "\" needs an objref");
  if (v.contains("fieldref") && v["fieldref"].is_object()) {
    std::string fp = v["fieldref"].value("fieldpath", v["fieldref"].value("fieldPath", ""));
    if (!fp.empty()) out.field_path = fp;
  }
  return out;
}

Status ResolveVars(ResourceList& list, const std::vector<Var>& vars, const FieldSpecs& specs) {
  std::map<std::string, Object> values;
  for (const Var& v : vars) {
    const Resource* holder = nullptr;
    for (const Resource& r : list) {
      for (const std::string& n : r.ref_var_names) {
        if (n == v.name) holder = &r;
      }
      if (holder) break;
    }
    if (!holder) {
      return NotFound("var '" + v.name + "' cannot be mapped to a field in the set of known resources");
    }
    const Object* val = Lookup(holder->obj, SplitFieldPath(v.field_path));
    if (!val) {
      return NotFound("field specified in var '" + v.name + "' (" + v.field_path +
                      ") not found in corresponding resource");
    }
    values[v.name] = *val;
  }
  if (values.empty()) return Status::Ok();
  auto set = [&values](Object& n) -> Status {
    if (n.is_string()) {
      n = Expand(n.get<std::string>(), values);
    } else if (n.is_object()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        if (it->is_string()) it.value() = Expand(it->get<std::string>(), values);
      }
    } else if (n.is_array()) {
      for (Object& el : n) {
        if (!el.is_string()) return InvalidArgument("invalid value type expect a string");
        el = Expand(el.get<std::string>(), values);
      }
    }
    return Status::Ok();
  };
  for (Resource& r : list) {
    if (!r.obj.is_object()) continue;
    ResId org = r.OrgId();
    for (const FieldSpec& fs : specs) {
      if (!fs.gvk.Selects(org)) continue;
      RETURN_IF_ERROR(ApplyFieldSpec(r.obj, fs, LeafKind::kNone, set));
    }
  }
  return Status::Ok();
}

}  // namespace gitopsd::kustomize
