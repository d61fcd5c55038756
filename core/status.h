// Status and Result<T>: how errors cross module boundaries in gitopsd.
//
// A Status is either OK or a (code, message) pair. As an error climbs the
// layers each one prepends one clause of context with WithContext(), so a
// user sees e.g. `render app "shop-dev": accumulating resources:
// base/kustomization.yaml: line 4: ...`. Result<T> holds a T or a non-OK
// Status. Both are values: cheap to move, safe to copy, not thread-shared.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gitopsd {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // bad input: YAML, kustomization, request body
  kNotFound,           // a file, object, revision that does not exist
  kAlreadyExists,      // create of something that exists
  kConflict,           // optimistic concurrency / field-manager conflict
  kFailedPrecondition, // state does not allow the operation
  kPermissionDenied,   // authenticated but not allowed (incl. load restrictor)
  kUnauthenticated,    // no or bad credentials
  kResourceExhausted,  // a size / expansion / rate limit was hit
  kUnavailable,        // transient: network, 5xx, 429
  kDeadlineExceeded,   // a timeout
  kCancelled,          // shutdown or caller gave up
  kUnimplemented,      // a feature gitopsd does not support (named)
  kInternal,           // a bug
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "clause: <message>". OK stays OK.
  Status WithContext(std::string_view clause) const;

  // "NotFound: message" (or "OK").
  std::string ToString() const;

  bool operator==(const Status&) const = default;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Shorthands for the common codes.
inline Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
inline Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
inline Status ResourceExhausted(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
inline Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
inline Status DeadlineExceeded(std::string m) { return {Code::kDeadlineExceeded, std::move(m)}; }
inline Status Cancelled(std::string m) { return {Code::kCancelled, std::move(m)}; }
inline Status Unimplemented(std::string m) { return {Code::kUnimplemented, std::move(m)}; }
inline Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Adds a context clause to an error; no-op on a value.
  Result WithContext(std::string_view clause) && {
    if (!ok()) return Result(std::get<Status>(v_).WithContext(clause));
    return std::move(*this);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gitopsd

#define GITOPSD_CONCAT_INNER(a, b) a##b
#define GITOPSD_CONCAT(a, b) GITOPSD_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::gitopsd::Status _st = (expr);                  \
    if (!_st.ok()) return _st;                       \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F());` binds x to F()'s value or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(GITOPSD_CONCAT(_res_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
