// Internal: the write pipeline every create/update/patch/apply and every
// controller write goes through (kube-api-contract §7, §9, §10, §14):
// server-set metadata, status subresource rules, admission and defaulting,
// validation, managedFields bookkeeping, generation, finalizers, no-op
// detection, dry run, persistence and the watch event.
//
// All functions require the cluster lock to be held.
#pragma once

#include <optional>
#include <string>

#include "kubesim/state.h"

namespace gitopsd::kubesim {

struct WriteContext {
  const ResourceType* type = nullptr;
  std::string version;      // the request's version (apiVersion of results)
  std::string manager;      // field manager of Update operations
  std::string subresource;  // "", "status", "scale"
  bool dry_run = false;
  // Server-side apply computed managedFields already; skip Update bookkeeping.
  bool apply = false;
};

struct WriteResult {
  std::optional<ApiError> error;
  Object object;      // as served (apiVersion/kind of the request version)
  int code = 200;     // 201 for creates
  bool deleted = false;
};

// Creates `obj` (already decoded and checked against the URL).
WriteResult CommitCreate(ServerState& state, const WriteContext& ctx, Object obj);

// Replaces `old` with `obj`. `obj.metadata.resourceVersion`, when set, is a
// precondition. Honours client-written managedFields (§8.5).
WriteResult CommitUpdate(ServerState& state, const WriteContext& ctx, const Object& old, Object obj);

// Deletes now (no finalizers left) or marks deleting. `propagation` is
// Background, Foreground or Orphan.
WriteResult CommitDelete(ServerState& state, const WriteContext& ctx, const Object& old,
                         const std::string& propagation);

// Checks the namespace of a namespaced create: exists and not terminating.
std::optional<ApiError> CheckNamespaceWritable(ServerState& state, const ResourceType& type,
                                               const std::string& ns, const std::string& name);

// Decodes a JSON or YAML request body into an object (400 on errors).
std::optional<ApiError> DecodeBody(const std::string& body, const std::string& content_type, Object* out);

// Checks body apiVersion/kind/namespace/name against the URL, fills the
// namespace for namespaced kinds and strips it for cluster-scoped ones.
std::optional<ApiError> CheckBodyMatchesUrl(const ApiRequest& req, const ResourceType& type, Object& obj,
                                            bool name_required);

// True when the kind's generation changes between old and new (§7.2).
bool GenerationChanges(const ResourceType& type, const Object& old, const Object& now);

// Whether the kind carries metadata.generation at all.
bool HasGeneration(const ResourceType& type);

}  // namespace gitopsd::kubesim
