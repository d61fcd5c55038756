// Type-confusion sweep: every node of real-shaped fixtures is replaced in
// turn by values of every other JSON type; normalization, comparison,
// masking, rendering and health must return (never throw, never crash).
// Bad input from a cluster or a repo must not take the daemon down.
#include <gtest/gtest.h>

#include <functional>

#include "diff/diff.h"
#include "diff/health.h"
#include "diff/render.h"
#include "tests/diff/fixtures.h"

namespace gitopsd::diff {
namespace {

using testing::LoadJson;

// Calls fn(mutated) for each node of `doc` replaced by each variant.
void ForEachMutation(const Object& doc, const std::function<void(const Object&)>& fn) {
  const Object variants[] = {Object(-1.5e300), Object("x"), Object(), Object::object()};
  std::vector<std::string> pointers;
  std::function<void(const Object&, const std::string&)> walk = [&](const Object& n, const std::string& at) {
    if (!at.empty()) pointers.push_back(at);
    if (n.is_object()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        std::string key;
        for (char c : it.key()) key += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
        walk(*it, at + "/" + key);
      }
    } else if (n.is_array()) {
      for (size_t i = 0; i < n.size(); ++i) walk(n[i], at + "/" + std::to_string(i));
    }
  };
  walk(doc, "");
  for (const auto& p : pointers) {
    for (const Object& v : variants) {
      Object m = doc;
      m.at(nlohmann::ordered_json::json_pointer(p)) = v;
      fn(m);
    }
  }
}

TEST(RobustnessTest, HealthChecksSurviveAnyFieldType) {
  Object cases = LoadJson("health/cases.json");
  size_t runs = 0;
  for (const auto& c : cases) {
    Object obj = LoadJson("health/" + c["file"].get<std::string>());
    ForEachMutation(obj, [&](const Object& m) {
      EXPECT_NO_THROW(AssessHealth(m));
      ++runs;
    });
  }
  EXPECT_GT(runs, 5000u);
}

TEST(RobustnessTest, CompareAndRenderSurviveAnyFieldType) {
  DiffOptions opt;
  IgnoreRule rule;
  rule.json_pointers = {"/spec/template/spec/containers/*/image"};
  rule.managed_fields_managers = {"kubectl", "gitopsd"};
  opt.ignore.push_back(rule);
  for (const char* dir : {"secret", "service", "statefulset"}) {
    Object desired = LoadJson(std::string(dir) + "/desired.json");
    Object live = LoadJson(std::string(dir) + "/live.json");
    auto check = [&](const Object* d, const Object* l, const Object* dry) {
      EXPECT_NO_THROW({
        auto r = CompareObjects(d, l, dry, opt);
        if (r.ok()) {
          RenderUnified(*r);
          ToJson(*r);
        }
      });
    };
    ForEachMutation(desired, [&](const Object& m) { check(&m, &live, nullptr); });
    ForEachMutation(live, [&](const Object& m) { check(&desired, &m, &m); });
  }
}

}  // namespace
}  // namespace gitopsd::diff
