// History: the SQLite store of operations and per-app state
// (`<stateDir>/gitopsd.db`).
//
// What it keeps:
//  - every operation (sync, rollback, ...) of every app: who started it, the
//    revision and commit, the images deployed, its phase, message, timing and
//    the per-resource results (JSON);
//  - each app's persistent state: the last revision that synced Healthy, the
//    revisions marked bad by an automatic rollback, and a hold.
//
// Durability: the database runs in WAL mode with synchronous=FULL and every
// write is one transaction, so when a write method returns OK the data is in
// the fsync'ed WAL: a kill -9 (or a power loss) at any later moment loses
// nothing that was reported written. (synchronous=NORMAL would survive
// kill -9 too — the WAL pages are in the OS page cache — but not a power loss
// or kernel crash; operations are written a few times each, so the extra
// fsync costs nothing that matters.) Operations still Running when the
// process died are found by MarkInterrupted() at the next start.
//
// Schema: versioned with PRAGMA user_version and migrated forward on Open();
// a database from a newer gitopsd is refused rather than guessed at.
//
// Thread-safety: all methods may be called concurrently from any thread; one
// connection is shared under a mutex (writes are short).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

struct sqlite3;

namespace gitopsd::app {

enum class Phase { kRunning, kSucceeded, kFailed, kRolledBack, kInterrupted };

// "Running", "Succeeded", "Failed", "RolledBack", "Interrupted".
std::string_view PhaseName(Phase phase);
Result<Phase> ParsePhase(std::string_view name);

using TimePoint = std::chrono::system_clock::time_point;

struct Operation {
  int64_t id = 0;              // assigned by StartOperation
  std::string app;
  std::string initiator;       // "auto", "webhook", "rollback", or a user name
  std::string revision;        // as requested: branch, tag or sha
  std::string commit_sha;      // the commit it resolved to ("" if not resolved)
  std::vector<std::string> images;
  Phase phase = Phase::kRunning;
  std::string message;         // the outcome, or the reason of a failure/rollback
  TimePoint started_at{};      // epoch: StartOperation uses now
  std::optional<TimePoint> finished_at;  // unset while Running
  Object resources = Object::array();    // per-resource results
  // Free-form parameters of the operation (e.g. {"dryRun": true, "prune":
  // true, "rollbackOf": 12}).
  Object details = Object::object();
};

struct Hold {
  std::string revision;  // the app stays at this revision
  std::string reason;
  // The commit the app's tracked revision pointed at when the hold was set;
  // a different commit there (a new push) releases the hold.
  std::string base_revision;
};

// An app's state that must survive restarts.
struct AppState {
  std::string app;
  std::string last_healthy_revision;  // commit sha; "" = none yet
  std::set<std::string> bad_revisions;  // commit shas auto-sync must not retry
  std::optional<Hold> hold;
};

struct HistoryOptions {
  std::string path;  // the database file; its directory is created if missing
  // Finished operations kept per app; older ones are deleted as new ones start.
  int max_operations_per_app = 1000;
};

class History {
 public:
  static Result<std::unique_ptr<History>> Open(const HistoryOptions& options);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // The schema version this build writes (and the database has after Open).
  static int SchemaVersion();

  // Records a new operation (phase as given, normally Running) and returns
  // its id. started_at defaults to now; a finished phase without finished_at
  // is recorded as finished when it started.
  Result<int64_t> StartOperation(const Operation& op);

  // Rewrites the mutable fields of operation op.id: commit_sha, images,
  // phase, message, finished_at, resources, details. A phase other than
  // Running sets finished_at to now when op.finished_at is unset. NotFound
  // for an unknown id.
  Status UpdateOperation(const Operation& op);

  Result<Operation> GetOperation(int64_t id) const;

  // An app's operations, newest first; at most `limit`, with id < before_id
  // when before_id > 0 (paging).
  Result<std::vector<Operation>> ListOperations(std::string_view app, int limit = 100,
                                                int64_t before_id = 0) const;

  // The newest operation of an app in the given phase, if any.
  Result<std::optional<Operation>> LastOperation(std::string_view app,
                                                 std::optional<Phase> phase = {}) const;

  // At startup: every operation still Running becomes Interrupted with
  // `message` and finished now. Returns those operations (after the change),
  // so their apps can be reconciled again.
  Result<std::vector<Operation>> MarkInterrupted(std::string_view message);

  // An app's persistent state (a default state naming the app if none).
  Result<AppState> LoadAppState(std::string_view app) const;
  Result<std::vector<AppState>> LoadAllAppStates() const;
  Status SaveAppState(const AppState& state);
  // Removes an app's state and history (the app left the configuration).
  Status DeleteApp(std::string_view app);

 private:
  History(sqlite3* db, HistoryOptions options) : db_(db), options_(std::move(options)) {}

  sqlite3* db_;
  HistoryOptions options_;
  mutable std::mutex mu_;
};

}  // namespace gitopsd::app
