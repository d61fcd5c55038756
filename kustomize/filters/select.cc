#include "kustomize/filters/select.h"

#include <optional>
#include <regex>

namespace gitopsd::kustomize {
namespace {

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

// Splits on commas outside parentheses.
std::vector<std::string> SplitTerms(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!Trim(cur).empty() || !out.empty()) out.push_back(Trim(cur));
  return out;
}

std::optional<std::string> Label(const Object& labels, const std::string& key) {
  if (!labels.is_object()) return std::nullopt;
  auto it = labels.find(key);
  if (it == labels.end()) return std::nullopt;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

Result<bool> MatchTerm(const std::string& term, const Object& labels) {
  if (term.empty()) return InvalidArgument("empty label selector term");
  static const std::regex kSet(R"(^([^\s!=]+)\s+(in|notin)\s*\((.*)\)$)");
  std::smatch m;
  if (std::regex_match(term, m, kSet)) {
    std::string key = m[1].str();
    bool in = m[2].str() == "in";
    std::vector<std::string> values;
    for (const std::string& v : SplitTerms(m[3].str())) values.push_back(v);
    auto have = Label(labels, key);
    bool member = have && std::find(values.begin(), values.end(), *have) != values.end();
    return in ? member : !member;
  }
  if (term[0] == '!') return !Label(labels, Trim(term.substr(1))).has_value();
  size_t ne = term.find("!=");
  if (ne != std::string::npos) {
    auto have = Label(labels, Trim(term.substr(0, ne)));
    return !have || *have != Trim(term.substr(ne + 2));
  }
  size_t eq = term.find('=');
  if (eq != std::string::npos) {
    size_t vstart = eq + 1;
    if (vstart < term.size() && term[vstart] == '=') ++vstart;
    auto have = Label(labels, Trim(term.substr(0, eq)));
    return have && *have == Trim(term.substr(vstart));
  }
  return Label(labels, term).has_value();
}

// An anchored pattern; plain text (the common case) is compared without a
// regex engine.
struct Pattern {
  std::string literal;
  std::optional<std::regex> rx;
};

struct Compiled {
  std::optional<Pattern> group, version, kind, name, ns;
  std::string labels, annotations;
};

Result<std::optional<Pattern>> Rx(const Object& sel, const char* field) {
  auto it = sel.find(field);
  if (it == sel.end() || it->is_null()) return std::optional<Pattern>();
  if (!it->is_string()) return InvalidArgument(std::string("selector field ") + field + " must be a string");
  std::string p = it->get<std::string>();
  if (p.empty()) return std::optional<Pattern>();
  Pattern pat;
  if (p.find_first_of("\\^$.|?*+()[]{}") == std::string::npos) {
    pat.literal = p;
    return std::optional<Pattern>(std::move(pat));
  }
  try {
    pat.rx.emplace("^(?:" + p + ")$");
    return std::optional<Pattern>(std::move(pat));
  } catch (const std::regex_error&) {
    return InvalidArgument(std::string("selector field ") + field + ": invalid regular expression \"" + p + "\"");
  }
}

bool Match(const std::optional<Pattern>& p, const std::string& s) {
  if (!p) return true;
  return p->rx ? std::regex_match(s, *p->rx) : s == p->literal;
}

}  // namespace

Result<bool> MatchesSelectorString(const std::string& selector, const Object& labels) {
  for (const std::string& term : SplitTerms(selector)) {
    ASSIGN_OR_RETURN(bool ok, MatchTerm(term, labels));
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<size_t>> SelectResources(const ResourceList& list, const Object& sel) {
  if (!sel.is_object()) return InvalidArgument("a patch target must be a mapping");
  static const char* kKnown[] = {"group", "version", "kind", "name", "namespace",
                                 "labelSelector", "annotationSelector"};
  for (auto it = sel.begin(); it != sel.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known) return InvalidArgument("unknown field \"" + it.key() + "\" in patch target");
  }
  Compiled c;
  ASSIGN_OR_RETURN(c.group, Rx(sel, "group"));
  ASSIGN_OR_RETURN(c.version, Rx(sel, "version"));
  ASSIGN_OR_RETURN(c.kind, Rx(sel, "kind"));
  ASSIGN_OR_RETURN(c.name, Rx(sel, "name"));
  ASSIGN_OR_RETURN(c.ns, Rx(sel, "namespace"));
  c.labels = sel.value("labelSelector", "");
  c.annotations = sel.value("annotationSelector", "");
  std::vector<size_t> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const Resource& r = list[i];
    if (!r.obj.is_object()) continue;
    ResId cur = r.CurId();
    ResId org = r.OrgId();
    if (c.ns && !Match(c.ns, EffectiveNamespace(org)) && !Match(c.ns, EffectiveNamespace(cur))) continue;
    if (c.name && !Match(c.name, org.name) && !Match(c.name, cur.name)) continue;
    if (!Match(c.group, cur.group) || !Match(c.version, cur.version) || !Match(c.kind, cur.kind)) {
      continue;
    }
    const Object* meta = FindPath(r.obj, "metadata");
    if (!c.labels.empty()) {
      const Object* l = meta ? FindPath(*meta, "labels") : nullptr;
      ASSIGN_OR_RETURN(bool ok, MatchesSelectorString(c.labels, l ? *l : Object()));
      if (!ok) continue;
    }
    if (!c.annotations.empty()) {
      const Object* a = meta ? FindPath(*meta, "annotations") : nullptr;
      ASSIGN_OR_RETURN(bool ok, MatchesSelectorString(c.annotations, a ? *a : Object()));
      if (!ok) continue;
    }
    out.push_back(i);
  }
  return out;
}

}  // namespace gitopsd::kustomize
