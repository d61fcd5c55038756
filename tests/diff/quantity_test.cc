#include "diff/quantity.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace gitopsd::diff {
namespace {

std::string Q(std::string_view s) { return CanonicalQuantity(s).value_or("<invalid>"); }

TEST(QuantityTest, DecimalValuesUseMultiplesOfThreeWithIntegerMantissa) {
  EXPECT_EQ(Q("0.5"), "500m");
  EXPECT_EQ(Q("1000m"), "1");
  EXPECT_EQ(Q("1500m"), "1500m");
  EXPECT_EQ(Q("1.5"), "1500m");
  EXPECT_EQ(Q("0.05"), "50m");
  EXPECT_EQ(Q("2000"), "2k");
  EXPECT_EQ(Q("10000"), "10k");
  EXPECT_EQ(Q("1k"), "1k");
  EXPECT_EQ(Q("1000k"), "1M");
  EXPECT_EQ(Q("100"), "100");
  EXPECT_EQ(Q("+3"), "+3");  // kept as written: see KeepsSpelling
  EXPECT_EQ(Q("-250m"), "-250m");
  EXPECT_EQ(Q("1E"), "1E");
}

TEST(QuantityTest, BinaryValuesStayBinaryWhenWholeAndAtLeast1024) {
  EXPECT_EQ(Q("1Gi"), "1Gi");
  EXPECT_EQ(Q("1024Mi"), "1Gi");
  EXPECT_EQ(Q("1.5Gi"), "1536Mi");
  EXPECT_EQ(Q("0.5Gi"), "512Mi");
  EXPECT_EQ(Q("1000Ki"), "1000Ki");
  EXPECT_EQ(Q("2048"), "2048");  // decimal stays decimal: 2048 has no multiple-of-3 zeros
}

TEST(QuantityTest, SmallOrFractionalBinaryValuesFallBackToDecimal) {
  EXPECT_EQ(Q("0.5Ki"), "512");
  EXPECT_EQ(Q("1.5Ki"), "1536");
  EXPECT_EQ(Q("0.1Ki"), "102400m");
}

TEST(QuantityTest, ExponentNotationStaysExponent) {
  EXPECT_EQ(Q("1e3"), "1e3");
  EXPECT_EQ(Q("1E3"), "1E3");  // kept as written
  EXPECT_EQ(Q("1.5e3"), "1500");
  EXPECT_EQ(Q("12e6"), "12e6");
  EXPECT_EQ(Q("1e+21"), "1e+21");
  EXPECT_EQ(Q("1e19"), "10e18");
}

TEST(QuantityTest, PrecisionBelowNanoIsRoundedUp) {
  EXPECT_EQ(Q("1e-10"), "1e-9");  // e notation stays e notation
  EXPECT_EQ(Q("0.0000000011"), "2n");
  EXPECT_EQ(Q("0.000000001"), "1n");
}

TEST(QuantityTest, ZeroIsZeroWhateverTheSuffix) {
  EXPECT_EQ(Q("0"), "0");
  EXPECT_EQ(Q("0Gi"), "0");
  EXPECT_EQ(Q("0.000m"), "0");
}

TEST(QuantityTest, InvalidTextIsRefused) {
  for (const char* bad : {"", ".", "abc", "1.2.3", "1 Gi", "1Gb", "Gi", "1e", "--1", "1ee3", "0x10"}) {
    EXPECT_FALSE(CanonicalQuantity(std::string_view(bad)).has_value()) << bad;
  }
}

// Every line of quantities.tsv was recorded from apimachinery's Quantity (via
// kubectl): the spelling the API server stores for an input.
TEST(QuantityTest, MatchesTheApiServerOnRecordedSpellings) {
  std::ifstream in(std::string(GITOPSD_TESTDATA_DIR) + "/diff/quantities.tsv");
  ASSERT_TRUE(in) << "quantities.tsv missing";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string input = line.substr(0, tab), want = line.substr(tab + 1);
    EXPECT_EQ(CanonicalQuantity(std::string_view(input)).value_or("<invalid>"), want) << "input " << input;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(QuantityTest, JsonNumbersAreReadAsTheServerReadsThem) {
  EXPECT_EQ(CanonicalQuantityValue(Object(0.5)), "500m");
  EXPECT_EQ(CanonicalQuantityValue(Object(2)), "2");
  EXPECT_EQ(CanonicalQuantityValue(Object(1.0)), "1");
  EXPECT_EQ(CanonicalQuantityValue(Object("256Mi")), "256Mi");
  EXPECT_FALSE(CanonicalQuantityValue(Object(true)).has_value());
  EXPECT_FALSE(CanonicalQuantityValue(Object::object()).has_value());
}

}  // namespace
}  // namespace gitopsd::diff
