#include "diff/ignore.h"

#include <fnmatch.h>

#include "core/managed_fields.h"
#include "diff/internal/field_paths.h"
#include "diff/internal/json_pointer.h"

namespace gitopsd::diff {
namespace {

bool Glob(const std::string& pattern, const std::string& value) {
  if (pattern.empty() || pattern == "*") return true;
  return fnmatch(pattern.c_str(), value.c_str(), 0) == 0;
}

}  // namespace

bool IgnoreRule::Matches(const ResId& id) const {
  bool group_ok = !group.has_value() || *group == "*" || *group == id.group;
  return group_ok && Glob(kind, id.kind) && Glob(name, id.name) && Glob(namespace_, id.namespace_);
}

Result<std::vector<IgnoreRule>> ParseIgnoreRules(const Object& list) {
  std::vector<IgnoreRule> rules;
  if (list.is_null()) return rules;
  if (!list.is_array()) return InvalidArgument("ignoreDifferences: must be a list");
  for (size_t i = 0; i < list.size(); ++i) {
    const Object& r = list[i];
    std::string where = "ignoreDifferences[" + std::to_string(i) + "]";
    if (!r.is_object()) return InvalidArgument(where + ": must be a mapping");
    IgnoreRule rule;
    for (auto it = r.begin(); it != r.end(); ++it) {
      const std::string& k = it.key();
      if (k == "jqPathExpressions") {
        return Unimplemented(where + ".jqPathExpressions: not supported; use jsonPointers");
      }
      if (k == "group" || k == "kind" || k == "name" || k == "namespace") {
        if (!it->is_string()) return InvalidArgument(where + "." + k + ": must be a string");
        std::string v = it->get<std::string>();
        if (k == "group") rule.group = v;
        if (k == "kind") rule.kind = v;
        if (k == "name") rule.name = v;
        if (k == "namespace") rule.namespace_ = v;
      } else if (k == "jsonPointers" || k == "managedFieldsManagers") {
        if (!it->is_array()) return InvalidArgument(where + "." + k + ": must be a list");
        auto& out = k == "jsonPointers" ? rule.json_pointers : rule.managed_fields_managers;
        for (const auto& s : *it) {
          if (!s.is_string()) return InvalidArgument(where + "." + k + ": items must be strings");
          out.push_back(s.get<std::string>());
        }
      } else {
        return InvalidArgument(where + ": unknown field \"" + k + "\"");
      }
    }
    rules.push_back(std::move(rule));
  }
  RETURN_IF_ERROR(ValidateIgnoreRules(rules));
  return rules;
}

Status ValidateIgnoreRules(const std::vector<IgnoreRule>& rules) {
  for (size_t i = 0; i < rules.size(); ++i) {
    for (const auto& p : rules[i].json_pointers) {
      auto parsed = internal::ParsePointer(p);
      if (!parsed.ok()) {
        return parsed.status().WithContext("ignoreDifferences[" + std::to_string(i) + "]");
      }
    }
  }
  return Status::Ok();
}

Status ApplyIgnoreRules(const std::vector<IgnoreRule>& rules, const ResId& id,
                        const Object& live_raw, Object& desired, Object& live) {
  for (const IgnoreRule& rule : rules) {
    if (!rule.Matches(id)) continue;
    for (const auto& p : rule.json_pointers) {
      ASSIGN_OR_RETURN(auto tokens, internal::ParsePointer(p));
      if (tokens.empty()) continue;  // "" would ignore the whole object: not meaningful
      if (!desired.is_null()) internal::RemoveAt(desired, tokens);
      if (!live.is_null()) internal::RemoveAt(live, tokens);
    }
    for (const auto& manager : rule.managed_fields_managers) {
      auto leaves = internal::OwnedLeaves(live_raw, manager, /*apply_only=*/false);
      if (!leaves.ok()) {
        return leaves.status().WithContext(id.ToString() + ": managedFields of \"" + manager + "\"");
      }
      for (const FieldPath& path : *leaves) {
        if (!desired.is_null()) internal::RemoveFieldPath(desired, path);
        if (!live.is_null()) internal::RemoveFieldPath(live, path);
      }
    }
  }
  return Status::Ok();
}

}  // namespace gitopsd::diff
