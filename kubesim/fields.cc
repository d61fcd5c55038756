// Adapter from the write pipeline to kubesim/ssa.h: the apply merge and the
// Update-operation managedFields bookkeeping.
#include "kubesim/fields.h"

#include "core/managed_fields_schema.h"
#include "kubesim/ssa.h"

namespace gitopsd::kubesim {
namespace {

// The CRD schema of a custom resource's storage version (null if none).
const Object* CrdSchema(const ResourceType& type) {
  const Object* versions = FindPath(type.crd, "spec.versions");
  if (versions == nullptr || !versions->is_array()) return nullptr;
  for (const auto& v : *versions) {
    if (v.value("name", "") == type.info.version && v.contains("schema") && v["schema"].contains("openAPIV3Schema")) {
      return &v["schema"]["openAPIV3Schema"];
    }
  }
  return nullptr;
}

WriteScope Scope(const ResourceType& type, const std::string& subresource, ApplySchema* storage) {
  WriteScope scope;
  scope.subresource = subresource;
  scope.status_is_subresource = !type.custom || type.HasSubresource("status");
  if (type.custom) {
    const Object* schema = CrdSchema(type);
    *storage = schema != nullptr ? ApplySchema::ForCustomResource(*schema) : ApplySchema();
    scope.schema = storage;
  }
  return scope;
}

}  // namespace

std::optional<ApiError> ApplyToObject(const ResourceType& type, const Object* live, const Object& applied,
                                      const std::string& manager, const std::string& subresource, bool force,
                                      Object* out) {
  ApplySchema schema;
  ApplyOptions options;
  options.manager = manager;
  options.force = force;
  options.scope = Scope(type, subresource, &schema);
  std::vector<FieldConflict> conflicts;
  Result<ApplyResult> r = ServerSideApply(live, applied, options, &conflicts);
  if (!r.ok()) {
    if (r.status().code() == Code::kConflict && !conflicts.empty()) {
      Object status = ConflictStatus(conflicts);
      return ApiError{409, "Conflict", status.value("message", r.status().message()),
                      status.contains("details") ? status["details"] : Object()};
    }
    if (r.status().code() == Code::kConflict) return ApiError{409, "Conflict", r.status().message(), Object()};
    return BadRequest(r.status().message());
  }
  *out = std::move(r->object);
  return std::nullopt;
}

void RecordUpdateOwnership(const ResourceType& type, const Object* old, Object& obj, const std::string& manager,
                           const std::string& subresource) {
  ApplySchema schema;
  UpdateOptions options;
  options.manager = manager;
  options.scope = Scope(type, subresource, &schema);
  (void)RecordUpdate(obj, old, options);
}

}  // namespace gitopsd::kubesim
