#include "tests/diff/fixtures.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gitopsd::diff::testing {

Object LoadJson(const std::string& relative) {
  std::string path = std::string(GITOPSD_TESTDATA_DIR) + "/diff/" + relative;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open fixture " << path;
    return Object();
  }
  std::stringstream ss;
  ss << in.rdbuf();
  Object o = Object::parse(ss.str(), nullptr, false);
  if (o.is_discarded()) {
    ADD_FAILURE() << "fixture " << path << " is not valid JSON";
    return Object();
  }
  return o;
}

}  // namespace gitopsd::diff::testing
