#include "daemon/sync/engine.h"

#include <functional>
#include <set>
#include <thread>

#include "daemon/sync/order.h"
#include "daemon/sync/tracking.h"

namespace gitopsd::sync {
namespace {

using Clock = std::chrono::steady_clock;

// The CRD among `objects` defining group/kind, or nullptr.
const Object* FindCrd(const ObjectList& objects, const std::string& group, const std::string& kind) {
  for (const Object& o : objects) {
    if (KindOf(o) == "CustomResourceDefinition" && GetString(o, "spec.group") == group &&
        GetString(o, "spec.names.kind") == kind) {
      return &o;
    }
  }
  return nullptr;
}

bool IsUnknownKind(const Status& st) {
  return st.code() == Code::kNotFound && st.message().find("no matches for kind") != std::string::npos;
}

// Another app's (or tool's) tracking id on a live object we are asked to apply.
std::string ForeignOwner(const Object& live, const std::string& app) {
  std::string id = Annotation(live, kTrackingIdAnnotation);
  if (id.empty() || IsTrackedBy(live, app)) return "";
  return id.substr(0, id.find(':'));
}

// Applies one object; while its kind is unknown but this sync applied the
// CRD defining it, waits for the API to be served.
Result<Object> ApplyOne(kube::Client& client, const Object& obj, const ObjectList& desired,
                        const ApplyRunOptions& options) {
  kube::ApplyOptions ao;
  ao.field_manager = options.field_manager;
  ao.dry_run = options.dry_run;
  ResId id = ResId::Of(obj);
  const auto deadline = Clock::now() + options.crd_wait;
  for (;;) {
    auto applied = client.Apply(obj, ao);
    if (applied.ok() || !IsUnknownKind(applied.status()) || options.dry_run ||
        FindCrd(desired, id.group, id.kind) == nullptr || Clock::now() > deadline) {
      return applied;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

ObjectResult ApplyTask(kube::Client& client, const PlannedObject& task, const ObjectList& desired,
                       const ApplyRunOptions& options) {
  ObjectResult r{task.id, Action::kFailed, ""};
  auto live = client.Get(task.id);
  const bool exists = live.ok();
  if (!exists && live.status().code() != Code::kNotFound) {
    if (!(options.dry_run && IsUnknownKind(live.status()))) {
      r.message = live.status().message();
      return r;
    }
  }
  if (exists) {
    if (std::string owner = ForeignOwner(*live, options.app); !owner.empty()) {
      r.message = "refusing to take over " + task.id.ToString() + ": it is tracked by app \"" +
                  owner + "\"";
      return r;
    }
  }
  auto applied = ApplyOne(client, task.object, desired, options);
  if (!applied.ok()) {
    // A dry run cannot create what this sync would create first (its
    // namespace, its CRD): the object would be created.
    if (options.dry_run && !exists && applied.status().code() == Code::kNotFound) {
      r.action = Action::kCreated;
      r.message = "dry run; depends on objects this sync creates";
      return r;
    }
    r.message = applied.status().message();
    return r;
  }
  if (!exists) {
    r.action = Action::kCreated;
  } else if (options.dry_run) {
    auto d = diff::CompareObjects(&task.object, &*live, &*applied);
    r.action = d.ok() && !d->HasChanges() ? Action::kUnchanged : Action::kConfigured;
  } else {
    bool same = GetString(*live, "metadata.resourceVersion") ==
                GetString(*applied, "metadata.resourceVersion");
    r.action = same ? Action::kUnchanged : Action::kConfigured;
  }
  return r;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kCreated:
      return "created";
    case Action::kConfigured:
      return "configured";
    case Action::kUnchanged:
      return "unchanged";
    case Action::kPruned:
      return "pruned";
    case Action::kPruneSkipped:
      return "prune skipped";
    case Action::kFailed:
      return "failed";
  }
  return "failed";
}

Result<ObjectList> PrepareDesired(kube::Client& client, const ObjectList& rendered,
                                  const std::string& app, const std::string& default_namespace) {
  ObjectList out;
  for (const Object& obj : rendered) {
    ResId id = ResId::Of(obj);
    if (id.kind.empty() || id.version.empty() || id.name.empty()) {
      return InvalidArgument("object " + id.ToString() + " lacks apiVersion, kind or metadata.name");
    }
    bool namespaced = true;
    auto info = client.Resolve(kube::Gvk::Of(id));
    if (info.ok()) {
      namespaced = info->namespaced;
    } else if (info.status().code() == Code::kNotFound) {
      if (const Object* crd = FindCrd(rendered, id.group, id.kind)) {
        namespaced = GetString(*crd, "spec.scope") != "Cluster";
      }
    } else {
      return info.status().WithContext(id.ToString());
    }
    Object copy = obj;
    if (namespaced && id.namespace_.empty()) {
      copy["metadata"]["namespace"] = default_namespace;
    } else if (!namespaced && copy["metadata"].contains("namespace")) {
      copy["metadata"].erase("namespace");
    }
    out.push_back(app.empty() ? std::move(copy) : WithTracking(copy, app));
  }
  return out;
}

namespace {

// Every kind the server lets us list.
Result<std::set<kube::Gvk>> ListableKinds(kube::Client& client) {
  ASSIGN_OR_RETURN(auto resources, client.ServerResources());
  std::set<kube::Gvk> kinds;
  for (const auto& r : resources) {
    if (r.HasVerb("list")) kinds.insert(r.gvk);
  }
  return kinds;
}

// Lists the objects matching `selector` of each kind (one version per
// group/kind; a kind the server does not serve, or does not let us list, is
// skipped) and hands every item to `on_item`.
Status ListEachKind(kube::Client& client, const std::set<kube::Gvk>& kinds, const std::string& selector,
                    const std::function<void(const kube::Gvk&, Object&)>& on_item) {
  std::set<std::pair<std::string, std::string>> seen;
  kube::ListOptions lo;
  lo.label_selector = selector;
  for (const auto& gvk : kinds) {
    if (!seen.insert({gvk.group, gvk.kind}).second) continue;
    auto list = client.List(gvk, lo);
    if (!list.ok()) {
      Code c = list.status().code();
      if (c == Code::kNotFound || c == Code::kUnimplemented || c == Code::kPermissionDenied) continue;
      return list.status();
    }
    for (Object& item : list->items) on_item(gvk, item);
  }
  return Status::Ok();
}

}  // namespace

Result<ObjectList> ListTracked(kube::Client& client, const std::string& app) {
  ASSIGN_OR_RETURN(auto kinds, ListableKinds(client));
  return ListTracked(client, app, kinds);
}

Result<ObjectList> ListTracked(kube::Client& client, const std::string& app,
                               const std::set<kube::Gvk>& kinds) {
  ObjectList out;
  Status s = ListEachKind(client, kinds, AppSelector(app), [&](const kube::Gvk&, Object& item) {
    if (IsTrackedBy(item, app)) out.push_back(std::move(item));
  });
  if (!s.ok()) return s.WithContext("listing the objects of app \"" + app + "\"");
  return out;
}

Result<std::map<std::string, std::set<kube::Gvk>>> KindsByApp(kube::Client& client) {
  ASSIGN_OR_RETURN(auto kinds, ListableKinds(client));
  std::map<std::string, std::set<kube::Gvk>> out;
  // The label is present, any app.
  Status s = ListEachKind(client, kinds, kAppLabel, [&](const kube::Gvk& gvk, Object& item) {
    const Object* labels = FindPath(item, "metadata.labels");
    if (labels == nullptr || !labels->is_object()) return;
    auto it = labels->find(kAppLabel);
    if (it != labels->end() && it->is_string()) out[it->get<std::string>()].insert(gvk);
  });
  if (!s.ok()) return s.WithContext("listing the objects of every app");
  return out;
}

ApplyReport ApplyAll(kube::Client& client, const ObjectList& desired, const ObjectList& live,
                     const ApplyRunOptions& options,
                     const std::function<void(const ObjectResult&)>& on_result) {
  ApplyReport report;
  auto emit = [&](ObjectResult r) {
    if (on_result) on_result(r);
    report.results.push_back(std::move(r));
  };
  auto tasks = OrderForApply(desired);
  if (!tasks.ok()) {
    report.status = tasks.status();
    return report;
  }
  for (const PlannedObject& task : *tasks) {
    if (task.phase == Phase::kSyncFail) continue;
    ObjectResult r = ApplyTask(client, task, desired, options);
    bool failed = r.action == Action::kFailed;
    std::string message = r.message;
    emit(std::move(r));
    if (failed) {
      report.status = Status(Code::kFailedPrecondition, message).WithContext(
          "applying " + task.id.ToString());
      return report;  // later waves depend on this one: stop here
    }
  }
  for (auto& c : ComputePrune(desired, live, options.app)) {
    if (!options.prune || c.skipped) {
      emit({c.id, Action::kPruneSkipped, options.prune ? c.reason : "--prune not given"});
      continue;
    }
    kube::DeleteOptions del;
    del.dry_run = options.dry_run;
    del.precondition_uid = GetString(c.live, "metadata.uid");
    Status st = client.Delete(c.id, del);
    if (!st.ok() && st.code() != Code::kNotFound) {
      emit({c.id, Action::kFailed, st.message()});
      report.status = st.WithContext("pruning " + c.id.ToString());
      return report;
    }
    emit({c.id, Action::kPruned, ""});
  }
  return report;
}

LiveCache CacheOf(const ObjectList& live) {
  LiveCache cache;
  for (const Object& o : live) cache.emplace(ResId::Of(o), o);
  return cache;
}

Result<std::optional<Object>> GetCached(kube::Client& client, const ResId& id, LiveCache* cache) {
  if (cache != nullptr) {
    auto it = cache->find(id);
    if (it != cache->end()) return it->second;
  }
  auto got = client.Get(id);
  if (!got.ok() && got.status().code() != Code::kNotFound) return got.status();
  std::optional<Object> out;
  if (got.ok()) out = std::move(got).value();
  if (cache != nullptr) (*cache)[id] = out;
  return out;
}

Result<std::vector<diff::ObjectDiff>> CompareAll(kube::Client& client, const ObjectList& desired,
                                                 const ObjectList& live, const std::string& app,
                                                 const diff::DiffOptions& options, LiveCache* cache) {
  ASSIGN_OR_RETURN(auto tasks, OrderForApply(desired));
  std::vector<diff::ObjectDiff> out;
  kube::ApplyOptions dry;
  dry.dry_run = true;
  for (const PlannedObject& task : tasks) {
    if (task.phase == Phase::kSyncFail) continue;
    auto got = GetCached(client, task.id, cache);
    if (!got.ok()) return got.status().WithContext("comparing " + task.id.ToString());
    const std::optional<Object>& current = *got;
    std::optional<Object> predicted;
    if (current) {
      auto r = client.Apply(task.object, dry);
      if (r.ok()) {
        predicted = std::move(r).value();
      } else if (r.status().code() != Code::kNotFound && r.status().code() != Code::kUnimplemented) {
        return r.status().WithContext("comparing " + task.id.ToString());
      }
    }
    ASSIGN_OR_RETURN(auto d, diff::CompareObjects(&task.object, current ? &*current : nullptr,
                                                  predicted ? &*predicted : nullptr, options));
    out.push_back(std::move(d));
  }
  for (const auto& c : ComputePrune(desired, live, app)) {
    ASSIGN_OR_RETURN(auto d, diff::CompareObjects(nullptr, &c.live, nullptr, options));
    out.push_back(std::move(d));
  }
  return out;
}

Result<HealthReport> AssessAll(kube::Client& client, const std::vector<ResId>& ids, LiveCache* cache) {
  HealthReport report;
  for (const ResId& id : ids) {
    auto live = GetCached(client, id, cache);
    if (!live.ok()) return live.status().WithContext("assessing health");
    diff::HealthStatus h = *live ? diff::AssessHealth(**live)
                                 : diff::HealthStatus{diff::HealthCode::kMissing, "not found"};
    report.resources.push_back({id, h});
  }
  report.app = diff::AppHealth(report.resources);
  return report;
}

Result<HealthReport> WaitForHealth(kube::Client& client, const std::vector<ResId>& ids,
                                   const WaitOptions& options) {
  const auto deadline = Clock::now() + options.timeout;
  for (;;) {
    ASSIGN_OR_RETURN(HealthReport report, AssessAll(client, ids));
    bool degraded = false;
    for (const auto& r : report.resources) {
      degraded |= r.health.status == diff::HealthCode::kDegraded;
    }
    if (report.app.status == diff::HealthCode::kHealthy || degraded) return report;
    if (Clock::now() + options.poll > deadline) {
      report.timed_out = true;
      return report;
    }
    std::this_thread::sleep_for(options.poll);
  }
}

}  // namespace gitopsd::sync
