#include "daemon/sync/tracking.h"

#include <sstream>

namespace gitopsd::sync {
namespace {

// True when a comma-separated option list contains `option`.
bool HasOption(const std::string& list, const std::string& option) {
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t a = item.find_first_not_of(" \t");
    size_t b = item.find_last_not_of(" \t");
    if (a != std::string::npos && item.substr(a, b - a + 1) == option) return true;
  }
  return false;
}

}  // namespace

std::string TrackingId(const std::string& app, const ResId& id) {
  return app + ":" + id.group + "/" + id.kind + ":" + id.namespace_ + "/" + id.name;
}

Object WithTracking(const Object& obj, const std::string& app) {
  Object out = obj;
  Object& meta = out["metadata"];
  meta["labels"][kAppLabel] = app;
  meta["annotations"][kTrackingIdAnnotation] = TrackingId(app, ResId::Of(obj));
  return out;
}

bool IsTrackedBy(const Object& live, const std::string& app) {
  return Annotation(live, kTrackingIdAnnotation) == TrackingId(app, ResId::Of(live));
}

std::string AppSelector(const std::string& app) { return std::string(kAppLabel) + "=" + app; }

std::string Annotation(const Object& obj, const std::string& key) {
  const Object* ann = FindPath(obj, "metadata.annotations");
  if (ann == nullptr || !ann->is_object()) return "";
  auto it = ann->find(key);
  return it != ann->end() && it->is_string() ? it->get<std::string>() : "";
}

bool PruneDisabled(const Object& obj) {
  return Annotation(obj, kPruneAnnotation) == "false" ||
         HasOption(Annotation(obj, kArgoSyncOptions), "Prune=false");
}

bool IgnoreExtraneous(const Object& obj) {
  return HasOption(Annotation(obj, kArgoCompareOptions), "IgnoreExtraneous");
}

}  // namespace gitopsd::sync
