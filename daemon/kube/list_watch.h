// RunListWatch: keeps a consumer in sync with one kind, like client-go's
// reflector. LIST (paginated) -> on_list(items, resourceVersion) -> WATCH
// from that version; when a stream ends it resumes from the newest version
// seen (events and bookmarks); on 410 Gone it relists; on errors it backs
// off (RetryPolicy) and tries again. Blocks the calling thread until a
// handler returns false (-> OK) or `cancel` becomes true (-> Cancelled).
#pragma once

#include <atomic>
#include <functional>

#include "core/status.h"
#include "daemon/kube/client.h"
#include "daemon/kube/throttle.h"

namespace gitopsd::kube {

struct ListWatchOptions {
  ListOptions list;  // namespace and selectors apply to the watch too
  int watch_timeout_seconds = 300;
  const std::atomic<bool>* cancel = nullptr;
  RetryPolicy backoff;  // max_retries is ignored: it retries until cancelled
};

struct ListWatchHandlers {
  std::function<bool(const ListResult&)> on_list;     // a full (re)list
  std::function<bool(const WatchEvent&)> on_event;    // incl. bookmarks
  std::function<void(const Status&)> on_error;        // optional, per failure
};

Status RunListWatch(Client& client, const Gvk& gvk, const ListWatchOptions& options,
                    const ListWatchHandlers& handlers);

}  // namespace gitopsd::kube
