// Name references: after prefixes, suffixes, namespaces and hashes renamed
// objects, every field that names one of them (a ConfigMap volume, a
// RoleBinding's roleRef and subjects, an HPA's scaleTargetRef, ...) is
// rewritten to the new name, following Kustomize's candidate sieve:
// previous name, target kind, roleRef kind, namespace, then name
// prefixes/suffixes. Candidates are indexed by previous name, so the pass
// is linear in the number of references.
#include <unordered_map>
#include <unordered_set>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

struct Info {
  ResId cur;
  std::string eff_ns;
  bool cluster = false;
};

bool SameEndingSubSlice(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shortest = a.size() <= b.size() ? a : b;
  const auto& longest = a.size() <= b.size() ? b : a;
  size_t diff = longest.size() - shortest.size();
  if (shortest.empty()) return diff == 0;
  for (size_t i = shortest.size(); i-- > 0;) {
    if (longest[i + diff] != shortest[i]) return false;
  }
  return true;
}

bool AffixesEqual(const Resource& r, const Resource& o, bool allow_empty) {
  if (allow_empty) {
    bool pre_empty = r.name_prefixes.empty() || o.name_prefixes.empty();
    bool suf_empty = r.name_suffixes.empty() || o.name_suffixes.empty();
    return (pre_empty || SameEndingSubSlice(r.name_prefixes, o.name_prefixes)) &&
           (suf_empty || SameEndingSubSlice(r.name_suffixes, o.name_suffixes));
  }
  return SameEndingSubSlice(r.name_prefixes, o.name_prefixes) &&
         SameEndingSubSlice(r.name_suffixes, o.name_suffixes);
}

class NameRefPass {
 public:
  NameRefPass(ResourceList& list) : list_(list) {
    info_.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      Info in;
      in.cur = list[i].CurId();
      in.cluster = IsClusterScoped(in.cur.group, in.cur.version, in.cur.kind);
      in.eff_ns = EffectiveNamespace(in.cur);
      info_.push_back(std::move(in));
      std::unordered_set<std::string> names;
      for (const ResId& p : list[i].prev_ids) {
        if (names.insert(p.name).second) by_prev_name_[p.name].push_back(i);
      }
    }
  }

  Status Run(const TransformerConfig& config) {
    for (size_t i = 0; i < list_.size(); ++i) {
      if (!list_[i].obj.is_object()) continue;
      ResId org = list_[i].OrgId();
      referrer_ = i;
      if (!info_[i].cluster) {
        ASSIGN_OR_RETURN(rb_namespaces_, RoleBindingNamespaces(list_[i].obj, info_[i].cur));
      } else {
        rb_namespaces_.clear();
      }
      for (const NameBackRef& ref : config.name_reference) {
        for (const FieldSpec& fs : ref.referrers) {
          if (!fs.gvk.Selects(org)) continue;
          target_ = &ref.target;
          spec_ = &fs;
          Status st = ApplyFieldSpec(list_[i].obj, fs, LeafKind::kNone,
                                     [this](Object& n) { return Set(n); });
          if (!st.ok()) {
            return st.WithContext("updating name reference in '" + fs.path + "' field of '" +
                                  IdString(info_[i].cur) + "'");
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  // Namespaces of a RoleBinding's ServiceAccount subjects: objects there may
  // be referenced too.
  static Result<std::unordered_set<std::string>> RoleBindingNamespaces(const Object& obj,
                                                                       const ResId& id) {
    std::unordered_set<std::string> out;
    if (id.kind != "RoleBinding") return out;
    auto it = obj.find("subjects");
    if (it == obj.end() || !it->is_array()) return out;
    for (const Object& s : *it) {
      if (!s.is_object() || !s.contains("namespace") || !s.contains("kind")) continue;
      if (s["kind"] != "ServiceAccount") continue;
      if (!s["namespace"].is_string()) {
        return InvalidArgument("Invalid Input: namespace is blank for resource \"" + IdString(id) + "\"");
      }
      out.insert(s["namespace"].get<std::string>());
    }
    return out;
  }

  // SubsetThatCouldBeReferencedByResource + the name sieves.
  std::vector<size_t> Candidates(const std::string& old_name) const {
    std::vector<size_t> out;
    auto it = by_prev_name_.find(old_name);
    if (it == by_prev_name_.end()) return out;
    const Info& ref = info_[referrer_];
    for (size_t c : it->second) {
      const Info& ci = info_[c];
      if (!ref.cluster && !ci.cluster && ci.eff_ns != ref.eff_ns &&
          !rb_namespaces_.count(ci.cur.namespace_)) {
        continue;
      }
      if (!PrevSelected(c, *target_)) continue;
      if (!RoleRefOk(c)) continue;
      if (!ref.cluster && !ci.cluster && ci.cur.kind != "ServiceAccount" && ci.eff_ns != ref.eff_ns) {
        continue;
      }
      out.push_back(c);
    }
    return out;
  }

  bool PrevSelected(size_t c, const Gvk& gvk) const {
    for (const ResId& p : list_[c].prev_ids) {
      if (gvk.Selects(p)) return true;
    }
    return false;
  }

  bool RoleRefOk(size_t c) const {
    const std::string& p = spec_->path;
    if (p.size() < 12 || p.compare(p.size() - 12, 12, "roleRef/name") != 0) return true;
    const Object& obj = list_[referrer_].obj;
    auto rr = obj.find("roleRef");
    if (rr == obj.end() || !rr->is_object() || !rr->contains("apiGroup") || !rr->contains("kind")) {
      return true;
    }
    Gvk gvk;
    gvk.group = (*rr)["apiGroup"].is_string() ? (*rr)["apiGroup"].get<std::string>() : "";
    gvk.kind = (*rr)["kind"].is_string() ? (*rr)["kind"].get<std::string>() : "";
    return PrevSelected(c, gvk);
  }

  Result<int> Select(std::vector<size_t> cands, bool compare_namespaces) const {
    if (cands.size() == 1) return static_cast<int>(cands[0]);
    const Resource& referrer = list_[referrer_];
    std::vector<size_t> sieved;
    for (size_t c : cands) {
      if (AffixesEqual(list_[c], referrer, true)) sieved.push_back(c);
    }
    if (sieved.size() > 1) {
      std::vector<size_t> strict;
      for (size_t c : sieved) {
        if (AffixesEqual(list_[c], referrer, false)) strict.push_back(c);
      }
      sieved = std::move(strict);
    }
    if (sieved.size() == 1) return static_cast<int>(sieved[0]);
    if (sieved.empty()) return -1;
    bool identical = true;
    for (size_t c : sieved) {
      identical = identical && info_[c].cur.name == info_[sieved[0]].cur.name &&
                  (!compare_namespaces || info_[c].cur.namespace_ == info_[sieved[0]].cur.namespace_);
    }
    if (identical) return static_cast<int>(sieved[0]);
    std::string ids;
    for (size_t c : sieved) ids += (ids.empty() ? "" : ", ") + IdString(info_[c].cur);
    return Conflict("found multiple possible referrals: " + ids);
  }

  Status SetScalar(Object& n) {
    if (!n.is_string()) return Status::Ok();
    ASSIGN_OR_RETURN(int pick, Select(Candidates(n.get<std::string>()), false));
    if (pick >= 0) n = info_[static_cast<size_t>(pick)].cur.name;
    return Status::Ok();
  }

  Status SetMapping(Object& n) {
    auto name_it = n.find("name");
    if (name_it == n.end()) return InvalidArgument("path config error; no 'name' field in node");
    if (!name_it->is_string()) return Status::Ok();
    std::string old_name = name_it->get<std::string>();
    std::vector<size_t> cands = Candidates(old_name);
    auto ns_it = n.find("namespace");
    if (ns_it != n.end() && ns_it->is_string()) {
      std::string ns = ns_it->get<std::string>();
      std::vector<size_t> by_org, by_cur;
      for (size_t c : cands) {
        if (info_[c].cluster) continue;
        ResId org = list_[c].OrgId();
        if (EffectiveNamespace(org) == ns) by_org.push_back(c);
        if (info_[c].eff_ns == ns) by_cur.push_back(c);
      }
      bool any_org = false;
      for (size_t i = 0; i < list_.size() && !any_org; ++i) {
        any_org = !info_[i].cluster && EffectiveNamespace(list_[i].OrgId()) == ns;
      }
      cands = any_org ? by_org : by_cur;
    }
    ASSIGN_OR_RETURN(int pick, Select(cands, true));
    if (pick < 0) return Status::Ok();
    const ResId& target = info_[static_cast<size_t>(pick)].cur;
    if (target.name == old_name && target.namespace_.empty()) return Status::Ok();
    n["name"] = target.name;
    if (!target.namespace_.empty()) n["namespace"] = target.namespace_;
    return Status::Ok();
  }

  Status Set(Object& n) {
    if (n.is_string()) return SetScalar(n);
    if (n.is_object()) return SetMapping(n);
    if (n.is_array()) {
      for (Object& el : n) {
        if (el.is_string()) {
          RETURN_IF_ERROR(SetScalar(el));
        } else if (el.is_object()) {
          RETURN_IF_ERROR(SetMapping(el));
        }
      }
    }
    return Status::Ok();
  }

  ResourceList& list_;
  std::vector<Info> info_;
  std::unordered_map<std::string, std::vector<size_t>> by_prev_name_;
  size_t referrer_ = 0;
  std::unordered_set<std::string> rb_namespaces_;
  const Gvk* target_ = nullptr;
  const FieldSpec* spec_ = nullptr;
};

}  // namespace

Status FixNameReferences(ResourceList& list, const TransformerConfig& config) {
  NameRefPass pass(list);
  return pass.Run(config);
}

}  // namespace gitopsd::kustomize
