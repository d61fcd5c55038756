// ValueAddTransformer (alpha builtin in Kustomize v5.5.0): writes one value
// into a field of the selected resources. `metadata/namespace` targets run
// the namespace filter (namespaced kinds only, RoleBinding subjects); other
// paths are created as scalars and either replaced by the value or, with
// filePathPosition N > 0, get the value inserted as the N-th element of the
// '/'-separated path they hold. The value defaults to the base name of the
// kustomization directory that lists the transformer.
#include "core/yaml.h"
#include "kustomize/filters/filters.h"
#include "kustomize/filters/select.h"
#include "kustomize/replacements_path.h"

namespace gitopsd::kustomize {
namespace {

struct ValueAddTarget {
  Object selector;  // null = every resource
  std::string field_path;
  int64_t file_path_position = 0;
};

// Kustomize's filesys.InsertPathPart: `part` inserted at element `pos` of
// `path`; a leading '/' is kept and does not count as an element.
std::string InsertPathPart(const std::string& path, int64_t pos, const std::string& part) {
  if (part.empty()) return path;
  std::vector<std::string> parts;
  if (!path.empty()) {
    size_t start = 0;
    while (true) {
      size_t s = path.find('/', start);
      parts.push_back(path.substr(start, s == std::string::npos ? std::string::npos : s - start));
      if (s == std::string::npos) break;
      start = s + 1;
    }
  }
  if (pos < 0) pos = 0;
  if (pos > static_cast<int64_t>(parts.size())) pos = static_cast<int64_t>(parts.size());
  if (!parts.empty() && parts[0].empty() && pos < static_cast<int64_t>(parts.size())) ++pos;
  parts.insert(parts.begin() + pos, part);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

Result<std::vector<ValueAddTarget>> ParseValueAddTargets(const Object& list, const std::string& what) {
  std::vector<ValueAddTarget> out;
  if (list.is_null()) return out;
  if (!list.is_array()) return InvalidArgument(what + ": targets must be a list");
  for (const Object& t : list) {
    if (!t.is_object()) return InvalidArgument(what + ": a target must be a mapping");
    Object f = FoldKeys(t, {"selector", "fieldPath", "filePathPosition"});
    ValueAddTarget v;
    if (f.contains("selector") && !f["selector"].is_null()) v.selector = f["selector"];
    if (f.contains("fieldPath") && f["fieldPath"].is_string()) v.field_path = f["fieldPath"].get<std::string>();
    if (f.contains("filePathPosition")) {
      if (!f["filePathPosition"].is_number_integer()) {
        return InvalidArgument(what + ": filePathPosition must be an integer");
      }
      v.file_path_position = f["filePathPosition"].get<int64_t>();
    }
    if (v.field_path.empty()) return InvalidArgument(what + ": fieldPath cannot be empty");
    if (v.file_path_position < 0) {
      return InvalidArgument(what + ": value of FilePathPosition (" + std::to_string(v.file_path_position) +
                             ") cannot be negative");
    }
    out.push_back(std::move(v));
  }
  return out;
}

class ValueAddTransformer : public Transformer {
 public:
  ValueAddTransformer(std::string value, std::vector<ValueAddTarget> targets, TransformerPtr ns)
      : value_(std::move(value)), targets_(std::move(targets)), ns_(std::move(ns)) {}

  Status Apply(ResourceList& list) const override {
    for (const ValueAddTarget& t : targets_) {
      std::vector<size_t> picked;
      if (t.selector.is_null()) {
        for (size_t i = 0; i < list.size(); ++i) picked.push_back(i);
      } else {
        ASSIGN_OR_RETURN(picked, SelectResources(list, t.selector));
      }
      for (size_t i : picked) RETURN_IF_ERROR(ApplyOne(list[i], t));
    }
    return Status::Ok();
  }

 private:
  Status ApplyOne(Resource& r, const ValueAddTarget& t) const {
    if (!r.obj.is_object()) return Status::Ok();
    if (t.field_path == "metadata/namespace") {
      ResourceList one;
      one.emplace_back();
      one[0].obj = r.obj;
      RETURN_IF_ERROR(ns_->Apply(one));
      r.obj = std::move(one[0].obj);
      return Status::Ok();
    }
    Object* node = &r.obj;
    size_t start = 0;
    while (true) {
      size_t s = t.field_path.find('/', start);
      std::string key = t.field_path.substr(start, s == std::string::npos ? std::string::npos : s - start);
      if (!node->is_object()) {
        return InvalidArgument("ValueAddTransformer: field path " + t.field_path + " crosses a non-mapping node");
      }
      node = &(*node)[key];
      if (s == std::string::npos) break;
      if (node->is_null()) *node = Object::object();
      start = s + 1;
    }
    if (node->is_object() || node->is_array()) {
      return InvalidArgument("ValueAddTransformer: field path " + t.field_path + " is not a scalar");
    }
    if (t.file_path_position == 0) {
      *node = value_;
    } else {
      std::string old = replacements_internal::ScalarText(*node);
      *node = InsertPathPart(old, t.file_path_position - 1, value_);
    }
    return Status::Ok();
  }

  std::string value_;
  std::vector<ValueAddTarget> targets_;
  TransformerPtr ns_;
};

std::string TrimValueAddSpace(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n\v\f");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n\v\f");
  return s.substr(b, e - b + 1);
}

}  // namespace

Result<TransformerPtr> MakeValueAddTransformer(const Object& config, const Loader& loader) {
  Object c = FoldKeys(config, {"value", "targets", "targetFilePath"});
  std::string what = "ValueAddTransformer \"" + NameOf(config) + "\"";
  std::string value;
  if (c.contains("value") && c["value"].is_string()) value = TrimValueAddSpace(c["value"].get<std::string>());
  if (value.empty()) {
    const std::string& root = loader.root();
    size_t slash = root.rfind('/');
    value = root.empty() ? "/" : slash == std::string::npos ? root : root.substr(slash + 1);
  }
  ASSIGN_OR_RETURN(std::vector<ValueAddTarget> targets,
                   ParseValueAddTargets(c.contains("targets") ? c["targets"] : Object(), what));
  if (c.contains("targetFilePath") && c["targetFilePath"].is_string() &&
      !c["targetFilePath"].get<std::string>().empty()) {
    std::string file = c["targetFilePath"].get<std::string>();
    ASSIGN_OR_RETURN(std::string text, loader.Load(file));
    ASSIGN_OR_RETURN(Object doc, ParseYaml(text, YamlReadOptions{file}));
    Object list;
    if (doc.is_object()) {
      Object f = FoldKeys(doc, {"targets"});
      if (f.contains("targets")) list = f["targets"];
    }
    ASSIGN_OR_RETURN(std::vector<ValueAddTarget> more, ParseValueAddTargets(list, what + ": " + file));
    for (ValueAddTarget& t : more) targets.push_back(std::move(t));
  }
  if (targets.empty()) return InvalidArgument(what + ": must specify at least one target");
  NamespaceArgs ns;
  ns.name_space = value;
  ASSIGN_OR_RETURN(TransformerPtr ns_t, MakeNamespaceTransformer(std::move(ns)));
  return TransformerPtr(std::make_unique<ValueAddTransformer>(std::move(value), std::move(targets), std::move(ns_t)));
}

}  // namespace gitopsd::kustomize
