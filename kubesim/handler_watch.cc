// watch (§11.3): a chunked stream of JSON event lines. Initial ADDED events
// for resourceVersion ""/"0", replay from history for resourceVersion N
// (410 Expired when N is older than the history), then live events; label
// and field selector transitions become ADDED/DELETED as in the upstream
// watch cache; Table watches send one-row Tables. Ends at timeoutSeconds
// (or the request's `timeout`).
#include <atomic>

#include "kubesim/controllers.h"
#include "kubesim/selectors.h"
#include "kubesim/table.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

struct WatchSpec {
  std::string key;
  std::string ns;
  std::string version;
  bool table = false;
  ListFilter filter;
  const ResourceType* type = nullptr;  // valid while the lock is held
  ResourceType type_copy;
};

std::string EventLine(const WatchSpec& w, const char* type, const Object& obj) {
  Object served = Served(w.type_copy, w.version, obj);
  Object payload = w.table ? TableOf(w.type_copy, {&served}, served["metadata"].value("resourceVersion", ""), true)
                           : std::move(served);
  std::string line = "{\"type\":\"";
  line += type;
  line += "\",\"object\":";
  line += payload.dump();
  line += "}\n";
  return line;
}

// The event `ev` as this watch sees it, or "" when filtered out.
std::string Translate(const WatchSpec& w, const StoredEvent& ev) {
  if (!w.ns.empty() && ev.ns != w.ns) return "";
  bool now = w.filter.Matches(ev.object);
  if (ev.type == EventType::kModified && !w.filter.empty()) {
    bool before = !ev.previous.is_null() && w.filter.Matches(ev.previous);
    if (now && !before) return EventLine(w, "ADDED", ev.object);
    if (!now && before) return EventLine(w, "DELETED", ev.object);
  }
  if (!now) return "";
  return EventLine(w, EventTypeName(ev.type), ev.object);
}

int TimeoutSeconds(const ApiRequest& req) {
  int t = 0;
  try {
    if (!req.Param("timeoutSeconds").empty()) t = std::stoi(req.Param("timeoutSeconds"));
    std::string d = req.Param("timeout");
    if (!d.empty()) {
      int v = std::stoi(d);
      char unit = d.back();
      int s = unit == 'm' ? v * 60 : unit == 'h' ? v * 3600 : v;
      if (s > 0 && (t == 0 || s < t)) t = s;
    }
  } catch (...) {
  }
  return t;
}

}  // namespace

void HandleWatch(ServerState& state, const ApiRequest& req, std::shared_ptr<net::HttpResponder> out) {
  auto w = std::make_shared<WatchSpec>();
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) {
    out->Send(err->ToResponse());
    return;
  }
  if (auto e = ListFilter::Parse(req, *type, &w->filter)) {
    out->Send(e->ToResponse());
    return;
  }
  w->key = type->StorageKey();
  w->ns = type->info.namespaced ? req.ns : "";
  w->version = req.version;
  w->table = req.WantsTable();
  w->type_copy = *type;
  int64_t since = -1;
  std::string rv = req.Param("resourceVersion");
  if (!rv.empty() && rv != "0") {
    try {
      since = std::stoll(rv);
    } catch (...) {
      out->Send(BadRequest("invalid resourceVersion: " + rv).ToResponse());
      return;
    }
  }
  auto id = std::make_shared<std::atomic<int>>(0);
  ServerState* st = &state;
  out->OnClose([st, id] {
    auto l = st->cluster.Lock();
    if (id->load() != 0) st->cluster.RemoveWatcher(id->load());
  });
  out->StartStream(200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-cache, private"}});
  if (since >= 0 && since < state.cluster.HistoryFloor()) {
    Object status = Expired("too old resource version: " + rv + " (" + std::to_string(state.cluster.HistoryFloor()) + ")").ToStatus();
    out->Write("{\"type\":\"ERROR\",\"object\":" + status.dump() + "}\n");
    out->EndStream();
    return;
  }
  if (since < 0) {
    for (const Object* o : state.cluster.List(w->key, w->ns)) {
      if (w->filter.Matches(*o)) out->Write(EventLine(*w, "ADDED", *o));
    }
  } else {
    for (const StoredEvent* ev : state.cluster.EventsSince(w->key, since)) {
      std::string line = Translate(*w, *ev);
      if (!line.empty()) out->Write(std::move(line));
    }
  }
  std::weak_ptr<net::HttpResponder> weak = out;
  id->store(state.cluster.AddWatcher(w->key, [w, out](const StoredEvent& ev) {
    if (out->Closed()) return false;
    std::string line = Translate(*w, ev);
    return line.empty() || out->Write(std::move(line));
  }));
  int timeout = TimeoutSeconds(req);
  if (timeout > 0 && state.controllers != nullptr) {
    state.controllers->Schedule(timeout * 1000, [st, id, weak] {
      {
        auto l = st->cluster.Lock();
        st->cluster.RemoveWatcher(id->load());
      }
      if (auto o = weak.lock()) o->EndStream();
    });
  }
}

}  // namespace gitopsd::kubesim
