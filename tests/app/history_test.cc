// History: the SQLite operations/app-state store, on real files.
#include "daemon/app/history.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "tests/git/git_fixture.h"

namespace gitopsd::app {
namespace {

using git::testing::TempDir;

class HistoryTest : public ::testing::Test {
 protected:
  std::string db_path() const { return tmp_.path() + "/state/gitopsd.db"; }
  std::unique_ptr<History> Open(int keep = 1000) {
    HistoryOptions options;
    options.path = db_path();
    options.max_operations_per_app = keep;
    auto h = History::Open(options);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? std::move(*h) : nullptr;
  }
  static Operation Op(std::string app, std::string initiator = "auto") {
    Operation op;
    op.app = std::move(app);
    op.initiator = std::move(initiator);
    op.revision = "main";
    return op;
  }

  TempDir tmp_;
};

TEST_F(HistoryTest, OperationRoundTripsEveryField) {
  auto h = Open();
  Operation op = Op("shop-dev", "alice");
  op.commit_sha = "0123456789abcdef0123456789abcdef01234567";
  op.images = {"shop:v2", "redis:7"};
  op.details = {{"dryRun", false}, {"prune", true}};
  auto id = h->StartOperation(op);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  auto running = h->GetOperation(*id);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->phase, Phase::kRunning);
  EXPECT_FALSE(running->finished_at.has_value());
  EXPECT_GT(running->started_at.time_since_epoch().count(), 0);

  op.id = *id;
  op.phase = Phase::kSucceeded;
  op.message = "synced 3 objects";
  op.resources = Object::array({{{"kind", "Deployment"}, {"name", "shop"}, {"result", "configured"}}});
  ASSERT_TRUE(h->UpdateOperation(op).ok());

  auto done = h->GetOperation(*id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->app, "shop-dev");
  EXPECT_EQ(done->initiator, "alice");
  EXPECT_EQ(done->revision, "main");
  EXPECT_EQ(done->commit_sha, op.commit_sha);
  EXPECT_EQ(done->images, op.images);
  EXPECT_EQ(done->phase, Phase::kSucceeded);
  EXPECT_EQ(done->message, "synced 3 objects");
  EXPECT_TRUE(done->finished_at.has_value());
  EXPECT_GE(*done->finished_at, done->started_at);
  EXPECT_EQ(done->resources, op.resources);
  EXPECT_EQ(done->details, op.details);
}

TEST_F(HistoryTest, UnknownOperationIsNotFound) {
  auto h = Open();
  EXPECT_EQ(h->GetOperation(42).status().code(), Code::kNotFound);
  Operation op = Op("a");
  op.id = 42;
  EXPECT_EQ(h->UpdateOperation(op).code(), Code::kNotFound);
  EXPECT_EQ(h->StartOperation(Op("")).status().code(), Code::kInvalidArgument);
}

TEST_F(HistoryTest, ListsNewestFirstPerAppWithPaging) {
  auto h = Open();
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(*h->StartOperation(Op("dev")));
  ASSERT_TRUE(h->StartOperation(Op("prod")).ok());
  auto all = h->ListOperations("dev");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().id, ids[4]);
  EXPECT_EQ(all->back().id, ids[0]);
  auto page = h->ListOperations("dev", 2, ids[3]);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, ids[2]);
  EXPECT_EQ((*page)[1].id, ids[1]);
  EXPECT_EQ(h->ListOperations("prod")->size(), 1u);
  EXPECT_TRUE(h->ListOperations("nope")->empty());
}

TEST_F(HistoryTest, LastOperationByPhase) {
  auto h = Open();
  Operation a = Op("dev");
  a.phase = Phase::kSucceeded;
  a.revision = "sha-a";
  ASSERT_TRUE(h->StartOperation(a).ok());
  Operation b = Op("dev");
  b.phase = Phase::kFailed;
  ASSERT_TRUE(h->StartOperation(b).ok());
  auto last = h->LastOperation("dev");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->phase, Phase::kFailed);
  auto good = h->LastOperation("dev", Phase::kSucceeded);
  ASSERT_TRUE(good.ok() && good->has_value());
  EXPECT_EQ((*good)->revision, "sha-a");
  EXPECT_FALSE(h->LastOperation("dev", Phase::kRolledBack)->has_value());
}

TEST_F(HistoryTest, EverythingSurvivesReopen) {
  int64_t id;
  {
    auto h = Open();
    id = *h->StartOperation(Op("dev"));
    AppState st;
    st.app = "dev";
    st.last_healthy_revision = "good";
    st.bad_revisions = {"bad1", "bad2"};
    st.hold = Hold{"good", "manual rollback by alice", "base123"};
    ASSERT_TRUE(h->SaveAppState(st).ok());
  }
  auto h = Open();
  EXPECT_EQ(h->GetOperation(id)->app, "dev");
  auto st = h->LoadAppState("dev");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->last_healthy_revision, "good");
  EXPECT_EQ(st->bad_revisions, (std::set<std::string>{"bad1", "bad2"}));
  ASSERT_TRUE(st->hold.has_value());
  EXPECT_EQ(st->hold->revision, "good");
  EXPECT_EQ(st->hold->reason, "manual rollback by alice");
  EXPECT_EQ(st->hold->base_revision, "base123");
}

TEST_F(HistoryTest, AppStateDefaultsAndHoldRelease) {
  auto h = Open();
  auto fresh = h->LoadAppState("new-app");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->app, "new-app");
  EXPECT_TRUE(fresh->last_healthy_revision.empty());
  EXPECT_FALSE(fresh->hold.has_value());

  AppState st = *fresh;
  st.hold = Hold{"abc", "rollback", ""};
  ASSERT_TRUE(h->SaveAppState(st).ok());
  st.hold.reset();
  st.bad_revisions.clear();
  ASSERT_TRUE(h->SaveAppState(st).ok());
  EXPECT_FALSE(h->LoadAppState("new-app")->hold.has_value());
  AppState other;
  other.app = "another";
  ASSERT_TRUE(h->SaveAppState(other).ok());
  auto all = h->LoadAllAppStates();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].app, "another");
}

TEST_F(HistoryTest, MarkInterruptedTouchesOnlyRunningOperations) {
  int64_t running_id, done_id;
  {
    auto h = Open();
    running_id = *h->StartOperation(Op("dev"));
    Operation done = Op("prod");
    done.phase = Phase::kSucceeded;
    done_id = *h->StartOperation(done);
  }
  auto h = Open();
  auto interrupted = h->MarkInterrupted("gitopsd restarted during the operation");
  ASSERT_TRUE(interrupted.ok());
  ASSERT_EQ(interrupted->size(), 1u);
  EXPECT_EQ((*interrupted)[0].id, running_id);
  EXPECT_EQ((*interrupted)[0].app, "dev");
  auto op = h->GetOperation(running_id);
  EXPECT_EQ(op->phase, Phase::kInterrupted);
  EXPECT_EQ(op->message, "gitopsd restarted during the operation");
  EXPECT_TRUE(op->finished_at.has_value());
  EXPECT_EQ(h->GetOperation(done_id)->phase, Phase::kSucceeded);
  EXPECT_TRUE(h->MarkInterrupted("again")->empty());
}

TEST_F(HistoryTest, RetentionKeepsTheNewestFinishedOperations) {
  auto h = Open(3);
  Operation op = Op("dev");
  op.phase = Phase::kSucceeded;
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(*h->StartOperation(op));
  auto list = h->ListOperations("dev");
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->back().id, ids[3]);
}

TEST_F(HistoryTest, UsesWalAndFullSync) {
  auto h = Open();
  ASSERT_TRUE(h->StartOperation(Op("dev")).ok());
  EXPECT_TRUE(std::filesystem::exists(db_path() + "-wal"));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST_F(HistoryTest, FinishedOperationSurvivesKill9) {
  int64_t id = 0;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // child: write, then die without closing anything
    HistoryOptions options;
    options.path = db_path();
    auto h = History::Open(options);
    if (!h.ok()) _exit(3);
    Operation op = Op("dev");
    auto started = (*h)->StartOperation(op);
    if (!started.ok()) _exit(4);
    op.id = *started;
    op.phase = Phase::kSucceeded;
    op.message = "done before the crash";
    if (!(*h)->UpdateOperation(op).ok()) _exit(5);
    Operation running = Op("dev");
    if (!(*h)->StartOperation(running).ok()) _exit(6);
    if (write(fds[1], &op.id, sizeof(op.id)) != sizeof(op.id)) _exit(7);
    raise(SIGKILL);
    _exit(8);
  }
  close(fds[1]);
  ASSERT_EQ(read(fds[0], &id, sizeof(id)), static_cast<ssize_t>(sizeof(id)));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;

  auto h = Open();
  auto op = h->GetOperation(id);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ(op->phase, Phase::kSucceeded);
  EXPECT_EQ(op->message, "done before the crash");
  auto interrupted = h->MarkInterrupted("interrupted by a restart");
  ASSERT_EQ(interrupted->size(), 1u);
  EXPECT_EQ((*interrupted)[0].id, id + 1);
}

TEST_F(HistoryTest, ConcurrentWritersAreAllRecorded) {
  auto h = Open();
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < 20; ++i) {
        Operation op = Op("app" + std::to_string(t));
        auto id = h->StartOperation(op);
        if (!id.ok()) continue;
        op.id = *id;
        op.phase = Phase::kSucceeded;
        (void)h->UpdateOperation(op);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 6; ++t) {
    auto ops = h->ListOperations("app" + std::to_string(t));
    ASSERT_EQ(ops->size(), 20u);
    for (const auto& op : *ops) EXPECT_EQ(op.phase, Phase::kSucceeded);
  }
}

TEST_F(HistoryTest, MigratesAVersion1Database) {
  std::filesystem::create_directories(tmp_.path() + "/state");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &raw), SQLITE_OK);
  const char* v1 =
      "CREATE TABLE operations (id INTEGER PRIMARY KEY AUTOINCREMENT, app TEXT NOT NULL, "
      "initiator TEXT NOT NULL, revision TEXT NOT NULL, commit_sha TEXT NOT NULL DEFAULT '', "
      "images TEXT NOT NULL DEFAULT '[]', phase TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', "
      "started_at INTEGER NOT NULL, finished_at INTEGER, resources TEXT NOT NULL DEFAULT '[]');"
      "CREATE TABLE app_state (app TEXT PRIMARY KEY, last_healthy_revision TEXT NOT NULL "
      "DEFAULT '', bad_revisions TEXT NOT NULL DEFAULT '[]', hold_revision TEXT, hold_reason "
      "TEXT, updated_at INTEGER NOT NULL);"
      "INSERT INTO operations (app, initiator, revision, phase, started_at, finished_at) "
      "VALUES ('dev', 'auto', 'main', 'Succeeded', 1000, 2000);"
      "PRAGMA user_version = 1;";
  ASSERT_EQ(sqlite3_exec(raw, v1, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);

  auto h = Open();
  auto op = h->GetOperation(1);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ(op->phase, Phase::kSucceeded);
  EXPECT_EQ(op->details, Object::object());
  EXPECT_EQ(History::SchemaVersion(), 3);
}

TEST_F(HistoryTest, RefusesADatabaseFromANewerGitopsd) {
  std::filesystem::create_directories(tmp_.path() + "/state");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  HistoryOptions options;
  options.path = db_path();
  auto h = History::Open(options);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(h.status().message().find("99"), std::string::npos);
}

TEST(PhaseTest, NamesRoundTrip) {
  for (Phase p : {Phase::kRunning, Phase::kSucceeded, Phase::kFailed, Phase::kRolledBack,
                  Phase::kInterrupted}) {
    EXPECT_EQ(*ParsePhase(PhaseName(p)), p);
  }
  EXPECT_EQ(PhaseName(Phase::kRolledBack), "RolledBack");
  EXPECT_FALSE(ParsePhase("Done").ok());
}

}  // namespace
}  // namespace gitopsd::app
