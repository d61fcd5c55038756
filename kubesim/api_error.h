// Kubernetes `Status` error responses (kube-api-contract §5): one value type
// carrying code, reason, message and details, with constructors for the
// shapes kubectl parses. Pure value type; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/net/http_server.h"
#include "core/object.h"

namespace gitopsd::kubesim {

struct ApiError {
  int code = 500;
  std::string reason = "InternalError";
  std::string message;
  Object details;  // null = omitted

  Object ToStatus() const;
  net::HttpResponse ToResponse() const;
};

struct FieldCause {
  std::string reason;   // FieldValueRequired, FieldValueInvalid, ...
  std::string message;  // "Required value"
  std::string field;    // "spec.selector"
};

// `qualified` is "configmaps" for core, "deployments.apps" otherwise.
std::string Qualified(const std::string& plural, const std::string& group);

ApiError BadRequest(std::string message);
ApiError Unauthorized();
ApiError NotFoundObject(const std::string& plural, const std::string& group, const std::string& name);
ApiError NotFoundPath();
ApiError MethodNotAllowed();
ApiError AlreadyExistsObject(const std::string& plural, const std::string& group, const std::string& name);
ApiError ConflictObject(const std::string& plural, const std::string& group, const std::string& name);
ApiError Expired(std::string message);
ApiError UnsupportedMediaType(bool patch, bool strategic_allowed);
ApiError Invalid(const std::string& kind, const std::string& group, const std::string& name,
                 const std::vector<FieldCause>& causes);
ApiError InvalidMessage(std::string message);  // 422 without causes
ApiError Forbidden(std::string message, Object details);
ApiError TooManyRequests(std::string message);
ApiError InternalError(std::string message);
ApiError ServiceUnavailable(std::string message);

// A success Status ({"status":"Success", "details":...}).
Object SuccessStatus(Object details);

// JSON 200 response with Content-Type application/json.
net::HttpResponse JsonResponse(int code, const Object& body);

}  // namespace gitopsd::kubesim
