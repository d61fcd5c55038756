#include "daemon/kube/list_watch.h"

#include <thread>

#include "daemon/kube/api_status.h"

namespace gitopsd::kube {
namespace {

bool Cancelled(const ListWatchOptions& o) { return o.cancel != nullptr && o.cancel->load(); }

// Sleeps up to `d`, waking early on cancel.
void SleepUnlessCancelled(const ListWatchOptions& o, std::chrono::milliseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (!Cancelled(o) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min(d, std::chrono::milliseconds(50)));
  }
}

}  // namespace

Status RunListWatch(Client& client, const Gvk& gvk, const ListWatchOptions& options,
                    const ListWatchHandlers& handlers) {
  std::string rv;
  bool need_list = true;
  int failures = 0;
  auto fail = [&](const Status& st) {
    if (handlers.on_error) handlers.on_error(st);
    SleepUnlessCancelled(options, RetryDelay(options.backoff, ++failures, ""));
  };
  while (!Cancelled(options)) {
    if (need_list) {
      auto list = client.List(gvk, options.list);
      if (!list.ok()) {
        fail(list.status());
        continue;
      }
      if (!handlers.on_list(*list)) return Status::Ok();
      rv = list->resource_version;
      need_list = false;
    }
    WatchOptions wo;
    wo.namespace_ = options.list.namespace_;
    wo.label_selector = options.list.label_selector;
    wo.field_selector = options.list.field_selector;
    wo.resource_version = rv;
    wo.timeout_seconds = options.watch_timeout_seconds;
    wo.cancel = options.cancel;
    bool stopped = false;
    Status st = client.Watch(
        gvk, wo,
        [&](const WatchEvent& ev) {
          failures = 0;
          if (!handlers.on_event(ev)) stopped = true;
          return !stopped;
        },
        &rv);
    if (stopped) return Status::Ok();
    if (Cancelled(options)) break;
    if (st.ok()) continue;  // the server closed the stream: resume from rv
    if (IsGone(st)) {
      need_list = true;  // our version is too old: start over
      if (handlers.on_error) handlers.on_error(st);
      continue;
    }
    fail(st);
  }
  return gitopsd::Cancelled("list-watch of " + gvk.kind + " cancelled");
}

}  // namespace gitopsd::kube
