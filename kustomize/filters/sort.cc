// Output order: Kustomize's legacy sort (kind rank, then GVK string, then
// namespace|name) and the sortOptions transformer (legacy or fifo).
#include <algorithm>
#include <unordered_map>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

const std::vector<std::string>& DefaultFirst() {
  static const std::vector<std::string> k = {
      "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
      "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
      "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
      "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob",
      "PodDisruptionBudget"};
  return k;
}
const std::vector<std::string>& DefaultLast() {
  static const std::vector<std::string> k = {"MutatingWebhookConfiguration",
                                             "ValidatingWebhookConfiguration"};
  return k;
}

std::string Or(const std::string& s, const char* d) { return s.empty() ? d : s; }

struct Key {
  int rank;
  std::string kind, gvk_legacy, id;
  bool core_namespace;
};

Result<std::vector<std::string>> Strings(const Object& v, const std::string& what) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return InvalidArgument(what + " must be a list of kinds");
  for (const Object& e : v) {
    if (!e.is_string()) return InvalidArgument(what + " must be a list of kinds");
    out.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace

void LegacySort(ResourceList& list, const std::vector<std::string>* order_first,
                const std::vector<std::string>* order_last) {
  const auto& first = order_first ? *order_first : DefaultFirst();
  const auto& last = order_last ? *order_last : DefaultLast();
  std::unordered_map<std::string, int> rank;
  for (size_t i = 0; i < first.size(); ++i) rank[first[i]] = -static_cast<int>(first.size()) + static_cast<int>(i);
  for (size_t i = 0; i < last.size(); ++i) rank[last[i]] = 1 + static_cast<int>(i);
  std::vector<Key> keys;
  keys.reserve(list.size());
  for (const Resource& r : list) {
    ResId id = r.CurId();
    Key k;
    auto it = rank.find(id.kind);
    k.rank = it == rank.end() ? 0 : it->second;
    k.kind = id.kind;
    k.gvk_legacy = Or(id.group, "~G") + "_" + Or(id.version, "~V") + "_" + Or(id.kind, "~K");
    k.core_namespace = id.group.empty();
    k.id = Or(id.kind, "~K") + "." + Or(id.version, "~V") + "." + Or(id.group, "~G") + "|" +
           Or(id.namespace_, "~X") + "|" + Or(id.name, "~N");
    keys.push_back(std::move(k));
  }
  std::vector<size_t> idx(list.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const Key& x = keys[a];
    const Key& y = keys[b];
    if (x.gvk_legacy != y.gvk_legacy) {
      if (x.rank != y.rank) return x.rank < y.rank;
      if (x.kind == "Namespace" && y.kind == "Namespace" && (x.core_namespace || y.core_namespace)) {
        return x.gvk_legacy > y.gvk_legacy;
      }
      return x.gvk_legacy < y.gvk_legacy;
    }
    return x.id < y.id;
  });
  ResourceList sorted;
  sorted.reserve(list.size());
  for (size_t i : idx) sorted.push_back(std::move(list[i]));
  list = std::move(sorted);
}

Result<TransformerPtr> MakeSortTransformer(const Object& opts, const std::string& what) {
  if (!opts.is_object()) return InvalidArgument(what + ": sortOptions must be a mapping");
  std::string order = opts.value("order", "");
  bool has_legacy = opts.contains("legacySortOptions") && !opts["legacySortOptions"].is_null();
  if (order != "fifo" && order != "legacy") {
    return InvalidArgument(what + ": the field 'sortOptions.order' must be one of [fifo, legacy]");
  }
  if (order == "fifo") {
    if (has_legacy) {
      return InvalidArgument(what + ": the field 'sortOptions.legacySortOptions' is set but the "
                             "selected sort order is 'fifo', not 'legacy'");
    }
    return MakeFn([](ResourceList&) { return Status::Ok(); });
  }
  std::optional<std::vector<std::string>> first, last;
  if (has_legacy) {
    const Object& l = opts["legacySortOptions"];
    ASSIGN_OR_RETURN(first, Strings(l.contains("orderFirst") ? l["orderFirst"] : Object(),
                                    what + ": orderFirst"));
    ASSIGN_OR_RETURN(last, Strings(l.contains("orderLast") ? l["orderLast"] : Object(),
                                   what + ": orderLast"));
  }
  return MakeFn([first, last](ResourceList& list) {
    LegacySort(list, first ? &*first : nullptr, last ? &*last : nullptr);
    return Status::Ok();
  });
}

}  // namespace gitopsd::kustomize
