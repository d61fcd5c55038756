// Client-side flow control for the REST client: a token-bucket rate limiter
// (QPS with a burst, like client-go's) and the retry backoff policy.
// RateLimiter is thread-safe; the policy functions are pure.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>

namespace gitopsd::kube {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // qps <= 0 disables limiting.
  RateLimiter(double qps, int burst);

  // Reserves one token and returns how long the caller must wait before
  // using it (zero when a token is available now).
  Clock::duration Reserve(Clock::time_point now);
  // Reserve() and sleep.
  void Wait();

 private:
  std::mutex mu_;
  const double qps_;
  const double burst_;
  double tokens_;
  Clock::time_point last_;
};

struct RetryPolicy {
  int max_retries = 5;
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
  // A server's Retry-After is honoured up to this much.
  std::chrono::milliseconds max_retry_after{30000};
};

// The delay before retry number `attempt` (1-based): exponential from
// initial_backoff, capped, with up to 25% jitter subtracted. A Retry-After
// header (seconds) from the server replaces it, capped by max_retry_after.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt,
                                     std::string_view retry_after_header);

// Retry-After in seconds ("120"); HTTP-date forms are not used by the API
// server and yield nullopt.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header);

}  // namespace gitopsd::kube
