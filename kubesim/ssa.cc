#include "kubesim/ssa.h"

#include <algorithm>
#include <map>

#include "core/managed_fields_entries.h"
#include "core/managed_fields_ops.h"
#include "kubesim/internal/ssa_merge.h"

namespace gitopsd::kubesim {
namespace {

using internal::OwnedPart;
using internal::Reassemble;
using internal::SchemaFor;
using internal::TimeOf;

std::string ObjectName(const Object& obj) {
  std::string kind = KindOf(obj), name = NameOf(obj);
  return (kind.empty() ? "object" : kind) + " \"" + name + "\"";
}

ManagedFields StoredEntries(const Object* obj) {
  if (obj == nullptr) return {};
  auto parsed = ParseManagedFields(*obj);
  return parsed.ok() ? std::move(parsed).value() : ManagedFields{};
}

// §8.5: the entries a non-apply write starts from.
ManagedFields StartingEntries(const Object& new_obj, const Object* old_obj) {
  ManagedFields stored = StoredEntries(old_obj);
  const Object* client = FindPath(new_obj, "metadata.managedFields");
  if (client == nullptr || client->is_null() || (client->is_array() && client->empty())) return stored;
  if (old_obj != nullptr) {
    const Object* before = FindPath(*old_obj, "metadata.managedFields");
    if (before != nullptr && ValuesEqual(*before, *client)) return stored;
  }
  if (client->is_array() && client->size() == 1 && (*client)[0].is_object() && (*client)[0].empty()) {
    return {};  // [{}] clears every entry
  }
  auto parsed = ParseManagedFields(new_obj);
  return parsed.ok() ? std::move(parsed).value() : stored;
}

// What a created object is compared against: the zero value of the typed
// object, which has its non-pointer structs (so they are not "added"
// themselves, no "." for them) and `containers: null` in pod specs.
Object CreateBaseline(const Object& after) {
  static const char* const kZeroStructs[] = {
      "metadata", "spec", "spec.template", "spec.template.metadata", "spec.template.spec",
      "spec.strategy", "spec.updateStrategy", "spec.jobTemplate", "spec.jobTemplate.metadata",
      "spec.jobTemplate.spec", "spec.jobTemplate.spec.template",
      "spec.jobTemplate.spec.template.metadata", "spec.jobTemplate.spec.template.spec"};
  static const char* const kNullLists[] = {"spec.containers", "spec.template.spec.containers",
                                           "spec.jobTemplate.spec.template.spec.containers"};
  Object base = Object::object();
  auto set_in_base = [&base](std::string_view dotted, Object value) {
    size_t dot = dotted.rfind('.');
    Object* parent = dot == std::string_view::npos ? &base : FindPath(base, dotted.substr(0, dot));
    if (parent == nullptr || !parent->is_object()) return;
    (*parent)[std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1))] = std::move(value);
  };
  for (std::string_view dotted : kZeroStructs) {
    const Object* v = FindPath(after, dotted);
    if (v == nullptr || !v->is_object()) continue;
    Object zero = Object::object();
    if (dotted != "metadata" && dotted.ends_with("metadata")) zero["creationTimestamp"] = nullptr;
    set_in_base(dotted, std::move(zero));
  }
  for (std::string_view dotted : kNullLists) {
    const Object* v = FindPath(after, dotted);
    if (v != nullptr && v->is_array()) set_in_base(dotted, nullptr);
  }
  return base;
}

std::vector<FieldConflict> FindConflicts(ManagedFields& entries, const ManagedFieldsEntry& mine,
                                         const FieldSet& changed, bool force) {
  std::vector<FieldConflict> found;
  for (ManagedFieldsEntry& e : entries) {
    if (e.SameIdentity(mine)) continue;
    FieldSet clash = e.fields.Intersection(changed);
    for (const FieldPath& p : clash) found.push_back({e.DisplayName(), p});
    if (force) e.fields = e.fields.Difference(clash);
  }
  std::sort(found.begin(), found.end(), [](const FieldConflict& a, const FieldConflict& b) {
    return a.manager != b.manager ? a.manager < b.manager : a.path < b.path;
  });
  return found;
}

Result<ApplyResult> Create(const Object& applied, const Object& owned, ManagedFieldsEntry mine,
                           const WriteScope& scope) {
  Object base = applied;
  base.erase("status");  // a create starts from the kind's initial status
  ApplyResult out;
  out.object = Reassemble(base, owned, scope);
  out.created = true;
  WriteManagedFields(out.object, {std::move(mine)});
  return out;
}

}  // namespace

Result<ApplyResult> ServerSideApply(const Object* live, const Object& applied, const ApplyOptions& options,
                                    std::vector<FieldConflict>* conflicts) {
  if (options.manager.empty()) {
    return InvalidArgument(
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
  }
  if (!applied.is_object()) return InvalidArgument("apply: the applied configuration is not an object");
  if (const Object* mf = FindPath(applied, "metadata.managedFields"); mf != nullptr && !mf->is_null()) {
    return InvalidArgument("apply " + ObjectName(applied) + ": metadata.managedFields must be nil");
  }
  const WriteScope& scope = options.scope;
  ApplySchema schema = SchemaFor(live != nullptr ? *live : applied, scope);
  Object owned = OwnedPart(applied, scope);
  auto applied_fields = FieldsOf(owned, schema);
  if (!applied_fields.ok()) return applied_fields.status().WithContext("apply " + ObjectName(applied));
  ManagedFieldsEntry mine{options.manager, "Apply", ApiVersionOf(applied), TimeOf(scope), scope.subresource,
                          *applied_fields};
  if (live == nullptr) return Create(applied, owned, std::move(mine), scope);

  ManagedFields entries = StoredEntries(live);
  FieldSet last, others;
  for (const ManagedFieldsEntry& e : entries) {
    if (e.SameIdentity(mine)) {
      last = e.fields;
    } else {
      others = others.Union(e.fields);
    }
  }
  Object live_owned = OwnedPart(*live, scope);
  Object merged = internal::MergeApplied(live_owned, owned, schema);
  internal::RemoveDropped(merged, last.Difference(mine.fields), others.Union(mine.fields), schema);

  FieldChanges changes = CompareObjects(&live_owned, merged, schema);
  std::vector<FieldConflict> found = FindConflicts(entries, mine, changes.AddedOrModified(), options.force);
  if (!found.empty() && !options.force) {
    if (conflicts != nullptr) *conflicts = found;
    return Conflict(ConflictMessage(found));
  }
  std::erase_if(entries, [&](const ManagedFieldsEntry& e) { return e.SameIdentity(mine); });
  for (ManagedFieldsEntry& e : entries) e.fields = e.fields.Difference(changes.removed);
  entries.push_back(std::move(mine));

  ApplyResult out;
  out.object = Reassemble(*live, merged, scope);
  WriteManagedFields(out.object, std::move(entries));
  return out;
}

std::string ConflictMessage(const std::vector<FieldConflict>& conflicts) {
  if (conflicts.size() == 1) {
    return "Apply failed with 1 conflict: conflict with " + conflicts[0].manager + ": " +
           PathString(conflicts[0].path);
  }
  std::map<std::string, std::vector<std::string>> by_manager;
  for (const FieldConflict& c : conflicts) by_manager[c.manager].push_back(PathString(c.path));
  std::string out = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: ";
  bool first = true;
  for (const auto& [manager, paths] : by_manager) {
    if (!first) out += "\n";
    first = false;
    out += "conflicts with " + manager + ":";
    for (const std::string& p : paths) out += "\n- " + p;
  }
  return out;
}

Object ConflictStatus(const std::vector<FieldConflict>& conflicts) {
  Object causes = Object::array();
  for (const FieldConflict& c : conflicts) {
    Object cause = Object::object();
    cause["reason"] = "FieldManagerConflict";
    cause["message"] = "conflict with " + c.manager;
    cause["field"] = PathString(c.path);
    causes.push_back(std::move(cause));
  }
  Object status = Object::object();
  status["kind"] = "Status";
  status["apiVersion"] = "v1";
  status["metadata"] = Object::object();
  status["status"] = "Failure";
  status["message"] = ConflictMessage(conflicts);
  status["reason"] = "Conflict";
  status["details"] = Object{{"causes", std::move(causes)}};
  status["code"] = 409;
  return status;
}

Status RecordUpdate(Object& new_obj, const Object* old_obj, const UpdateOptions& options) {
  if (options.manager.empty()) return InvalidArgument("update " + ObjectName(new_obj) + ": no field manager");
  const WriteScope& scope = options.scope;
  ApplySchema schema = SchemaFor(new_obj, scope);
  ManagedFields entries = StartingEntries(new_obj, old_obj);
  Object after = OwnedPart(new_obj, scope);
  Object before = old_obj != nullptr ? OwnedPart(*old_obj, scope) : CreateBaseline(after);
  FieldChanges changes = CompareObjects(&before, after, schema);
  FieldSet changed = changes.AddedOrModified();

  ManagedFieldsEntry mine{options.manager, options.operation, ApiVersionOf(new_obj), "", scope.subresource, {}};
  int index = -1;
  for (size_t i = 0; i < entries.size(); ++i) {
    ManagedFieldsEntry& e = entries[i];
    if (e.SameIdentity(mine)) {
      index = static_cast<int>(i);
      e.fields = e.fields.Difference(changes.removed);
    } else {
      e.fields = e.fields.Difference(changed).Difference(changes.removed);
    }
  }
  if (!changed.empty()) {
    if (index < 0) {
      entries.push_back(mine);
      index = static_cast<int>(entries.size()) - 1;
    }
    ManagedFieldsEntry& e = entries[static_cast<size_t>(index)];
    e.fields = e.fields.Union(changed);
    e.time = TimeOf(scope);
    e.api_version = mine.api_version;
  }
  WriteManagedFields(new_obj, std::move(entries));
  return Status::Ok();
}

bool IsNoOpWrite(const Object& stored, const Object& updated) {
  auto normalize = [](Object obj) {
    if (Object* meta = FindPath(obj, "metadata"); meta != nullptr && meta->is_object()) {
      meta->erase("resourceVersion");
      if (auto mf = meta->find("managedFields"); mf != meta->end() && mf->is_array()) {
        // Without times the entries' order is by identity: a re-stamped
        // entry may have moved in the time-sorted list.
        std::vector<std::pair<std::string, Object>> entries;
        for (Object& e : *mf) {
          if (e.is_object()) e.erase("time");
          entries.emplace_back(CanonicalJson(e), e);
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        Object sorted = Object::array();
        for (auto& [key, e] : entries) sorted.push_back(std::move(e));
        *mf = std::move(sorted);
      }
    }
    return obj;
  };
  return ValuesEqual(normalize(stored), normalize(updated));
}

}  // namespace gitopsd::kubesim
