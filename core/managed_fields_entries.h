// `metadata.managedFields` entries: parse, write back, and ask who owns what.
//
//   {"manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1",
//    "time": "2025-05-15T20:09:34Z", "fieldsType": "FieldsV1",
//    "fieldsV1": {...}, "subresource": "status"}
//
// Entries are identified by (manager, operation, subresource). Values only;
// thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/managed_fields.h"
#include "core/managed_fields_schema.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

struct ManagedFieldsEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;         // RFC 3339 seconds, "" when unknown
  std::string subresource;  // "" for the main resource
  FieldSet fields;

  bool SameIdentity(const ManagedFieldsEntry& o) const {
    return manager == o.manager && operation == o.operation && subresource == o.subresource;
  }
  // The entry in the apiserver's JSON field order.
  Object ToJson() const;
  // Errors name the entry's manager and the bad field.
  static Result<ManagedFieldsEntry> FromJson(const Object& entry);

  // How the apiserver names the entry in conflict messages:
  // `"kubectl"` (Apply), `"kubectl-client-side-apply" using apps/v1` (Update),
  // `"m" with subresource "status" using apps/v1`.
  std::string DisplayName() const;
};

using ManagedFields = std::vector<ManagedFieldsEntry>;

// The entries of `obj.metadata.managedFields` (none when absent).
Result<ManagedFields> ParseManagedFields(const Object& obj);

// Writes `entries` to `obj.metadata.managedFields`: entries with an empty
// field set are dropped, the rest sorted as the apiserver sorts them
// (operation, time, manager, apiVersion); no entries -> the key is removed.
void WriteManagedFields(Object& obj, ManagedFields entries);

// The union of the fields every entry of `manager` owns (any operation or
// subresource). Lets a diff ignore what e.g. an HPA or a controller owns.
Result<FieldSet> FieldsOwnedBy(const Object& live, std::string_view manager);

// `live` without the fields `manager` owns (containers left empty are
// removed too).
Result<Object> WithoutFieldsOwnedBy(const Object& live, std::string_view manager,
                                    const ApplySchema& schema);

}  // namespace gitopsd
