#include "core/resid.h"

namespace gitopsd {

void ResId::SplitApiVersion(std::string_view api_version, std::string* group,
                            std::string* version) {
  size_t slash = api_version.rfind('/');
  if (slash == std::string_view::npos) {
    group->clear();
    version->assign(api_version);
  } else {
    group->assign(api_version.substr(0, slash));
    version->assign(api_version.substr(slash + 1));
  }
}

ResId ResId::Of(const Object& obj) {
  ResId id;
  SplitApiVersion(ApiVersionOf(obj), &id.group, &id.version);
  id.kind = KindOf(obj);
  id.namespace_ = NamespaceOf(obj);
  id.name = NameOf(obj);
  return id;
}

std::string ResId::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResId::GroupKind() const { return group.empty() ? kind : kind + "." + group; }

std::string ResId::ToString() const {
  std::string s = ApiVersion();
  s += ' ';
  s += kind;
  s += ' ';
  if (!namespace_.empty()) s += namespace_ + "/";
  s += name;
  return s;
}

size_t ResIdHash::operator()(const ResId& id) const noexcept {
  std::hash<std::string> h;
  size_t seed = h(id.group);
  for (const std::string* s : {&id.version, &id.kind, &id.namespace_, &id.name}) {
    seed ^= h(*s) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
  return seed;
}

}  // namespace gitopsd
