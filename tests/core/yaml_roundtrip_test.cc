// Round trip of every Kustomize conformance case's expected output: parse
// expected.yaml, write it back with WriteYamlStream, compare bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/yaml.h"

namespace gitopsd {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Cases whose expected.yaml cannot round-trip, with the reason. Keep empty
// unless a case is truly out of reach.
const std::set<std::string>& KnownExceptions() {
  static const std::set<std::string> kCases = {};
  return kCases;
}

TEST(YamlRoundTripTest, EveryKustomizeExpectedOutputIsReproducedByteForByte) {
  fs::path root = fs::path(GITOPSD_SHARED_DIR) / "kustomize-cases";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root)) {
    fs::path f = entry.path() / "expected.yaml";
    if (fs::exists(f)) files.push_back(f);
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 400u);
  size_t identical = 0;
  std::vector<std::string> failures;
  for (const fs::path& f : files) {
    std::string name = f.parent_path().filename().string();
    std::string text = ReadAll(f);
    YamlReadOptions options;
    options.source_name = f.string();
    auto docs = ParseYamlStream(text, options);
    bool same = docs.ok() && WriteYamlStream(*docs) == text;
    if (same) {
      ++identical;
    } else if (!KnownExceptions().count(name)) {
      failures.push_back(name + (docs.ok() ? "" : ": " + docs.status().ToString()));
    }
  }
  std::cout << identical << "/" << files.size() << " byte-identical" << std::endl;
  for (const std::string& f : failures) ADD_FAILURE() << "not byte-identical: " << f;
}

}  // namespace
}  // namespace gitopsd
