// Kustomize selectors: parsing and matching (see selector.h).
#include "kustomize/selector.h"

#include <algorithm>

#include "core/k8s_schema.h"

namespace gitopsd::kustomize {
namespace {

constexpr const char* kIdFields[] = {"group", "version", "kind", "name", "namespace"};

Result<std::string> StringField(const Object& mapping, const char* key, std::string_view context) {
  auto it = mapping.find(key);
  if (it == mapping.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  return InvalidArgument(std::string(context) + ": " + key + " must be a string");
}

}  // namespace

std::string EffectiveNamespaceForMatch(const ResId& id) {
  if (k8s::IsNamespaced(id.group, id.kind) == false) return "";
  return id.namespace_.empty() ? "default" : id.namespace_;
}

Result<Selector> Selector::Parse(const Object& mapping, Mode mode, std::string_view context) {
  Selector s;
  s.mode_ = mode;
  if (mapping.is_null()) return s;
  if (!mapping.is_object()) return InvalidArgument(std::string(context) + ": must be a mapping");
  static const std::vector<std::string> kKnown = {"group", "version", "kind", "name", "namespace",
                                                  "labelSelector", "annotationSelector"};
  for (const auto& [key, _] : mapping.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return InvalidArgument(std::string(context) + ": unknown field \"" + key + "\"");
    }
  }
  std::string* fields[] = {&s.group, &s.version, &s.kind, &s.name, &s.namespace_};
  for (size_t i = 0; i < 5; ++i) {
    ASSIGN_OR_RETURN(*fields[i], StringField(mapping, kIdFields[i], context));
    if (mode != Mode::kRegex) continue;
    try {
      s.regexes_.emplace_back("^(?:" + *fields[i] + ")$", std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return InvalidArgument(std::string(context) + ": " + kIdFields[i] +
                             ": invalid regular expression \"" + *fields[i] + "\": " + e.what());
    }
  }
  ASSIGN_OR_RETURN(s.label_selector, StringField(mapping, "labelSelector", context));
  ASSIGN_OR_RETURN(s.annotation_selector, StringField(mapping, "annotationSelector", context));
  ASSIGN_OR_RETURN(s.labels_, LabelSelector::Parse(s.label_selector).WithContext(
                                  std::string(context) + ": labelSelector"));
  ASSIGN_OR_RETURN(s.annotations_, LabelSelector::Parse(s.annotation_selector).WithContext(
                                       std::string(context) + ": annotationSelector"));
  return s;
}

bool Selector::IdEmpty() const {
  return group.empty() && version.empty() && kind.empty() && name.empty() && namespace_.empty();
}

bool Selector::Empty() const {
  return IdEmpty() && label_selector.empty() && annotation_selector.empty();
}

bool Selector::MatchField(size_t field, const std::string& value) const {
  const std::string* want[] = {&group, &version, &kind, &name, &namespace_};
  if (want[field]->empty()) return true;
  if (mode_ == Mode::kRegex) return std::regex_match(value, regexes_[field]);
  return *want[field] == value;
}

bool Selector::MatchesId(const ResId& id) const {
  if (!MatchField(0, id.group) || !MatchField(1, id.version) || !MatchField(2, id.kind) ||
      !MatchField(3, id.name)) {
    return false;
  }
  if (namespace_.empty()) return true;
  if (mode_ == Mode::kRegex) return MatchField(4, EffectiveNamespaceForMatch(id));
  auto norm = [](const std::string& ns) { return ns.empty() ? std::string("default") : ns; };
  return norm(namespace_) == norm(id.namespace_);
}

bool Selector::MatchesLabelsAndAnnotations(const Object& obj) const {
  if (!labels_.Empty() && !labels_.MatchesObjectLabels(obj)) return false;
  if (annotations_.Empty()) return true;
  const Object* annotations = FindPath(obj, "metadata.annotations");
  return annotations_.Matches(annotations ? *annotations : Object());
}

bool Selector::Matches(const Object& obj, const std::vector<ResId>& earlier_ids) const {
  if (!MatchesLabelsAndAnnotations(obj)) return false;
  ResId cur = ResId::Of(obj);
  if (mode_ == Mode::kExact) {
    if (MatchesId(cur)) return true;
    return std::any_of(earlier_ids.begin(), earlier_ids.end(),
                       [this](const ResId& id) { return MatchesId(id); });
  }
  // kRegex: gvk from the current id; name and namespace from any id.
  if (!MatchField(0, cur.group) || !MatchField(1, cur.version) || !MatchField(2, cur.kind)) {
    return false;
  }
  auto name_ok = [this](const ResId& id) { return MatchField(3, id.name); };
  auto ns_ok = [this](const ResId& id) {
    return namespace_.empty() || MatchField(4, EffectiveNamespaceForMatch(id));
  };
  bool by_name = name_ok(cur) || std::any_of(earlier_ids.begin(), earlier_ids.end(), name_ok);
  bool by_ns = ns_ok(cur) || std::any_of(earlier_ids.begin(), earlier_ids.end(), ns_ok);
  return by_name && by_ns;
}

}  // namespace gitopsd::kustomize
