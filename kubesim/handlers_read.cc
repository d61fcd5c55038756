// get, list (selectors, limit/continue) and the /scale read (§11, §12.3).
#include <openssl/evp.h>

#include "kubesim/scale.h"
#include "kubesim/selectors.h"
#include "kubesim/table.h"
#include "kubesim/util.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

std::string EncodeContinue(int64_t rv, const std::string& start) {
  std::string raw = Object{{"rv", rv}, {"start", start}}.dump();
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool DecodeContinue(const std::string& token, int64_t* rv, std::string* start) {
  if (token.empty() || token.size() % 4 != 0) return false;
  std::string out(token.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(token.data()), static_cast<int>(token.size()));
  if (n < 0) return false;
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();
  try {
    Object o = Object::parse(out);
    *rv = o.at("rv").get<int64_t>();
    *start = o.at("start").get<std::string>();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

const ResourceType* ResolveType(ServerState& state, const ApiRequest& req, std::optional<ApiError>* error) {
  const ResourceType* t = state.cluster.FindResource(req.group, req.version, req.plural);
  if (t == nullptr) {
    *error = NotFoundPath();
    return nullptr;
  }
  if (!t->info.namespaced && req.namespaced_path) {
    *error = NotFoundPath();
    return nullptr;
  }
  if (t->info.namespaced && !req.namespaced_path && !req.name.empty()) {
    *error = NotFoundPath();
    return nullptr;
  }
  if (!req.sub.empty() && !t->HasSubresource(req.sub)) {
    *error = NotFoundPath();
    return nullptr;
  }
  return t;
}

net::HttpResponse HandleGet(ServerState& state, const ApiRequest& req) {
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  const Object* obj = state.cluster.Get(type->StorageKey(), type->info.namespaced ? req.ns : "", req.name);
  if (obj == nullptr) return NotFoundObject(type->info.plural, type->info.group, req.name).ToResponse();
  if (req.sub == "scale") return JsonResponse(200, ScaleOf(*obj));
  Object served = Served(*type, req.version, *obj);
  if (req.WantsTable()) return JsonResponse(200, TableOf(*type, {&served}, served["metadata"].value("resourceVersion", ""), true));
  return JsonResponse(200, served);
}

net::HttpResponse HandleList(ServerState& state, const ApiRequest& req) {
  auto lock = state.cluster.Lock();
  std::optional<ApiError> err;
  const ResourceType* type = ResolveType(state, req, &err);
  if (type == nullptr) return err->ToResponse();
  ListFilter filter;
  if (auto e = ListFilter::Parse(req, *type, &filter)) return e->ToResponse();
  int64_t list_rv = state.cluster.rv();
  std::string start;
  std::string cont = req.Param("continue");
  if (!cont.empty()) {
    int64_t token_rv = 0;
    if (!DecodeContinue(cont, &token_rv, &start)) return BadRequest("invalid continue token").ToResponse();
    if (token_rv < state.cluster.HistoryFloor()) {
      return Expired("The provided continue parameter is too old to display a consistent list result. You can start "
                     "a new list without the continue parameter, or use the continue token in this response to "
                     "retrieve the remainder of the results.")
          .ToResponse();
    }
    list_rv = token_rv;
  }
  long limit = 0;
  try {
    if (!req.Param("limit").empty()) limit = std::stol(req.Param("limit"));
  } catch (...) {
    return BadRequest("invalid limit").ToResponse();
  }
  std::vector<const Object*> all = state.cluster.List(type->StorageKey(), type->info.namespaced ? req.ns : "");
  std::vector<Object> items;
  std::string next_start;
  size_t remaining = 0;
  for (const Object* o : all) {
    std::string key = GetString(*o, "metadata.namespace") + "/" + GetString(*o, "metadata.name");
    if (!start.empty() && key <= start) continue;
    if (!filter.Matches(*o)) continue;
    if (limit > 0 && static_cast<long>(items.size()) >= limit) {
      ++remaining;
      continue;
    }
    items.push_back(Served(*type, req.version, *o));
    next_start = key;
  }
  if (req.WantsTable()) {
    std::vector<const Object*> ptrs;
    for (const auto& i : items) ptrs.push_back(&i);
    return JsonResponse(200, TableOf(*type, ptrs, std::to_string(list_rv), true));
  }
  Object meta = Object{{"resourceVersion", std::to_string(list_rv)}};
  if (remaining > 0) {
    meta["continue"] = EncodeContinue(list_rv, next_start);
    meta["remainingItemCount"] = remaining;
  }
  std::string body = "{\"kind\":" + Object(type->list_kind).dump() + ",\"apiVersion\":" +
                     Object(type->ApiVersion(req.version)).dump() + ",\"metadata\":" + meta.dump() + ",\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) body += ",";
    body += items[i].dump();
  }
  body += "]}";
  net::HttpResponse r;
  r.status = 200;
  r.SetHeader("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

}  // namespace gitopsd::kubesim
