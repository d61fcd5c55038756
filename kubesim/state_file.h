// Internal: the durable state file (--state-file): a JSON snapshot of every
// object plus the resourceVersion counter and allocators, written
// atomically (temp + fsync + rename) on a debounce and at shutdown, loaded
// at start.
#pragma once

#include <string>

#include "core/status.h"
#include "kubesim/state.h"

namespace gitopsd::kubesim {

// Snapshot text of the cluster (lock held).
std::string SnapshotJson(ServerState& state);

// Loads a snapshot into an empty cluster (lock held). NotFound when the
// file does not exist.
Status LoadSnapshot(ServerState& state, const std::string& path);

}  // namespace gitopsd::kubesim
