#include "core/managed_fields_entries.h"

#include <algorithm>

#include "core/managed_fields_ops.h"

namespace gitopsd {
namespace {

std::string StringField(const Object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Object ManagedFieldsEntry::ToJson() const {
  Object out = Object::object();
  out["manager"] = manager;
  out["operation"] = operation;
  out["apiVersion"] = api_version;
  if (!time.empty()) out["time"] = time;
  out["fieldsType"] = "FieldsV1";
  out["fieldsV1"] = fields.ToFieldsV1();
  if (!subresource.empty()) out["subresource"] = subresource;
  return out;
}

Result<ManagedFieldsEntry> ManagedFieldsEntry::FromJson(const Object& entry) {
  if (!entry.is_object()) return InvalidArgument("managedFields entry is not an object");
  ManagedFieldsEntry out;
  out.manager = StringField(entry, "manager");
  out.operation = StringField(entry, "operation");
  out.api_version = StringField(entry, "apiVersion");
  out.time = StringField(entry, "time");
  out.subresource = StringField(entry, "subresource");
  std::string where = "managedFields entry of manager \"" + out.manager + "\"";
  if (out.operation != "Apply" && out.operation != "Update") {
    return InvalidArgument(where + ": operation \"" + out.operation + "\" is not Apply or Update");
  }
  std::string type = StringField(entry, "fieldsType");
  if (!type.empty() && type != "FieldsV1") {
    return InvalidArgument(where + ": fieldsType \"" + type + "\" is not FieldsV1");
  }
  if (auto it = entry.find("fieldsV1"); it != entry.end()) {
    auto fields = FieldSet::FromFieldsV1(*it);
    if (!fields.ok()) return fields.status().WithContext(where);
    out.fields = std::move(fields).value();
  }
  return out;
}

std::string ManagedFieldsEntry::DisplayName() const {
  std::string out = Object(manager).dump();
  if (!subresource.empty()) out += " with subresource " + Object(subresource).dump();
  if (operation == "Update") out += " using " + api_version;
  return out;
}

Result<ManagedFields> ParseManagedFields(const Object& obj) {
  ManagedFields out;
  const Object* list = FindPath(obj, "metadata.managedFields");
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return InvalidArgument("metadata.managedFields is not a list");
  for (const Object& e : *list) {
    ASSIGN_OR_RETURN(ManagedFieldsEntry entry, ManagedFieldsEntry::FromJson(e));
    out.push_back(std::move(entry));
  }
  return out;
}

void WriteManagedFields(Object& obj, ManagedFields entries) {
  std::erase_if(entries, [](const ManagedFieldsEntry& e) { return e.fields.empty(); });
  std::stable_sort(entries.begin(), entries.end(), [](const ManagedFieldsEntry& a, const ManagedFieldsEntry& b) {
    if (a.operation != b.operation) return a.operation < b.operation;
    if (a.time != b.time) return a.time < b.time;
    if (a.manager != b.manager) return a.manager < b.manager;
    return a.api_version < b.api_version;
  });
  Object* meta = FindPath(obj, "metadata");
  if (entries.empty()) {
    if (meta != nullptr && meta->is_object()) meta->erase("managedFields");
    return;
  }
  Object list = Object::array();
  for (const ManagedFieldsEntry& e : entries) list.push_back(e.ToJson());
  obj["metadata"]["managedFields"] = std::move(list);
}

Result<FieldSet> FieldsOwnedBy(const Object& live, std::string_view manager) {
  ASSIGN_OR_RETURN(ManagedFields entries, ParseManagedFields(live));
  FieldSet out;
  for (const ManagedFieldsEntry& e : entries) {
    if (e.manager == manager) out = out.Union(e.fields);
  }
  return out;
}

Result<Object> WithoutFieldsOwnedBy(const Object& live, std::string_view manager,
                                    const ApplySchema& schema) {
  ASSIGN_OR_RETURN(FieldSet owned, FieldsOwnedBy(live, manager));
  Object out = live;
  RemoveFields(out, owned, schema);
  return out;
}

}  // namespace gitopsd
