#include "daemon/kube/api_status.h"

#include <string>

#include "core/object.h"

namespace gitopsd::kube {

Code CodeForHttp(int http_status, std::string_view reason) {
  switch (http_status) {
    case 400:
    case 422:
      return Code::kInvalidArgument;
    case 401:
      return Code::kUnauthenticated;
    case 403:
      return Code::kPermissionDenied;
    case 404:
      return Code::kNotFound;
    case 405:
    case 415:
      return Code::kUnimplemented;
    case 409:
      return reason == "AlreadyExists" ? Code::kAlreadyExists : Code::kConflict;
    case 410:
      return Code::kFailedPrecondition;
    case 413:
      return Code::kResourceExhausted;
    case 504:
      return Code::kDeadlineExceeded;
    default:
      break;
  }
  if (http_status == 429 || http_status >= 500) return Code::kUnavailable;
  return Code::kInternal;
}

Status ApiError(int http_status, std::string_view body, std::string_view what) {
  Object doc = Object::parse(body, nullptr, false);
  std::string reason;
  std::string message;
  if (!doc.is_discarded() && doc.is_object() && GetString(doc, "kind") == "Status") {
    reason = GetString(doc, "reason");
    message = GetString(doc, "message");
  }
  if (message.empty()) {
    message = std::string(body.substr(0, 300));
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
    if (message.empty()) message = "no message";
  }
  if (reason.empty() && http_status == 410) reason = "Gone";
  std::string tail = " (" + (reason.empty() ? std::string() : reason + ", ") + "HTTP " +
                     std::to_string(http_status) + ")";
  if (http_status == 410 && reason != "Gone") tail += " Gone";
  return Status(CodeForHttp(http_status, reason), std::string(what) + ": " + message + tail);
}

bool IsGone(const Status& status) {
  return status.code() == Code::kFailedPrecondition &&
         status.message().find("HTTP 410") != std::string::npos;
}

}  // namespace gitopsd::kube
