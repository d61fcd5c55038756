// Fixture trees: tests/testdata/kustomize/<case>/input/ rendered and
// compared byte for byte with <case>/expected.yaml (produced by
// `kubectl kustomize`), one case per transformer feature.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/filesystem.h"
#include "core/yaml.h"
#include "kustomize/kustomize.h"

namespace gitopsd::kustomize {
namespace {

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> out;
  std::filesystem::path dir = std::filesystem::path(GITOPSD_TESTDATA_DIR) / "kustomize";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (std::filesystem::exists(e.path() / "expected.yaml")) out.push_back(e.path().filename());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class FixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, RendersLikeKubectl) {
  std::filesystem::path dir = std::filesystem::path(GITOPSD_TESTDATA_DIR) / "kustomize" / GetParam();
  auto fs = DiskFileSystem::Open(dir.string());
  ASSERT_TRUE(fs.ok());
  auto r = Render(**fs, "input");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(WriteYamlStream(r->objects), ReadAll(dir / "expected.yaml"));
}

INSTANTIATE_TEST_SUITE_P(Kustomize, FixtureTest, ::testing::ValuesIn(CaseNames()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace gitopsd::kustomize
