// Server-side apply and managedFields bookkeeping for the API simulator
// (kube-api-contract §7.3, §7.5, §8.3-§8.5): pure functions from (live
// object, request) to the object to persist.
//
// Pipeline the server runs for an apply PATCH:
//   ServerSideApply(live, applied, options)   -> merged object + managedFields
//   ApplyDefaults(result.object)              (kubesim/defaults.h)
//   IsNoOpWrite(live, defaulted)              -> return the stored object
//   BumpsGeneration / resourceVersion         -> persist
// and for create/update/non-apply patch: compute the new object, default it,
// then RecordUpdate(new_obj, old_obj, options) and the same no-op check.
//
// Not done here (the server's job): resourceVersion preconditions, name and
// namespace checks, status reset for subresource writes beyond what the
// options say, defaulting, validation, persisting. No state; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/managed_fields.h"
#include "core/managed_fields_schema.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd::kubesim {

// Where a write lands and how its type merges; shared by apply and update.
struct WriteScope {
  // "" = the main resource, "status" = the /status subresource (only
  // `status` and `metadata` count there).
  std::string subresource;
  // Whether the kind has a status subresource, so that main-resource writes
  // neither change nor own `status` (all built-in kinds: true; custom
  // resources: as their CRD declares).
  bool status_is_subresource = true;
  // managedFields `time` to stamp, RFC 3339 seconds; "" = the system clock.
  std::string now;
  // Custom resources with a CRD schema pass ApplySchema::ForCustomResource();
  // null = ApplySchema::ForKind(apiVersion, kind) of the object.
  const ApplySchema* schema = nullptr;
};

struct ApplyOptions {
  std::string manager;  // the fieldManager query parameter; required
  bool force = false;   // force=true: take conflicting fields
  WriteScope scope;
};

// One field another manager owns with a different value.
struct FieldConflict {
  std::string manager;  // display form: "\"kubectl\"" or "\"x\" using apps/v1"
  FieldPath path;
  bool operator==(const FieldConflict&) const = default;
};

struct ApplyResult {
  Object object;         // live merged with the applied configuration, with managedFields
  bool created = false;  // live was null
};

// Applies `applied` (a partial object: apiVersion, kind, metadata.name, ...)
// onto `live` (null = create) per structured-merge-diff: keyed lists merged
// by key, atomic lists and maps replaced, granular maps merged; fields the
// manager applied before and no longer applies are removed unless another
// manager owns them; ownership moves per §8.3. Errors:
//   InvalidArgument - no manager, managedFields in the body, bad keyed list
//   Conflict        - other managers own changed fields and !force; the
//                     message is the apiserver's and `conflicts` (if given)
//                     receives them for ConflictStatus().
// The result is not defaulted and keeps live's resourceVersion/generation.
Result<ApplyResult> ServerSideApply(const Object* live, const Object& applied, const ApplyOptions& options,
                                    std::vector<FieldConflict>* conflicts = nullptr);

// "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"
// or the multi-conflict form grouped by manager.
std::string ConflictMessage(const std::vector<FieldConflict>& conflicts);

// The 409 Status body: message as above and details.causes
// [{reason: FieldManagerConflict, message: "conflict with <m>", field: <path>}].
Object ConflictStatus(const std::vector<FieldConflict>& conflicts);

struct UpdateOptions {
  std::string manager;             // fieldManager (or the User-Agent's product)
  std::string operation = "Update";
  WriteScope scope;
};

// Records a non-apply write (create when `old_obj` is null, update, merge /
// JSON / strategic patch) in `new_obj`'s managedFields: the fields that
// changed move to the manager's entry (created if needed, time = now) and
// leave every other entry; removed fields leave every entry; empty entries
// are dropped. Client-written managedFields (§8.5) are honoured first:
// if `new_obj` carries a list different from `old_obj`'s it replaces the
// stored one, `[{}]` clears them all, an absent or empty list keeps the
// stored ones, an undecodable list is ignored.
// Call it on the final (defaulted) object.
Status RecordUpdate(Object& new_obj, const Object* old_obj, const UpdateOptions& options);

// True when persisting `updated` over `stored` would change nothing: the
// objects are equal ignoring metadata.resourceVersion and managedFields
// times (§7.3). Then the server returns `stored` unchanged.
bool IsNoOpWrite(const Object& stored, const Object& updated);

}  // namespace gitopsd::kubesim
