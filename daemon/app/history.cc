#include "daemon/app/history.h"

#include <sqlite3.h>

#include <array>
#include <filesystem>

namespace gitopsd::app {
namespace {

constexpr std::array<std::string_view, 5> kPhaseNames = {"Running", "Succeeded", "Failed",
                                                         "RolledBack", "Interrupted"};

// Forward-only migrations; migration i brings the schema to version i + 1.
constexpr std::array<const char*, 3> kMigrations = {
    // v1: operations and app state.
    R"sql(
CREATE TABLE operations (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  app         TEXT NOT NULL,
  initiator   TEXT NOT NULL,
  revision    TEXT NOT NULL,
  commit_sha  TEXT NOT NULL DEFAULT '',
  images      TEXT NOT NULL DEFAULT '[]',
  phase       TEXT NOT NULL,
  message     TEXT NOT NULL DEFAULT '',
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  resources   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX operations_by_app ON operations (app, id);
CREATE INDEX operations_by_phase ON operations (phase);
CREATE TABLE app_state (
  app                   TEXT PRIMARY KEY,
  last_healthy_revision TEXT NOT NULL DEFAULT '',
  bad_revisions         TEXT NOT NULL DEFAULT '[]',
  hold_revision         TEXT,
  hold_reason           TEXT,
  updated_at            INTEGER NOT NULL
);
)sql",
    // v2: free-form operation parameters (dry run, prune, rollback source).
    R"sql(
ALTER TABLE operations ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
)sql",
    // v3: the commit the tracked revision pointed at when a hold was set, so
    // a new commit on the branch can release the hold.
    R"sql(
ALTER TABLE app_state ADD COLUMN hold_base TEXT NOT NULL DEFAULT '';
)sql",
};

int64_t ToMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint FromMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }
int64_t NowMillis() { return ToMillis(std::chrono::system_clock::now()); }

Status SqlError(sqlite3* db, std::string_view what) {
  std::string msg = "history database: " + std::string(what) + ": " + sqlite3_errmsg(db);
  int code = sqlite3_errcode(db) & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR ||
      code == SQLITE_FULL) {
    return Unavailable(msg);
  }
  return Internal(msg);
}

// A prepared statement, finalized on destruction. Bind is 1-based.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Stmt& Bind(int i, std::string_view s) {
    // A null data() would bind SQL NULL; an empty view must bind ''.
    sqlite3_bind_text(stmt_, i, s.data() ? s.data() : "", static_cast<int>(s.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

Status Exec(sqlite3* db, const char* sql, std::string_view what) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = "history database: " + std::string(what) + ": " + (err ? err : "?");
    sqlite3_free(err);
    return Internal(msg);
  }
  return Status::Ok();
}

// BEGIN IMMEDIATE ... COMMIT, rolled back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {
    began_ = Exec(db, "BEGIN IMMEDIATE", "begin transaction");
  }
  ~Transaction() {
    if (began_.ok() && !committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  const Status& began() const { return began_; }
  Status Commit() {
    RETURN_IF_ERROR(Exec(db_, "COMMIT", "commit"));
    committed_ = true;
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  Status began_;
  bool committed_ = false;
};

std::string JsonOfStrings(const std::vector<std::string>& v) { return Object(v).dump(); }

Object ParseJson(const std::string& text, Object fallback) {
  Object parsed = Object::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? fallback : parsed;
}

std::vector<std::string> StringsOfJson(const std::string& text) {
  std::vector<std::string> out;
  Object arr = ParseJson(text, Object::array());
  if (!arr.is_array()) return out;
  for (const auto& v : arr) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

constexpr const char* kSelectOperation =
    "SELECT id, app, initiator, revision, commit_sha, images, phase, message, started_at, "
    "finished_at, resources, details FROM operations ";

Operation OperationOfRow(const Stmt& s) {
  Operation op;
  op.id = s.Int(0);
  op.app = s.Text(1);
  op.initiator = s.Text(2);
  op.revision = s.Text(3);
  op.commit_sha = s.Text(4);
  op.images = StringsOfJson(s.Text(5));
  op.phase = ParsePhase(s.Text(6)).ok() ? *ParsePhase(s.Text(6)) : Phase::kInterrupted;
  op.message = s.Text(7);
  op.started_at = FromMillis(s.Int(8));
  if (!s.IsNull(9)) op.finished_at = FromMillis(s.Int(9));
  op.resources = ParseJson(s.Text(10), Object::array());
  op.details = ParseJson(s.Text(11), Object::object());
  return op;
}

Status Migrate(sqlite3* db, const std::string& path) {
  int64_t current = 0;
  {
    Stmt version(db, "PRAGMA user_version");
    if (!version.ok() || version.Step() != SQLITE_ROW) return SqlError(db, "reading schema version");
    current = version.Int(0);
  }
  const int64_t latest = static_cast<int64_t>(kMigrations.size());
  if (current > latest) {
    return FailedPrecondition("history database \"" + path + "\" has schema version " +
                              std::to_string(current) + ", newer than this gitopsd knows (" +
                              std::to_string(latest) + "); upgrade gitopsd or move the file");
  }
  for (int64_t v = current; v < latest; ++v) {
    Transaction tx(db);
    RETURN_IF_ERROR(tx.began());
    RETURN_IF_ERROR(Exec(db, kMigrations[static_cast<size_t>(v)],
                         "migrating to schema version " + std::to_string(v + 1)));
    std::string set = "PRAGMA user_version = " + std::to_string(v + 1);
    RETURN_IF_ERROR(Exec(db, set.c_str(), "setting schema version"));
    RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

}  // namespace

std::string_view PhaseName(Phase phase) { return kPhaseNames[static_cast<size_t>(phase)]; }

Result<Phase> ParsePhase(std::string_view name) {
  for (size_t i = 0; i < kPhaseNames.size(); ++i) {
    if (kPhaseNames[i] == name) return static_cast<Phase>(i);
  }
  return InvalidArgument("unknown operation phase \"" + std::string(name) + "\"");
}

int History::SchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<std::unique_ptr<History>> History::Open(const HistoryOptions& options) {
  std::filesystem::path file(options.path);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) {
    return Unavailable("creating the directory of history database \"" + options.path +
                       "\": " + ec.message());
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  std::unique_ptr<History> history(new History(db, options));  // closes db on every error path
  if (rc != SQLITE_OK) return SqlError(db, "opening \"" + options.path + "\"");
  sqlite3_busy_timeout(db, 5000);
  RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode = WAL", "enabling WAL"));
  RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous = FULL", "setting synchronous"));
  RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys"));
  {
    Stmt mode(db, "PRAGMA journal_mode");
    if (!mode.ok() || mode.Step() != SQLITE_ROW || mode.Text(0) != "wal") {
      return Unavailable("history database \"" + options.path + "\" cannot use WAL mode");
    }
  }
  RETURN_IF_ERROR(Migrate(db, options.path));
  return history;
}

History::~History() { sqlite3_close_v2(db_); }

Result<int64_t> History::StartOperation(const Operation& op) {
  if (op.app.empty()) return InvalidArgument("operation without an app");
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  RETURN_IF_ERROR(tx.began());
  int64_t started = op.started_at == TimePoint{} ? NowMillis() : ToMillis(op.started_at);
  Stmt ins(db_,
           "INSERT INTO operations (app, initiator, revision, commit_sha, images, phase, message, "
           "started_at, finished_at, resources, details) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return SqlError(db_, "preparing insert");
  ins.Bind(1, op.app).Bind(2, op.initiator).Bind(3, op.revision).Bind(4, op.commit_sha);
  ins.Bind(5, JsonOfStrings(op.images)).Bind(6, PhaseName(op.phase)).Bind(7, op.message);
  ins.Bind(8, started);
  if (op.finished_at) ins.Bind(9, ToMillis(*op.finished_at));
  else if (op.phase != Phase::kRunning) ins.Bind(9, started);
  else ins.BindNull(9);
  ins.Bind(10, op.resources.dump()).Bind(11, op.details.dump());
  if (ins.Step() != SQLITE_DONE) return SqlError(db_, "recording operation of app " + op.app);
  int64_t id = sqlite3_last_insert_rowid(db_);
  // Retention: keep the newest max_operations_per_app finished operations.
  Stmt trim(db_,
            "DELETE FROM operations WHERE app = ? AND finished_at IS NOT NULL AND id NOT IN "
            "(SELECT id FROM operations WHERE app = ? AND finished_at IS NOT NULL "
            "ORDER BY id DESC LIMIT ?)");
  if (!trim.ok()) return SqlError(db_, "preparing retention");
  trim.Bind(1, op.app).Bind(2, op.app).Bind(3, static_cast<int64_t>(options_.max_operations_per_app));
  if (trim.Step() != SQLITE_DONE) return SqlError(db_, "trimming history of app " + op.app);
  RETURN_IF_ERROR(tx.Commit());
  return id;
}

Status History::UpdateOperation(const Operation& op) {
  std::lock_guard lock(mu_);
  std::optional<int64_t> finished;
  if (op.finished_at) finished = ToMillis(*op.finished_at);
  else if (op.phase != Phase::kRunning) finished = NowMillis();
  Stmt up(db_,
          "UPDATE operations SET commit_sha = ?, images = ?, phase = ?, message = ?, "
          "finished_at = ?, resources = ?, details = ? WHERE id = ?");
  if (!up.ok()) return SqlError(db_, "preparing update");
  up.Bind(1, op.commit_sha).Bind(2, JsonOfStrings(op.images)).Bind(3, PhaseName(op.phase));
  up.Bind(4, op.message);
  if (finished) up.Bind(5, *finished);
  else up.BindNull(5);
  up.Bind(6, op.resources.dump()).Bind(7, op.details.dump()).Bind(8, op.id);
  // A single statement outside BEGIN is its own (durable) transaction.
  if (up.Step() != SQLITE_DONE) {
    return SqlError(db_, "updating operation " + std::to_string(op.id));
  }
  if (sqlite3_changes(db_) == 0) {
    return NotFound("no operation " + std::to_string(op.id) + " in the history");
  }
  return Status::Ok();
}

Result<Operation> History::GetOperation(int64_t id) const {
  std::lock_guard lock(mu_);
  Stmt q(db_, (std::string(kSelectOperation) + "WHERE id = ?").c_str());
  if (!q.ok()) return SqlError(db_, "preparing query");
  q.Bind(1, id);
  int rc = q.Step();
  if (rc == SQLITE_DONE) return NotFound("no operation " + std::to_string(id) + " in the history");
  if (rc != SQLITE_ROW) return SqlError(db_, "reading operation " + std::to_string(id));
  return OperationOfRow(q);
}

Result<std::vector<Operation>> History::ListOperations(std::string_view app, int limit,
                                                       int64_t before_id) const {
  std::lock_guard lock(mu_);
  Stmt q(db_, (std::string(kSelectOperation) + "WHERE app = ? AND (? = 0 OR id < ?) "
                                               "ORDER BY id DESC LIMIT ?").c_str());
  if (!q.ok()) return SqlError(db_, "preparing query");
  q.Bind(1, app).Bind(2, before_id).Bind(3, before_id).Bind(4, static_cast<int64_t>(limit));
  std::vector<Operation> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(OperationOfRow(q));
  if (rc != SQLITE_DONE) return SqlError(db_, "listing operations of app " + std::string(app));
  return out;
}

Result<std::optional<Operation>> History::LastOperation(std::string_view app,
                                                        std::optional<Phase> phase) const {
  std::lock_guard lock(mu_);
  Stmt q(db_, (std::string(kSelectOperation) + "WHERE app = ? AND (? = '' OR phase = ?) "
                                               "ORDER BY id DESC LIMIT 1").c_str());
  if (!q.ok()) return SqlError(db_, "preparing query");
  std::string_view name = phase ? PhaseName(*phase) : std::string_view();
  q.Bind(1, app).Bind(2, name).Bind(3, name);
  int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<Operation>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading operations of app " + std::string(app));
  return std::optional<Operation>(OperationOfRow(q));
}

Result<std::vector<Operation>> History::MarkInterrupted(std::string_view message) {
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  RETURN_IF_ERROR(tx.began());
  Stmt q(db_, (std::string(kSelectOperation) + "WHERE phase = 'Running' ORDER BY id").c_str());
  if (!q.ok()) return SqlError(db_, "preparing query");
  std::vector<Operation> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(OperationOfRow(q));
  if (rc != SQLITE_DONE) return SqlError(db_, "reading running operations");
  int64_t now = NowMillis();
  for (Operation& op : out) {
    Stmt up(db_, "UPDATE operations SET phase = 'Interrupted', message = ?, finished_at = ? "
                 "WHERE id = ?");
    if (!up.ok()) return SqlError(db_, "preparing update");
    up.Bind(1, message).Bind(2, now).Bind(3, op.id);
    if (up.Step() != SQLITE_DONE) return SqlError(db_, "marking operation interrupted");
    op.phase = Phase::kInterrupted;
    op.message = std::string(message);
    op.finished_at = FromMillis(now);
  }
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

namespace {

AppState AppStateOfRow(const Stmt& s) {
  AppState st;
  st.app = s.Text(0);
  st.last_healthy_revision = s.Text(1);
  for (auto& rev : StringsOfJson(s.Text(2))) st.bad_revisions.insert(std::move(rev));
  if (!s.IsNull(3)) st.hold = Hold{s.Text(3), s.Text(4), s.Text(5)};
  return st;
}

constexpr const char* kSelectAppState =
    "SELECT app, last_healthy_revision, bad_revisions, hold_revision, hold_reason, hold_base FROM app_state ";

}  // namespace

Result<AppState> History::LoadAppState(std::string_view app) const {
  std::lock_guard lock(mu_);
  Stmt q(db_, (std::string(kSelectAppState) + "WHERE app = ?").c_str());
  if (!q.ok()) return SqlError(db_, "preparing query");
  q.Bind(1, app);
  int rc = q.Step();
  if (rc == SQLITE_DONE) {
    AppState fresh;
    fresh.app = std::string(app);
    return fresh;
  }
  if (rc != SQLITE_ROW) return SqlError(db_, "reading state of app " + std::string(app));
  return AppStateOfRow(q);
}

Result<std::vector<AppState>> History::LoadAllAppStates() const {
  std::lock_guard lock(mu_);
  Stmt q(db_, (std::string(kSelectAppState) + "ORDER BY app").c_str());
  if (!q.ok()) return SqlError(db_, "preparing query");
  std::vector<AppState> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(AppStateOfRow(q));
  if (rc != SQLITE_DONE) return SqlError(db_, "reading app states");
  return out;
}

Status History::SaveAppState(const AppState& state) {
  if (state.app.empty()) return InvalidArgument("app state without an app");
  std::lock_guard lock(mu_);
  Stmt up(db_,
          "INSERT INTO app_state (app, last_healthy_revision, bad_revisions, hold_revision, "
          "hold_reason, updated_at, hold_base) VALUES (?,?,?,?,?,?,?) ON CONFLICT(app) DO UPDATE "
          "SET last_healthy_revision = excluded.last_healthy_revision, "
          "bad_revisions = excluded.bad_revisions, hold_revision = excluded.hold_revision, "
          "hold_reason = excluded.hold_reason, updated_at = excluded.updated_at, "
          "hold_base = excluded.hold_base");
  if (!up.ok()) return SqlError(db_, "preparing upsert");
  std::vector<std::string> bad(state.bad_revisions.begin(), state.bad_revisions.end());
  up.Bind(1, state.app).Bind(2, state.last_healthy_revision).Bind(3, JsonOfStrings(bad));
  if (state.hold) up.Bind(4, state.hold->revision).Bind(5, state.hold->reason);
  else up.BindNull(4).BindNull(5);
  up.Bind(6, NowMillis());
  up.Bind(7, state.hold ? state.hold->base_revision : std::string());
  if (up.Step() != SQLITE_DONE) return SqlError(db_, "saving state of app " + state.app);
  return Status::Ok();
}

Status History::DeleteApp(std::string_view app) {
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  RETURN_IF_ERROR(tx.began());
  for (const char* sql : {"DELETE FROM operations WHERE app = ?", "DELETE FROM app_state WHERE app = ?"}) {
    Stmt del(db_, sql);
    if (!del.ok()) return SqlError(db_, "preparing delete");
    del.Bind(1, app);
    if (del.Step() != SQLITE_DONE) return SqlError(db_, "deleting app " + std::string(app));
  }
  return tx.Commit();
}

}  // namespace gitopsd::app
