// Tests for core/k8s_schema.h: built-in merge table, scopes, resources.
#include "core/k8s_schema.h"

#include <gtest/gtest.h>

#include <set>

namespace gitopsd::k8s {
namespace {

const FieldSchema* FieldAt(const Schema& s, const TypeSchema* t, std::initializer_list<const char*> path) {
  const FieldSchema* f = nullptr;
  for (const char* step : path) {
    if (t == nullptr) return nullptr;
    f = t->Field(step);
    if (f == nullptr) return nullptr;
    t = f->type.empty() ? nullptr : s.Type(f->type);
  }
  return f;
}

TEST(K8sSchemaTest, PodSpecListsMergeByUpstreamKeysInEveryWorkload) {
  const Schema& s = Schema::Builtin();
  struct Case { const char* group; const char* kind; std::initializer_list<const char*> path; };
  const Case cases[] = {
      {"apps", "Deployment", {"spec", "template", "spec", "containers"}},
      {"apps", "StatefulSet", {"spec", "template", "spec", "containers"}},
      {"apps", "DaemonSet", {"spec", "template", "spec", "containers"}},
      {"apps", "ReplicaSet", {"spec", "template", "spec", "containers"}},
      {"batch", "Job", {"spec", "template", "spec", "containers"}},
      {"batch", "CronJob", {"spec", "jobTemplate", "spec", "template", "spec", "containers"}},
      {"", "Pod", {"spec", "containers"}},
      {"", "PodTemplate", {"template", "spec", "containers"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.kind);
    const FieldSchema* f = FieldAt(s, s.TypeForKind(c.group, c.kind), c.path);
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(f->merge);
    EXPECT_EQ(f->merge_key, "name");
  }
  const TypeSchema* container = s.Type("Container");
  ASSERT_NE(container, nullptr);
  EXPECT_EQ(container->Field("ports")->merge_key, "containerPort");
  EXPECT_EQ(container->Field("ports")->extra_keys, std::vector<std::string>{"protocol"});
  EXPECT_EQ(container->Field("volumeMounts")->merge_key, "mountPath");
  EXPECT_EQ(container->Field("env")->merge_key, "name");
  EXPECT_EQ(container->Field("args"), nullptr);  // atomic
  const TypeSchema* pod_spec = s.Type("PodSpec");
  EXPECT_EQ(pod_spec->Field("hostAliases")->merge_key, "ip");
  EXPECT_TRUE(pod_spec->Field("volumes")->retain_keys);
  EXPECT_EQ(pod_spec->Field("tolerations"), nullptr);
  EXPECT_EQ(FieldAt(s, s.TypeForKind("", "Service"), {"spec", "ports"})->merge_key, "port");
  EXPECT_TRUE(FieldAt(s, s.TypeForKind("", "ConfigMap"), {"metadata", "finalizers"})->merge);
  EXPECT_EQ(s.TypeForKind("example.com", "Foo"), nullptr);
}

TEST(K8sSchemaTest, ScopesOfBuiltinKinds) {
  EXPECT_EQ(IsNamespaced("", "ConfigMap"), true);
  EXPECT_EQ(IsNamespaced("apps", "Deployment"), true);
  EXPECT_EQ(IsNamespaced("", "Namespace"), false);
  EXPECT_EQ(IsNamespaced("rbac.authorization.k8s.io", "ClusterRoleBinding"), false);
  EXPECT_EQ(IsNamespaced("apiextensions.k8s.io", "CustomResourceDefinition"), false);
  EXPECT_EQ(IsNamespaced("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"), false);
  EXPECT_EQ(IsNamespaced("example.com", "Foo"), std::nullopt);
  EXPECT_EQ(IsNamespaced("apps", "ConfigMap"), std::nullopt);
}

TEST(K8sSchemaTest, BuiltinResourcesCoverTheContractMustList) {
  std::set<std::string> have;
  for (const auto& r : BuiltinResources()) have.insert(r.group + "/" + r.version + "/" + r.plural);
  for (const char* want : {"/v1/namespaces", "/v1/configmaps", "/v1/secrets", "/v1/services",
                           "/v1/serviceaccounts", "/v1/pods", "/v1/events", "apps/v1/deployments",
                           "apps/v1/replicasets", "apps/v1/statefulsets", "apps/v1/daemonsets",
                           "batch/v1/jobs", "batch/v1/cronjobs", "networking.k8s.io/v1/ingresses",
                           "rbac.authorization.k8s.io/v1/roles",
                           "rbac.authorization.k8s.io/v1/clusterrolebindings",
                           "apiextensions.k8s.io/v1/customresourcedefinitions",
                           "coordination.k8s.io/v1/leases"}) {
    EXPECT_TRUE(have.count(want)) << want;
  }
  const ResourceInfo* deploy = FindBuiltinResource("apps", "Deployment");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->singular, "deployment");
  EXPECT_EQ(deploy->short_names, std::vector<std::string>{"deploy"});
  EXPECT_EQ(deploy->categories, std::vector<std::string>{"all"});
  EXPECT_EQ(deploy->subresources, (std::vector<std::string>{"scale", "status"}));
  EXPECT_EQ(deploy->verbs.size(), 8u);
  const ResourceInfo* ns = FindBuiltinResource("", "Namespace");
  ASSERT_NE(ns, nullptr);
  EXPECT_FALSE(ns->namespaced);
  EXPECT_EQ(std::count(ns->verbs.begin(), ns->verbs.end(), "deletecollection"), 0);
  for (const auto& r : BuiltinResources()) {
    EXPECT_EQ(IsNamespaced(r.group, r.kind), r.namespaced) << r.kind;
  }
}

TEST(K8sSchemaTest, OpenApiListMapKeysAndInlineObjects) {
  Schema s;
  ASSERT_TRUE(s.AddOpenApi(Object::parse(R"({"components": {"schemas": {
    "Widget": {
      "x-kubernetes-group-version-kind": [{"group": "w.io", "version": "v1", "kind": "Widget"}],
      "properties": {"spec": {"type": "object", "properties": {
        "ports": {"type": "array", "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["port", "protocol"], "items": {"type": "object"}},
        "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}}})")).ok());
  const TypeSchema* root = s.TypeForKind("w.io", "Widget");
  ASSERT_NE(root, nullptr);
  const FieldSchema* ports = FieldAt(s, root, {"spec", "ports"});
  ASSERT_NE(ports, nullptr);
  EXPECT_TRUE(ports->merge);
  EXPECT_EQ(ports->merge_key, "port");
  EXPECT_EQ(ports->extra_keys, std::vector<std::string>{"protocol"});
  const FieldSchema* tags = FieldAt(s, root, {"spec", "tags"});
  ASSERT_NE(tags, nullptr);
  EXPECT_TRUE(tags->merge);
  EXPECT_TRUE(tags->merge_key.empty());
  EXPECT_EQ(FieldAt(s, root, {"spec", "labels"})->shape, FieldSchema::Shape::kMap);
  EXPECT_FALSE(s.AddOpenApi(Object::parse(R"({"paths": {}})")).ok());
}

}  // namespace
}  // namespace gitopsd::k8s
