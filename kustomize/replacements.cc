// The replacements transformer: parsing entries, picking the source value,
// writing it into every selected target (see replacements.h).
#include "kustomize/replacements.h"

#include <algorithm>
#include <string>

#include "kustomize/replacements_path.h"
#include "kustomize/selector.h"

namespace gitopsd::kustomize {
namespace {

using replacements_internal::FieldOptions;

struct Source {
  Selector selector;
  ResId id;  // for messages
  std::string field_path = "metadata.name";
  FieldOptions options;
};

struct Target {
  Selector select;
  std::vector<Selector> reject;
  std::vector<std::string> field_paths;
  FieldOptions options;
};

struct Replacement {
  Source source;
  std::vector<Target> targets;
};

Status CheckFields(const Object& m, std::initializer_list<const char*> known, const std::string& ctx) {
  if (!m.is_object()) return InvalidArgument(ctx + ": must be a mapping");
  for (const auto& [key, _] : m.items()) {
    if (std::none_of(known.begin(), known.end(), [&key](const char* k) { return key == k; })) {
      return InvalidArgument(ctx + ": unknown field \"" + key + "\"");
    }
  }
  return Status::Ok();
}

Result<std::string> GetString(const Object& m, const char* key, const std::string& ctx) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return std::string();
  if (!it->is_string()) return InvalidArgument(ctx + ": " + key + " must be a string");
  return it->get<std::string>();
}

Result<FieldOptions> ParseOptions(const Object& m, const std::string& ctx) {
  FieldOptions o;
  auto it = m.find("options");
  if (it == m.end() || it->is_null()) return o;
  RETURN_IF_ERROR(CheckFields(*it, {"delimiter", "index", "create"}, ctx + ".options"));
  ASSIGN_OR_RETURN(o.delimiter, GetString(*it, "delimiter", ctx + ".options"));
  if (auto idx = it->find("index"); idx != it->end() && !idx->is_null()) {
    if (!idx->is_number_integer()) return InvalidArgument(ctx + ".options: index must be an integer");
    o.index = idx->get<int>();
  }
  if (auto c = it->find("create"); c != it->end() && !c->is_null()) {
    if (!c->is_boolean()) return InvalidArgument(ctx + ".options: create must be a boolean");
    o.create = c->get<bool>();
  }
  return o;
}

Result<Source> ParseSource(const Object& m, const std::string& ctx) {
  RETURN_IF_ERROR(CheckFields(m, {"group", "version", "kind", "name", "namespace", "fieldPath", "options"}, ctx));
  Source s;
  Object id_fields = Object::object();
  for (const char* k : {"group", "version", "kind", "name", "namespace"}) {
    if (m.contains(k)) id_fields[k] = m[k];
  }
  ASSIGN_OR_RETURN(s.selector, Selector::Parse(id_fields, Selector::Mode::kExact, ctx));
  s.id = ResId{s.selector.group, s.selector.version, s.selector.kind, s.selector.namespace_,
               s.selector.name};
  ASSIGN_OR_RETURN(std::string fp, GetString(m, "fieldPath", ctx));
  if (!fp.empty()) s.field_path = fp;
  ASSIGN_OR_RETURN(s.options, ParseOptions(m, ctx));
  return s;
}

Result<Target> ParseTarget(const Object& m, const std::string& ctx) {
  RETURN_IF_ERROR(CheckFields(m, {"select", "reject", "fieldPaths", "options"}, ctx));
  Target t;
  auto sel = m.find("select");
  if (sel == m.end() || sel->is_null()) return InvalidArgument("target must specify resources to select");
  ASSIGN_OR_RETURN(t.select, Selector::Parse(*sel, Selector::Mode::kExact, ctx + ".select"));
  if (auto rej = m.find("reject"); rej != m.end() && !rej->is_null()) {
    if (!rej->is_array()) return InvalidArgument(ctx + ".reject: must be a list");
    for (size_t i = 0; i < rej->size(); ++i) {
      std::string rctx = ctx + ".reject[" + std::to_string(i) + "]";
      ASSIGN_OR_RETURN(Selector r, Selector::Parse((*rej)[i], Selector::Mode::kExact, rctx));
      t.reject.push_back(std::move(r));
    }
  }
  if (auto fps = m.find("fieldPaths"); fps != m.end() && !fps->is_null()) {
    if (!fps->is_array()) return InvalidArgument(ctx + ".fieldPaths: must be a list");
    for (const auto& fp : *fps) {
      if (!fp.is_string()) return InvalidArgument(ctx + ".fieldPaths: entries must be strings");
      t.field_paths.push_back(fp.get<std::string>());
    }
  }
  if (t.field_paths.empty()) t.field_paths.push_back("metadata.name");
  ASSIGN_OR_RETURN(t.options, ParseOptions(m, ctx));
  return t;
}

Result<Replacement> ParseReplacement(const Object& m, const std::string& ctx) {
  if (m.is_object() && m.contains("path")) {
    return InvalidArgument(ctx + ": replacement files (path:) must be loaded by the caller");
  }
  RETURN_IF_ERROR(CheckFields(m, {"source", "targets"}, ctx));
  auto src = m.find("source");
  auto tgts = m.find("targets");
  if (src == m.end() || src->is_null() || tgts == m.end() || tgts->is_null()) {
    return InvalidArgument("replacements must specify a source and at least one target");
  }
  Replacement r;
  ASSIGN_OR_RETURN(r.source, ParseSource(*src, ctx + ".source"));
  if (!tgts->is_array()) return InvalidArgument(ctx + ".targets: must be a list");
  for (size_t i = 0; i < tgts->size(); ++i) {
    ASSIGN_OR_RETURN(Target t, ParseTarget((*tgts)[i], ctx + ".targets[" + std::to_string(i) + "]"));
    r.targets.push_back(std::move(t));
  }
  return r;
}

// The object's current id followed by its earlier ones.
std::vector<ResId> IdsOf(const ObjectList& objects, const std::vector<std::vector<ResId>>& earlier,
                         size_t i) {
  std::vector<ResId> ids = {ResId::Of(objects[i])};
  if (i < earlier.size()) ids.insert(ids.end(), earlier[i].begin(), earlier[i].end());
  return ids;
}

Result<Object> SourceValue(const ObjectList& objects, const std::vector<std::vector<ResId>>& earlier,
                           const Source& source) {
  const Object* match = nullptr;
  std::string id = ReplacementIdString(source.id);
  for (size_t i = 0; i < objects.size(); ++i) {
    auto ids = IdsOf(objects, earlier, i);
    bool hit = std::any_of(ids.begin(), ids.end(),
                           [&](const ResId& r) { return source.selector.MatchesId(r); });
    if (!hit) continue;
    if (match != nullptr) return InvalidArgument("multiple matches for selector " + id);
    match = &objects[i];
  }
  if (match == nullptr) return NotFound("nothing selected by " + id);
  ASSIGN_OR_RETURN(const Object* value,
                   replacements_internal::LookupPath(
                       *match, replacements_internal::SplitFieldPath(source.field_path))
                       .WithContext("error looking up replacement source"));
  if (value == nullptr || value->is_null() ||
      ((value->is_object() || value->is_array()) && value->empty())) {
    return NotFound("fieldPath `" + source.field_path + "` is missing for replacement source " + id);
  }
  return replacements_internal::RefineSourceValue(*value, source.options);
}

bool IsTarget(const ObjectList& objects, const std::vector<std::vector<ResId>>& earlier, size_t i,
              const Target& t) {
  const Object& obj = objects[i];
  if (!t.select.MatchesLabelsAndAnnotations(obj)) return false;
  for (const auto& r : t.reject) {
    bool has_labels = !r.label_selector.empty() || !r.annotation_selector.empty();
    if (has_labels && r.MatchesLabelsAndAnnotations(obj)) return false;
  }
  // Kustomize rejects an object when a reject selector matches any of its
  // ids (current or earlier), whichever id the select matched.
  std::vector<ResId> ids = IdsOf(objects, earlier, i);
  for (const Selector& r : t.reject) {
    if (r.IdEmpty()) continue;
    for (const ResId& id : ids) {
      if (r.MatchesId(id)) return false;
    }
  }
  return std::any_of(ids.begin(), ids.end(), [&t](const ResId& id) { return t.select.MatchesId(id); });
}

Status CopyToTarget(Object& obj, const Object& value, const Target& t) {
  for (const std::string& fp : t.field_paths) {
    size_t reached = 0;
    Status st = replacements_internal::WalkPath(
        obj, replacements_internal::SplitFieldPath(fp), t.options.create,
        [&](Object& node, bool created) {
          ++reached;
          return replacements_internal::SetTargetValue(node, created, value, t.options);
        });
    std::string retrieval = std::string(t.options.create ? "unable to find or create field \""
                                                         : "unable to find field \"") +
                            fp + "\" in replacement target";
    if (!st.ok()) return st.WithContext(retrieval);
    if (reached == 0) return NotFound(retrieval);
  }
  return Status::Ok();
}

Status ApplyOne(ObjectList& objects, const std::vector<std::vector<ResId>>& earlier,
                const Replacement& r) {
  ASSIGN_OR_RETURN(Object value, SourceValue(objects, earlier, r.source));
  for (const Target& t : r.targets) {
    for (size_t i = 0; i < objects.size(); ++i) {
      if (!IsTarget(objects, earlier, i, t)) continue;
      Status st = CopyToTarget(objects[i], value, t);
      if (!st.ok()) return st.WithContext("replacement target " + ReplacementIdString(ResId::Of(objects[i])));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string ReplacementIdString(const ResId& id) {
  auto or_else = [](const std::string& v, const char* dflt) { return v.empty() ? std::string(dflt) : v; };
  return or_else(id.kind, "[noKind]") + "." + or_else(id.version, "[noVer]") + "." +
         or_else(id.group, "[noGrp]") + "/" + or_else(id.name, "[noName]") + "." +
         or_else(id.namespace_, "[noNs]");
}

Status ApplyReplacements(ObjectList& objects, const std::vector<std::vector<ResId>>& earlier_ids,
                         const Object& replacements) {
  if (replacements.is_null()) return Status::Ok();
  if (!replacements.is_array()) return InvalidArgument("replacements must be a list");
  for (size_t i = 0; i < replacements.size(); ++i) {
    std::string ctx = "replacements[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(Replacement r, ParseReplacement(replacements[i], ctx));
    RETURN_IF_ERROR(ApplyOne(objects, earlier_ids, r));
  }
  return Status::Ok();
}

Status ApplyReplacements(ObjectList& objects, const Object& replacements) {
  return ApplyReplacements(objects, {}, replacements);
}

}  // namespace gitopsd::kustomize
