#include "kubesim/state_file.h"

#include <sys/stat.h>

#include "core/net/tls.h"
#include "kubesim/crd.h"

namespace gitopsd::kubesim {

std::string SnapshotJson(ServerState& state) {
  std::string out = "{\"version\":1,\"resourceVersion\":" + std::to_string(state.cluster.rv()) +
                    ",\"nextClusterIp\":" + std::to_string(state.next_cluster_ip) +
                    ",\"nextNodePort\":" + std::to_string(state.next_node_port) + ",\"objects\":[";
  bool first = true;
  for (const auto& [key, obj] : state.cluster.AllObjects()) {
    if (!first) out += ",\n";
    first = false;
    out += "{\"key\":" + Object(key).dump() + ",\"object\":" + obj->dump() + "}";
  }
  out += "]}\n";
  return out;
}

Status LoadSnapshot(ServerState& state, const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return NotFound(path + ": no state file yet");
  ASSIGN_OR_RETURN(std::string text, net::ReadFileToString(path));
  Object snap;
  try {
    snap = Object::parse(text);
  } catch (const std::exception& e) {
    return InvalidArgument(path + ": not a kubesim state file: " + e.what());
  }
  if (!snap.is_object() || !snap.contains("objects") || !snap["objects"].is_array()) {
    return InvalidArgument(path + ": not a kubesim state file: no \"objects\" list");
  }
  for (const auto& entry : snap["objects"]) {
    std::string key = entry.value("key", "");
    if (key.empty() || !entry.contains("object")) continue;
    state.cluster.Restore(key, entry["object"]);
    if (key == "apiextensions.k8s.io/customresourcedefinitions") RegisterCrd(state.cluster, entry["object"]);
  }
  state.cluster.set_rv(snap.value("resourceVersion", int64_t{1}));
  state.cluster.ResetHistory();
  state.next_cluster_ip = snap.value("nextClusterIp", 10);
  state.next_node_port = snap.value("nextNodePort", 30000);
  return Status::Ok();
}

}  // namespace gitopsd::kubesim
