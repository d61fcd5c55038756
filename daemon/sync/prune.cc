#include "daemon/sync/prune.h"

#include <set>
#include <tuple>

#include "daemon/sync/order.h"
#include "daemon/sync/tracking.h"

namespace gitopsd::sync {
namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string>;

Key KeyOf(const ResId& id) { return {id.group, id.kind, id.namespace_, id.name}; }

}  // namespace

std::vector<PruneCandidate> ComputePrune(const ObjectList& desired, const ObjectList& live,
                                         const std::string& app) {
  std::set<Key> wanted;
  for (const Object& obj : desired) wanted.insert(KeyOf(ResId::Of(obj)));
  ObjectList extra;
  std::set<Key> seen;
  for (const Object& obj : live) {
    if (!IsTrackedBy(obj, app)) continue;
    Key key = KeyOf(ResId::Of(obj));
    if (wanted.count(key) != 0 || !seen.insert(key).second) continue;
    extra.push_back(obj);
  }
  std::vector<PruneCandidate> out;
  auto ordered = OrderForPrune(extra);
  if (!ordered.ok()) {  // a bad wave annotation on a live object: keep input order
    for (Object& obj : extra) out.push_back({ResId::Of(obj), std::move(obj), false, ""});
  } else {
    for (auto& t : *ordered) out.push_back({t.id, std::move(t.object), false, ""});
  }
  for (auto& c : out) {
    if (PruneDisabled(c.live)) {
      c.skipped = true;
      c.reason = "pruning disabled by annotation";
    }
  }
  return out;
}

}  // namespace gitopsd::sync
