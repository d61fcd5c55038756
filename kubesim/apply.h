// Internal: server-side apply requests (§8.3): PATCH with
// application/apply-patch+yaml. Decodes the applied configuration, checks
// fieldManager/force/managedFields, runs the field-manager merge of
// kubesim/ssa.h against the live object (or creates it, 201) and commits
// the result through the write pipeline.
#pragma once

#include "kubesim/state.h"

namespace gitopsd::kubesim {

net::HttpResponse HandleApply(ServerState& state, const ApiRequest& req);

}  // namespace gitopsd::kubesim
