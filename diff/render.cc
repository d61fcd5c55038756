#include "diff/render.h"

#include "core/yaml.h"
#include "diff/internal/line_diff.h"

namespace gitopsd::diff {
namespace {

std::string YamlOf(const Object& obj) { return obj.is_null() ? std::string() : WriteYaml(obj); }

}  // namespace

std::string DiffFileName(const ResId& id) {
  std::string s = id.ApiVersion() + "/" + id.kind + "/";
  if (!id.namespace_.empty()) s += id.namespace_ + "/";
  return s + id.name;
}

std::string RenderUnified(const ObjectDiff& diff, const RenderOptions& options) {
  if (!diff.HasChanges()) return "";
  std::string old_text = YamlOf(diff.live);
  std::string new_text = YamlOf(diff.predicted);
  std::string hunks = internal::UnifiedHunks(internal::SplitLines(old_text),
                                             internal::SplitLines(new_text), options.context_lines);
  if (hunks.empty()) return "";  // equal text (only possible if YAML hides a difference)
  std::string name = DiffFileName(diff.id);
  return "--- " + options.old_label + "/" + name + "\n+++ " + options.new_label + "/" + name +
         "\n" + hunks;
}

std::string RenderUnified(const std::vector<ObjectDiff>& diffs, const RenderOptions& options) {
  std::string out;
  for (const auto& d : diffs) out += RenderUnified(d, options);
  return out;
}

Object ResIdToJson(const ResId& id) {
  Object o = Object::object();
  o["group"] = id.group;
  o["version"] = id.version;
  o["kind"] = id.kind;
  o["namespace"] = id.namespace_;
  o["name"] = id.name;
  return o;
}

Object ToJson(const ObjectDiff& diff) {
  Object o = Object::object();
  o["id"] = ResIdToJson(diff.id);
  o["change"] = std::string(ChangeKindName(diff.change));
  o["strategy"] = std::string(StrategyName(diff.strategy));
  Object paths = Object::array();
  for (const auto& p : diff.paths) {
    Object e = Object::object();
    e["path"] = p.path;
    if (p.old_value) e["old"] = *p.old_value;
    if (p.new_value) e["new"] = *p.new_value;
    paths.push_back(std::move(e));
  }
  o["paths"] = std::move(paths);
  return o;
}

Object ToJson(const std::vector<ObjectDiff>& diffs) {
  Object arr = Object::array();
  for (const auto& d : diffs) arr.push_back(ToJson(d));
  return arr;
}

}  // namespace gitopsd::diff
