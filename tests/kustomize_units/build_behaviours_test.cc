// Render() behaviours fixed for the conformance corpus, each on a small
// in-memory tree; the expected outputs were produced by `kubectl kustomize`
// (Kustomize v5.5.0) on the same trees.
#include <gtest/gtest.h>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "kustomize/kustomize.h"

namespace gitopsd::kustomize {
namespace {

std::string RenderTree(const MemoryFileSystem& fs, std::string_view dir) {
  auto r = Render(fs, dir, RenderOptions{});
  if (!r.ok()) return "ERROR: " + r.status().ToString();
  return WriteYamlStream(r->objects);
}
// Regression: buildMetadata [transformerAnnotations] was ignored. Kustomize records one entry per builtin plugin instance: `labels` adds a second LabelTransformer (for commonLabels).
TEST(KustomizeBuildBehaviourTest, TransformerAnnotationsListEveryBuiltinTransformerInstance) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(resources:
- svc.yaml
namePrefix: p-
labels:
- pairs: {a: b}
images:
- name: x
  newTag: "2"
buildMetadata: [transformerAnnotations]
)");
  fs.AddFile("svc.yaml", R"(apiVersion: v1
kind: Service
metadata:
  name: web
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
kind: Service
metadata:
  annotations:
    alpha.config.kubernetes.io/transformations: |
      - configuredIn: kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: PrefixTransformer
      - configuredIn: kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: LabelTransformer
      - configuredIn: kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: LabelTransformer
      - configuredIn: kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: ImageTagTransformer
  labels:
    a: b
  name: p-web
)");
}

// Regression: generators listed under `generators:` got no origin annotation.
TEST(KustomizeBuildBehaviourTest, PluginGeneratorOriginNamesTheConfig) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(generators:
- |-
  apiVersion: builtin
  kind: ConfigMapGenerator
  metadata:
    name: gen
  name: cm
  literals: [k=v]
buildMetadata: [originAnnotations]
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      configuredIn: kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: ConfigMapGenerator
        name: gen
  name: cm-bdg947hgcc
)");
}

// Regression: the builtin IAMPolicyGenerator was refused.
TEST(KustomizeBuildBehaviourTest, IamPolicyGeneratorMakesAWorkloadIdentityServiceAccount) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(generators:
- |-
  apiVersion: builtin
  kind: IAMPolicyGenerator
  metadata:
    name: iam
  cloud: gke
  kubernetesService:
    name: ksa
    namespace: apps
  serviceAccount:
    name: gsa
    projectId: proj
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    iam.gke.io/gcp-service-account: gsa@proj.iam.gserviceaccount.com
  name: ksa
  namespace: apps
)");
}

// Regression: the builtin ValueAddTransformer was refused. No value: the kustomization directory's name; filePathPosition inserts into a path.
TEST(KustomizeBuildBehaviourTest, ValueAddTransformerDefaultsToTheDirectoryName) {
  MemoryFileSystem fs;
  fs.AddFile("app/cm.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  path: /data/files
)");
  fs.AddFile("app/kustomization.yaml", R"(resources:
- cm.yaml
transformers:
- |-
  apiVersion: builtin
  kind: ValueAddTransformer
  metadata:
    name: va
  targets:
  - fieldPath: metadata/namespace
  - fieldPath: data/path
    filePathPosition: 2
)");
  EXPECT_EQ(RenderTree(fs, "app"), R"(apiVersion: v1
data:
  path: /data/app/files
kind: ConfigMap
metadata:
  name: c
  namespace: app
)");
}

// Regression: long generated base64 was one line (kyaml wraps at 70 and the hash covers the newlines).
TEST(KustomizeBuildBehaviourTest, SecretDataOf70Base64CharactersOrMoreIsWrapped) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(secretGenerator:
- name: s
  literals:
  - long=0123456789012345678901234567890123456789012345678901234567890123456789
  - short=abc
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
data:
  long: |
    MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMT
    IzNDU2Nzg5MDEyMzQ1Njc4OQ==
  short: YWJj
kind: Secret
metadata:
  name: s-4db9cf97tt
type: Opaque
)");
}

// Regression: `port: 8080` annotations stayed integers; Kustomize rewrites annotations as strings.
TEST(KustomizeBuildBehaviourTest, AnnotationValuesBecomeStringsAndEmptyAnnotationsGo) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(resources: [r.yaml]
)");
  fs.AddFile("r.yaml", R"(apiVersion: v1
kind: Service
metadata:
  name: s
  annotations:
    port: 8080
    on: true
---
apiVersion: v1
kind: Service
metadata:
  name: t
  annotations: {}
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
kind: Service
metadata:
  annotations:
    "on": "true"
    port: "8080"
  name: s
---
apiVersion: v1
kind: Service
metadata:
  name: t
)");
}

// Regression: kinds were cluster-scoped by group and kind alone; Kustomize's schema lookup needs the apiVersion, and ValidatingAdmissionPolicy is newer than its schema.
TEST(KustomizeBuildBehaviourTest, ClusterScopeNeedsTheExactApiVersion) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(resources: [r.yaml]
namespace: ns
)");
  fs.AddFile("r.yaml", R"(kind: PersistentVolume
metadata:
  name: pv
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv2
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: vap
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv2
---
kind: PersistentVolume
metadata:
  name: pv
  namespace: ns
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: vap
  namespace: ns
)");
}

// Regression: a Deployment patch targeting an apps/v1 custom kind replaced the containers list; kyaml merges it by name with the Deployment schema.
TEST(KustomizeBuildBehaviourTest, PatchOnUnknownKindMergesWithThePatchKindSchema) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(resources: [r.yaml]
patches:
- path: p.yaml
  target:
    kind: MyKind
)");
  fs.AddFile("p.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
spec:
  template:
    spec:
      containers:
      - name: side
        image: side
)");
  fs.AddFile("r.yaml", R"(apiVersion: apps/v1
kind: MyKind
metadata:
  name: x
spec:
  template:
    spec:
      containers:
      - name: app
        image: app
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: apps/v1
kind: MyKind
metadata:
  name: x
spec:
  template:
    spec:
      containers:
      - image: side
        name: side
      - image: app
        name: app
)");
}

// Regression: a key repeated inside a generator entry was a YAML error;
// Kustomize's decoder lets the last occurrence win.
TEST(KustomizeBuildBehaviourTest, RepeatedNestedKeyInKustomizationLastWins) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(configMapGenerator:
- name: c
  literals:
  - a=1
  literals:
  - b=2
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
data:
  b: "2"
kind: ConfigMap
metadata:
  name: c-fmbk44khfc
)");
}

// Regression: an apps/v1beta2 Deployment patch merged containers by name;
// Kustomize's built-in schema (v1.21.2) has no apps/v1beta2, so kyaml
// replaces every list.
TEST(KustomizeBuildBehaviourTest, KindUnderAnApiVersionMissingFromKyamlSchemaHasAtomicLists) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(resources: [r.yaml]
patchesStrategicMerge: [p.yaml]
)");
  fs.AddFile("p.yaml", R"(apiVersion: apps/v1beta2
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: a2
)");
  fs.AddFile("r.yaml", R"(apiVersion: apps/v1beta2
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - name: a
        image: a
      - name: b
        image: b
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: apps/v1beta2
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: a2
        name: a
)");
}

// Regression: a replacement's `reject: [{name: keep}]` missed keep-dev after
// nameSuffix; Kustomize rejects an object when any of its ids (current or
// earlier) matches.
TEST(KustomizeBuildBehaviourTest, ReplacementRejectMatchesEarlierNames) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", R"(resources: [r.yaml]
nameSuffix: -dev
replacements:
- source:
    kind: ConfigMap
    name: src
    fieldPath: data.v
  targets:
  - select:
      kind: ConfigMap
    reject:
    - name: keep
    - name: src
    fieldPaths: [data.v]
)");
  fs.AddFile("r.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: src
data:
  v: new
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
data:
  v: old
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
data:
  v: old
)");
  EXPECT_EQ(RenderTree(fs, "."), R"(apiVersion: v1
data:
  v: old
kind: ConfigMap
metadata:
  name: keep-dev
---
apiVersion: v1
data:
  v: new
kind: ConfigMap
metadata:
  name: other-dev
---
apiVersion: v1
data:
  v: new
kind: ConfigMap
metadata:
  name: src-dev
)");
}

}  // namespace
}  // namespace gitopsd::kustomize
