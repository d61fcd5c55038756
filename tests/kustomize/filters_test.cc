// The transformer filters one by one, on small in-memory resource lists.
// Expected values were produced with `kubectl kustomize` (Kustomize v5.5.0).
#include <gtest/gtest.h>

#include "core/yaml.h"
#include "kustomize/filters/filters.h"
#include "kustomize/transformer_config.h"

namespace gitopsd::kustomize {
namespace {

Resource Res(const std::string& yaml) {
  auto v = ParseYaml(yaml);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  Resource r;
  r.obj = v.ok() ? *v : Object();
  return r;
}

TEST(HashTest, ConfigMapAndSecretSuffixesMatchKustomize) {
  Resource cm = Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b, html: '<&>'}\n");
  EXPECT_EQ(ContentHash(cm.obj), "fgkm49h2bh");
  Resource sec = Res("apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\ntype: Opaque\ndata: {k: dg==}\n");
  EXPECT_EQ(ContentHash(sec.obj), "ftgtgc4t9f");
}

TEST(HashTest, AddHashSuffixesRenamesAndRemembersTheOldName) {
  ResourceList list;
  list.push_back(Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b, html: '<&>'}\n"));
  list[0].needs_hash = true;
  ASSERT_TRUE(AddHashSuffixes(list).ok());
  EXPECT_EQ(list[0].Name(), "cfg-fgkm49h2bh");
  ASSERT_EQ(list[0].prev_ids.size(), 1u);
  EXPECT_EQ(list[0].prev_ids[0].name, "cfg");
}

TEST(ImageTest, NewTagReplacesTagAndDigestEverywhereContainersAppear) {
  ResourceList list;
  list.push_back(Res(R"(apiVersion: example.com/v1
kind: Custom
metadata: {name: x}
spec:
  deep:
    containers:
    - image: nginx@sha256:abc
    - image: docker.io/nginx:1.0
    initContainers:
    - image: nginx:1.0
)"));
  ImageArgs a;
  a.name = "nginx";
  a.new_tag = "2.0";
  auto t = MakeImageTransformer({a}, TransformerConfig::Defaults().images);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->Apply(list).ok());
  const Object& spec = list[0].obj["spec"]["deep"];
  EXPECT_EQ(spec["containers"][0]["image"], "nginx:2.0");
  EXPECT_EQ(spec["containers"][1]["image"], "docker.io/nginx:1.0");
  EXPECT_EQ(spec["initContainers"][0]["image"], "nginx:2.0");
}

TEST(ImageTest, EntriesApplyInOrderSoARenamedImageCanBeMatchedAgain) {
  ResourceList list;
  list.push_back(Res("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: a\n"));
  ImageArgs first, second;
  first.name = "a";
  first.new_name = "b";
  second.name = "b";
  second.digest = "sha256:123";
  auto t = MakeImageTransformer({first, second}, TransformerConfig::Defaults().images);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->Apply(list).ok());
  EXPECT_EQ(list[0].obj["spec"]["containers"][0]["image"], "b@sha256:123");
}

TEST(NamespaceTest, SetsNamespaceAndDefaultServiceAccountSubjectsOnly) {
  ResourceList list;
  list.push_back(Res(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects:
- {kind: ServiceAccount, name: default, namespace: old}
- {kind: ServiceAccount, name: other, namespace: old}
)"));
  list.push_back(Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"));
  NamespaceArgs a;
  a.name_space = "new";
  a.field_specs = TransformerConfig::Defaults().name_space;
  auto t = MakeNamespaceTransformer(a);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->Apply(list).ok());
  EXPECT_FALSE(list[0].obj["metadata"].contains("namespace"));  // cluster-scoped
  EXPECT_EQ(list[0].obj["subjects"][0]["namespace"], "new");
  EXPECT_EQ(list[0].obj["subjects"][1]["namespace"], "old");
  EXPECT_EQ(list[1].Namespace(), "new");
}

TEST(LabelsTest, CommonLabelsReachSelectorsAndTemplatesCreatingMaps) {
  ResourceList list;
  list.push_back(Res("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec: {}\n"));
  auto t = MakeMapTransformer({{"app", "web"}}, TransformerConfig::Defaults().common_labels);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->Apply(list).ok());
  const Object& o = list[0].obj;
  EXPECT_EQ(o["metadata"]["labels"]["app"], "web");
  EXPECT_EQ(o["spec"]["selector"]["matchLabels"]["app"], "web");
  EXPECT_EQ(o["spec"]["template"]["metadata"]["labels"]["app"], "web");
}

TEST(PrefixSuffixTest, RenamesButLeavesNamespacesAndCrdsAlone) {
  ResourceList list;
  list.push_back(Res("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"));
  list.push_back(Res("apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n"));
  const auto& d = TransformerConfig::Defaults();
  auto t = MakePrefixSuffixTransformer("p-", "-s", d.name_prefix, d.name_suffix);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->Apply(list).ok());
  EXPECT_EQ(list[0].Name(), "p-s-s");
  EXPECT_EQ(list[1].Name(), "ns");
  EXPECT_EQ(list[0].name_prefixes, std::vector<std::string>{"p-"});
}

TEST(NameRefTest, WorkloadFollowsARenamedConfigMap) {
  ResourceList list;
  list.push_back(Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"));
  list.push_back(Res(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cfg}
      containers:
      - name: c
        envFrom:
        - configMapRef: {name: cfg}
)"));
  list[0].StorePreviousId();
  list[0].SetName("cfg-123");
  ASSERT_TRUE(FixNameReferences(list, TransformerConfig::Defaults()).ok());
  const Object& spec = list[1].obj["spec"]["template"]["spec"];
  EXPECT_EQ(spec["volumes"][0]["configMap"]["name"], "cfg-123");
  EXPECT_EQ(spec["containers"][0]["envFrom"][0]["configMapRef"]["name"], "cfg-123");
}

TEST(SortTest, LegacyOrderPutsNamespacesFirstAndWebhooksLast) {
  ResourceList list;
  list.push_back(Res("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: w}\n"));
  list.push_back(Res("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n"));
  list.push_back(Res("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n"));
  list.push_back(Res("apiVersion: example.com/v1\nkind: Zebra\nmetadata: {name: z}\n"));
  list.push_back(Res("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n"));
  LegacySort(list);
  std::vector<std::string> names;
  for (const Resource& r : list) names.push_back(r.Name());
  EXPECT_EQ(names, (std::vector<std::string>{"n", "a", "b", "z", "w"}));
}

TEST(FieldSpecTest, CreatesMissingMapsOnlyWhenAsked) {
  Object o = Object::object();
  FieldSpec fs;
  fs.path = "spec/template/metadata/labels";
  int calls = 0;
  auto set = [&](Object&) {
    ++calls;
    return Status::Ok();
  };
  ASSERT_TRUE(ApplyFieldSpec(o, fs, LeafKind::kMap, set).ok());
  EXPECT_EQ(calls, 0);
  fs.create = true;
  ASSERT_TRUE(ApplyFieldSpec(o, fs, LeafKind::kMap, set).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(o["spec"]["template"]["metadata"]["labels"].is_object());
}

TEST(FieldSpecTest, EscapedSlashStaysInsideOneFieldName) {
  FieldSpec fs;
  fs.path = R"(metadata/annotations/example.com\/key)";
  EXPECT_EQ(fs.Segments(), (std::vector<std::string>{"metadata", "annotations", "example.com/key"}));
}

TEST(VarsTest, ReplacesVarReferencesWithTheTargetField) {
  ResourceList list;
  list.push_back(Res("apiVersion: v1\nkind: Service\nmetadata: {name: svc-abc}\n"));
  list.push_back(Res(R"y(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - command: ["run", "--host=$(SVC)", "$$(SVC)"]
)y"));
  list[0].ref_var_names.push_back("SVC");
  Var v;
  v.name = "SVC";
  ASSERT_TRUE(ResolveVars(list, {v}, TransformerConfig::Defaults().var_reference).ok());
  const Object& cmd = list[1].obj["spec"]["containers"][0]["command"];
  EXPECT_EQ(cmd[1], "--host=svc-abc");
  EXPECT_EQ(cmd[2], "$(SVC)");
}

TEST(GeneratorTest, MergeBehaviorKeepsOldKeysAndOverridesNewOnes) {
  ResourceList list;
  Resource base = Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {a: '1'}}\ndata: {x: '1', y: '1'}\n");
  base.needs_hash = true;
  list.push_back(base);
  Resource over = Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {y: '2', z: '2'}\n");
  over.behavior = GenBehavior::kMerge;
  over.needs_hash = true;
  ASSERT_TRUE(AbsorbGenerated(list, over).ok());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].obj["data"]["x"], "1");
  EXPECT_EQ(list[0].obj["data"]["y"], "2");
  EXPECT_EQ(list[0].obj["data"]["z"], "2");
  EXPECT_EQ(list[0].obj["metadata"]["labels"]["a"], "1");
}

TEST(GeneratorTest, CreatingAnExistingIdIsAnError) {
  ResourceList list;
  list.push_back(Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"));
  EXPECT_FALSE(AbsorbGenerated(list, Res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")).ok());
}

}  // namespace
}  // namespace gitopsd::kustomize
