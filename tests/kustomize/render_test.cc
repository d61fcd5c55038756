// Render(): the public API on in-memory trees — output, files read, load
// restrictions, hostile input and refused fields.
#include <gtest/gtest.h>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "kustomize/kustomize.h"

namespace gitopsd::kustomize {
namespace {

constexpr const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.0
)";

std::string RenderText(const FileSystem& fs, std::string_view dir, const RenderOptions& o = {}) {
  auto r = Render(fs, dir, o);
  if (!r.ok()) return "ERROR: " + r.status().ToString();
  return WriteYamlStream(r->objects);
}

TEST(RenderTest, RendersResourcesWithPrefixNamespaceAndLabels) {
  MemoryFileSystem fs;
  fs.AddFile("app/deploy.yaml", kDeployment);
  fs.AddFile("app/kustomization.yaml",
             "namePrefix: dev-\nnamespace: team\nlabels:\n- pairs: {tier: web}\nresources:\n- deploy.yaml\n");
  auto r = Render(fs, "app");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(NameOf(r->objects[0]), "dev-web");
  EXPECT_EQ(NamespaceOf(r->objects[0]), "team");
  EXPECT_EQ(GetString(r->objects[0], "metadata.labels.tier"), "web");
}

TEST(RenderTest, ReportsExactlyTheFilesItRead) {
  MemoryFileSystem fs;
  fs.AddFile("base/deploy.yaml", kDeployment);
  fs.AddFile("base/kustomization.yaml", "resources:\n- deploy.yaml\n");
  fs.AddFile("base/unused.yaml", "not: read\n");
  fs.AddFile("overlay/kustomization.yaml",
             "resources:\n- ../base\nconfigMapGenerator:\n- name: cfg\n  envs: [app.env]\n");
  fs.AddFile("overlay/app.env", "A=1\n");
  auto r = Render(fs, "overlay");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::set<std::string> want = {"base/deploy.yaml", "base/kustomization.yaml", "overlay/app.env",
                                "overlay/kustomization.yaml"};
  EXPECT_EQ(r->files_read, want);
}

TEST(RenderTest, RootOnlyRestrictorRefusesAFileOutsideTheKustomizationDir) {
  MemoryFileSystem fs;
  fs.AddFile("shared/deploy.yaml", kDeployment);
  fs.AddFile("app/kustomization.yaml", "resources:\n- ../shared/deploy.yaml\n");
  auto r = Render(fs, "app");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is not in or below"), std::string::npos) << r.status().message();
  RenderOptions none;
  none.load_restrictor = LoadRestrictor::kNone;
  EXPECT_TRUE(Render(fs, "app", none).ok());
}

TEST(RenderTest, CycleBetweenKustomizationsIsAnError) {
  MemoryFileSystem fs;
  fs.AddFile("a/kustomization.yaml", "resources:\n- ../b\n");
  fs.AddFile("b/kustomization.yaml", "resources:\n- ../a\n");
  auto r = Render(fs, "a");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cycle detected"), std::string::npos) << r.status().message();
}

TEST(RenderTest, KustomizationIncludingItsOwnParentIsACycle) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", "resources:\n- sub\n");
  fs.AddFile("sub/kustomization.yaml", "resources:\n- ..\n");
  auto r = Render(fs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cycle detected"), std::string::npos) << r.status().message();
}

TEST(RenderTest, DuplicateResourceIdIsAnError) {
  MemoryFileSystem fs;
  fs.AddFile("a.yaml", kDeployment);
  fs.AddFile("b.yaml", kDeployment);
  fs.AddFile("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n");
  auto r = Render(fs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("already registered id"), std::string::npos) << r.status().message();
}

TEST(RenderTest, BillionLaughsDocumentIsRefused) {
  std::string doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (int i = 0; i < 9; ++i) {
    std::string name = "l" + std::to_string(i);
    doc += name + ": &" + name + " [";
    for (int j = 0; j < 10; ++j) doc += (j ? ", *" : "*") + prev;
    doc += "]\n";
    prev = name;
  }
  MemoryFileSystem fs;
  fs.AddFile("bomb.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" +
                              [&] {
                                std::string indented;
                                size_t pos = 0;
                                while (pos < doc.size()) {
                                  size_t nl = doc.find('\n', pos);
                                  indented += "  " + doc.substr(pos, nl - pos + 1);
                                  pos = nl + 1;
                                }
                                return indented;
                              }());
  fs.AddFile("kustomization.yaml", "resources:\n- bomb.yaml\n");
  auto r = Render(fs, "");
  EXPECT_FALSE(r.ok());
}

TEST(RenderTest, UnknownFieldNamesTheFieldAndLine) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", "resources: []\nnamePrefx: x-\n");
  auto r = Render(fs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kustomization.yaml: line 2"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("namePrefx"), std::string::npos);
}

TEST(RenderTest, HelmChartsAreRefusedByName) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", "helmCharts:\n- name: redis\n");
  auto r = Render(fs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnimplemented);
  EXPECT_NE(r.status().message().find("helmCharts"), std::string::npos);
}

TEST(RenderTest, RemoteResourcesAreRefusedByName) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml",
             "resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld\n");
  auto r = Render(fs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnimplemented);
  EXPECT_NE(r.status().message().find("remote resource"), std::string::npos);
}

TEST(RenderTest, ExternalPluginsAreRefused) {
  MemoryFileSystem fs;
  fs.AddFile("kustomization.yaml", "transformers:\n- plugin.yaml\n");
  fs.AddFile("plugin.yaml", "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n");
  auto r = Render(fs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnimplemented) << r.status().ToString();
}

TEST(RenderTest, MissingKustomizationFileIsNotFound) {
  MemoryFileSystem fs;
  fs.AddFile("app/deploy.yaml", kDeployment);
  auto r = Render(fs, "app");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST(RenderTest, ComponentAddsToItsParentsResources) {
  MemoryFileSystem fs;
  fs.AddFile("app/deploy.yaml", kDeployment);
  fs.AddFile("app/kustomization.yaml", "resources:\n- deploy.yaml\ncomponents:\n- ../comp\n");
  fs.AddFile("comp/kustomization.yaml",
             "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
             "commonAnnotations:\n  team: a\n");
  auto r = Render(fs, "app");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(GetString(r->objects[0], "metadata.annotations.team"), "a");
}

TEST(RenderTest, ResourceDirectoryThatIsAComponentIsRefused) {
  MemoryFileSystem fs;
  fs.AddFile("app/kustomization.yaml", "resources:\n- ../comp\n");
  fs.AddFile("comp/kustomization.yaml", "kind: Component\n");
  EXPECT_FALSE(Render(fs, "app").ok());
}

TEST(RenderTest, DeprecatedFieldsProduceWarnings) {
  MemoryFileSystem fs;
  fs.AddFile("deploy.yaml", kDeployment);
  fs.AddFile("kustomization.yaml", "commonLabels:\n  a: b\nresources:\n- deploy.yaml\n");
  auto r = Render(fs, "");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("'commonLabels' is deprecated"), std::string::npos);
}

TEST(RenderTest, RenderIsDeterministicAcrossCalls) {
  MemoryFileSystem fs;
  fs.AddFile("deploy.yaml", kDeployment);
  fs.AddFile("kustomization.yaml",
             "resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n");
  EXPECT_EQ(RenderText(fs, ""), RenderText(fs, ""));
}

}  // namespace
}  // namespace gitopsd::kustomize
