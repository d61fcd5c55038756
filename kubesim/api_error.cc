#include "kubesim/api_error.h"

#include <random>

namespace gitopsd::kubesim {

Object ApiError::ToStatus() const {
  Object s = Object::object();
  s["kind"] = "Status";
  s["apiVersion"] = "v1";
  s["metadata"] = Object::object();
  s["status"] = "Failure";
  s["message"] = message;
  s["reason"] = reason;
  if (!details.is_null()) s["details"] = details;
  s["code"] = code;
  return s;
}

net::HttpResponse ApiError::ToResponse() const {
  net::HttpResponse r = JsonResponse(code, ToStatus());
  if (code == 429 || code == 503) r.SetHeader("Retry-After", "1");
  return r;
}

net::HttpResponse JsonResponse(int code, const Object& body) {
  net::HttpResponse r;
  r.status = code;
  r.SetHeader("Content-Type", "application/json");
  r.SetHeader("Cache-Control", "no-cache, private");
  r.body = body.dump();
  return r;
}

std::string Qualified(const std::string& plural, const std::string& group) {
  return group.empty() ? plural : plural + "." + group;
}

namespace {
ApiError Make(int code, std::string reason, std::string message, Object details = nullptr) {
  return ApiError{code, std::move(reason), std::move(message), std::move(details)};
}
Object ObjDetails(const std::string& plural, const std::string& group, const std::string& name) {
  Object d = Object::object();
  d["name"] = name;
  if (!group.empty()) d["group"] = group;
  d["kind"] = plural;
  return d;
}
}  // namespace

ApiError BadRequest(std::string message) { return Make(400, "BadRequest", std::move(message)); }
ApiError Unauthorized() { return Make(401, "Unauthorized", "Unauthorized"); }
ApiError NotFoundObject(const std::string& plural, const std::string& group, const std::string& name) {
  return Make(404, "NotFound", Qualified(plural, group) + " \"" + name + "\" not found",
              ObjDetails(plural, group, name));
}
ApiError NotFoundPath() {
  return Make(404, "NotFound", "the server could not find the requested resource", Object::object());
}
ApiError MethodNotAllowed() {
  return Make(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
              Object::object());
}
ApiError AlreadyExistsObject(const std::string& plural, const std::string& group, const std::string& name) {
  return Make(409, "AlreadyExists", Qualified(plural, group) + " \"" + name + "\" already exists",
              ObjDetails(plural, group, name));
}
ApiError ConflictObject(const std::string& plural, const std::string& group, const std::string& name) {
  return Make(409, "Conflict",
              "Operation cannot be fulfilled on " + Qualified(plural, group) + " \"" + name +
                  "\": the object has been modified; please apply your changes to the latest version "
                  "and try again",
              ObjDetails(plural, group, name));
}
ApiError Expired(std::string message) { return Make(410, "Expired", std::move(message)); }
ApiError UnsupportedMediaType(bool patch, bool strategic_allowed) {
  std::string types = patch ? std::string("application/json-patch+json, application/merge-patch+json, "
                                          "application/apply-patch+yaml") +
                                  (strategic_allowed ? ", application/strategic-merge-patch+json" : "")
                            : "application/json, application/yaml, application/vnd.kubernetes.protobuf";
  return Make(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: " + types);
}
ApiError Invalid(const std::string& kind, const std::string& group, const std::string& name,
                 const std::vector<FieldCause>& causes) {
  std::string qualified_kind = group.empty() ? kind : kind + "." + group;
  std::string msg = qualified_kind + " \"" + name + "\" is invalid: ";
  std::vector<std::string> parts;
  Object c = Object::array();
  for (const auto& cause : causes) {
    parts.push_back(cause.field + ": " + cause.message);
    c.push_back({{"reason", cause.reason}, {"message", cause.message}, {"field", cause.field}});
  }
  if (parts.size() == 1) {
    msg += parts[0];
  } else {
    msg += "[";
    for (size_t i = 0; i < parts.size(); ++i) msg += (i ? ", " : "") + parts[i];
    msg += "]";
  }
  Object d = Object::object();
  d["name"] = name;
  if (!group.empty()) d["group"] = group;
  d["kind"] = kind;
  d["causes"] = c;
  return Make(422, "Invalid", msg, d);
}
ApiError InvalidMessage(std::string message) { return Make(422, "Invalid", std::move(message)); }
ApiError Forbidden(std::string message, Object details) {
  return Make(403, "Forbidden", std::move(message), std::move(details));
}
ApiError TooManyRequests(std::string message) { return Make(429, "TooManyRequests", std::move(message)); }
ApiError InternalError(std::string message) { return Make(500, "InternalError", std::move(message)); }
ApiError ServiceUnavailable(std::string message) {
  return Make(503, "ServiceUnavailable", std::move(message));
}

Object SuccessStatus(Object details) {
  Object s = Object::object();
  s["kind"] = "Status";
  s["apiVersion"] = "v1";
  s["metadata"] = Object::object();
  s["status"] = "Success";
  s["details"] = std::move(details);
  return s;
}

}  // namespace gitopsd::kubesim
