// WorkerPool: a fixed number of threads running posted tasks in FIFO order.
// The daemon runs every blocking step (git, render, kube calls) here, so the
// HTTP I/O threads never block. Thread-safe; the destructor finishes the
// task each thread is running, drops the rest and joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gitopsd::app {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false after Stop() began.
  bool Post(std::function<void()> task);
  // Stops taking tasks, lets running ones finish, joins. Idempotent.
  void Stop();
  size_t Queued() const;

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gitopsd::app
