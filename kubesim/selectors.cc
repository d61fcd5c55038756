#include "kubesim/selectors.h"

#include "core/field_selector.h"
#include "core/label_selector.h"

namespace gitopsd::kubesim {

struct ListFilter::Impl {
  LabelSelector labels;
  FieldSelector fields;
};

namespace {

// Field selectors a kind supports (§11.2): metadata.name/namespace for all,
// plus the upstream extras kubectl uses.
std::vector<std::string> SupportedFields(const ResourceType& type) {
  std::vector<std::string> out = {"metadata.name", "metadata.namespace"};
  if (!type.info.group.empty()) return out;
  const std::string& k = type.info.kind;
  if (k == "Pod") out.insert(out.end(), {"status.phase", "spec.nodeName", "spec.restartPolicy", "status.podIP"});
  if (k == "Secret") out.push_back("type");
  if (k == "Namespace") out.push_back("status.phase");
  if (k == "Event") {
    out.insert(out.end(), {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                           "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                           "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"});
  }
  return out;
}

}  // namespace

std::optional<ApiError> ListFilter::Parse(const ApiRequest& req, const ResourceType& type, ListFilter* out) {
  auto impl = std::make_shared<Impl>();
  Result<LabelSelector> labels = LabelSelector::Parse(req.Param("labelSelector"));
  if (!labels.ok()) return BadRequest(labels.status().message());
  impl->labels = std::move(labels).value();
  Result<FieldSelector> fields = FieldSelector::Parse(req.Param("fieldSelector"));
  if (!fields.ok()) return BadRequest(fields.status().message());
  impl->fields = std::move(fields).value();
  for (const FieldRequirement& r : impl->fields.requirements()) {
    std::vector<std::string> ok = SupportedFields(type);
    if (std::find(ok.begin(), ok.end(), r.field) == ok.end()) {
      return BadRequest("\"" + r.field + "\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }
  }
  out->impl_ = std::move(impl);
  return std::nullopt;
}

bool ListFilter::empty() const { return !impl_ || (impl_->labels.Empty() && impl_->fields.Empty()); }

bool ListFilter::Matches(const Object& obj) const {
  if (empty()) return true;
  return impl_->labels.MatchesObjectLabels(obj) && impl_->fields.Matches(obj);
}

}  // namespace gitopsd::kubesim
