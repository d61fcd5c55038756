#include "daemon/kube/throttle.h"

#include <algorithm>
#include <random>
#include <string>
#include <thread>

namespace gitopsd::kube {

RateLimiter::RateLimiter(double qps, int burst)
    : qps_(qps), burst_(std::max(1, burst)), tokens_(std::max(1, burst)), last_(Clock::now()) {}

RateLimiter::Clock::duration RateLimiter::Reserve(Clock::time_point now) {
  if (qps_ <= 0) return Clock::duration::zero();
  std::lock_guard lock(mu_);
  if (now > last_) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
  }
  tokens_ -= 1;  // may go negative: later callers queue behind this one
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(-tokens_ / qps_));
}

void RateLimiter::Wait() {
  auto delay = Reserve(Clock::now());
  if (delay > Clock::duration::zero()) std::this_thread::sleep_for(delay);
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header) {
  if (header.empty() || header.size() > 9) return std::nullopt;
  for (char c : header) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::chrono::seconds(std::stol(std::string(header)));
}

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt,
                                     std::string_view retry_after_header) {
  if (auto ra = ParseRetryAfter(retry_after_header)) {
    return std::min<std::chrono::milliseconds>(*ra, policy.max_retry_after);
  }
  auto delay = policy.initial_backoff;
  for (int i = 1; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, policy.max_backoff);
  thread_local std::minstd_rand rng{std::random_device{}()};
  auto jitter = std::uniform_int_distribution<long>(0, delay.count() / 4)(rng);
  return delay - std::chrono::milliseconds(jitter);
}

}  // namespace gitopsd::kube
