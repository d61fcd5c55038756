// core/yaml: reading (typing, anchors, merges, errors, limits) and writing
// (Kustomize v5.5.0's bytes). Oracle fixtures live in tests/testdata/yaml/.
#include "core/yaml.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gitopsd {
namespace {

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::filesystem::path(GITOPSD_TESTDATA_DIR) / "yaml" / name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Object Parse(std::string_view text) {
  auto r = ParseYaml(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Object();
}

// Parses `value: <text>` and returns the value.
Object Scalar(std::string_view text) { return Parse("v: " + std::string(text) + "\n")["v"]; }

// Writes {v: value} and returns what follows "v:".
std::string WriteValue(const Object& value) {
  std::string out = WriteYaml(Object{{"v", value}});
  return out.substr(2);
}

// ---- reading: scalar typing as yaml.v3 (Kustomize's reader) types it ----

TEST(YamlReadTest, Yaml11BooleansStayStrings) {
  EXPECT_EQ(Scalar("on"), "on");
  EXPECT_EQ(Scalar("yes"), "yes");
  EXPECT_EQ(Scalar("y"), "y");
  EXPECT_EQ(Scalar("Off"), "Off");
  EXPECT_EQ(Scalar("true"), true);
  EXPECT_EQ(Scalar("FALSE"), false);
}

TEST(YamlReadTest, NullSpellingsAndEmptyValuesAreNull) {
  EXPECT_TRUE(Scalar("~").is_null());
  EXPECT_TRUE(Scalar("null").is_null());
  EXPECT_TRUE(Scalar("NULL").is_null());
  EXPECT_TRUE(Parse("v:\n")["v"].is_null());
  EXPECT_EQ(Scalar("nul"), "nul");
}

TEST(YamlReadTest, IntegersFollowGoBaseZeroRules) {
  EXPECT_EQ(Scalar("0x1F"), 31);
  EXPECT_EQ(Scalar("0755"), 493);
  EXPECT_EQ(Scalar("0o17"), 15);
  EXPECT_EQ(Scalar("0b101"), 5);
  EXPECT_EQ(Scalar("1_000"), 1000);
  EXPECT_EQ(Scalar("-42"), -42);
  EXPECT_EQ(Scalar("+12"), 12);
  EXPECT_TRUE(Scalar("18446744073709551615").is_number_unsigned());
  EXPECT_TRUE(Scalar("-9223372036854775809").is_number_float());
  EXPECT_EQ(Scalar("08"), 8.0);  // not octal, so a float
  EXPECT_TRUE(Scalar("08").is_number_float());
}

TEST(YamlReadTest, FloatsAndSpecialFloats) {
  EXPECT_TRUE(Scalar("1.0").is_number_float());
  EXPECT_EQ(Scalar("1e3"), 1000.0);
  EXPECT_EQ(Scalar(".5"), 0.5);
  EXPECT_TRUE(std::isinf(Scalar(".inf").get<double>()));
  EXPECT_TRUE(std::isnan(Scalar(".nan").get<double>()));
  EXPECT_EQ(Scalar("1e400"), "1e400");  // overflows: Go keeps the text
  EXPECT_EQ(Scalar("1.2.3"), "1.2.3");
}

TEST(YamlReadTest, QuotedAndBlockScalarsAreAlwaysStrings) {
  EXPECT_EQ(Scalar("\"123\""), "123");
  EXPECT_EQ(Scalar("'007'"), "007");
  EXPECT_EQ(Scalar("'true'"), "true");
  EXPECT_EQ(Scalar("\"null\""), "null");
  EXPECT_EQ(Parse("v: |\n  12\n")["v"], "12\n");
}

TEST(YamlReadTest, TimestampsBecomeRfc3339Strings) {
  EXPECT_EQ(Scalar("2001-12-14"), "2001-12-14T00:00:00Z");
  EXPECT_EQ(Scalar("2001-12-14 21:59:43.10"), "2001-12-14T21:59:43.1Z");
  EXPECT_EQ(Scalar("2001-12-14t21:59:43.10-05:00"), "2001-12-14T21:59:43.1-05:00");
  EXPECT_EQ(Scalar("2001-1-4T1:5:3Z"), "2001-01-04T01:05:03Z");
  EXPECT_EQ(Scalar("2001-12-14T21:59:43+00:00"), "2001-12-14T21:59:43Z");
  EXPECT_EQ(Scalar("2001-02-30"), "2001-02-30");  // not a date
  EXPECT_EQ(Scalar("'2001-12-14'"), "2001-12-14");
}

TEST(YamlReadTest, ExplicitTags) {
  EXPECT_EQ(Scalar("!!str 0x10"), "0x10");
  EXPECT_EQ(Scalar("!!int \"12\""), 12);
  EXPECT_TRUE(Scalar("!!float 1").is_number_float());
  EXPECT_EQ(Scalar("!!binary aGVsbG8="), "hello");
  EXPECT_EQ(Scalar("!!timestamp 2001-12-14"), "2001-12-14T00:00:00Z");
  EXPECT_EQ(Scalar("!custom bar"), "bar");
  auto bad = ParseYaml("v: !!int abc\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

TEST(YamlReadTest, ParsesNestedCollectionsInOrder) {
  Object o = Parse("b:\n  z: [1, two, {k: v}]\na:\n- x\n- - y\n");
  EXPECT_EQ(o.begin().key(), "b");
  EXPECT_EQ(o["b"]["z"][0], 1);
  EXPECT_EQ(o["b"]["z"][2]["k"], "v");
  EXPECT_EQ(o["a"][1][0], "y");
}

TEST(YamlReadTest, StreamsKeepEmptyDocumentsAsNull) {
  auto docs = ParseYamlDocuments("a: 1\n---\n# only a comment\n---\nb: 2\n");
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_TRUE((*docs)[1].value.is_null());
  EXPECT_EQ((*docs)[2].line, 5);
  auto stream = ParseYamlStream("a: 1\n---\n---\nb: 2\n");
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->size(), 2u);
}

TEST(YamlReadTest, ParseYamlRefusesSeveralDocuments) {
  EXPECT_FALSE(ParseYaml("a: 1\n---\nb: 2\n").ok());
  EXPECT_TRUE(Parse("").is_null());
}

// ---- anchors, aliases, merges ----

TEST(YamlReadTest, AliasesExpandToCopies) {
  Object o = Parse("a: &x {k: [1, 2]}\nb: *x\nc: &s str\nd: *s\n");
  EXPECT_EQ(o["b"], o["a"]);
  EXPECT_EQ(o["d"], "str");
}

TEST(YamlReadTest, BillionLaughsIsRefusedNotExpanded) {
  std::string doc = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'i'; ++c, ++prev) {
    doc += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) doc += std::string(i ? "," : "") + "*" + prev;
    doc += "]\n";
  }
  auto r = ParseYaml(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r.status().message().find("aliasing"), std::string::npos);
}

TEST(YamlReadTest, AliasBudgetIsConfigurable) {
  YamlReadOptions options;
  options.max_alias_expanded_nodes = 3;
  EXPECT_TRUE(ParseYaml("a: &x [1]\nb: *x\n", options).ok());
  auto r = ParseYaml("a: &x [1, 2, 3]\nb: *x\nc: *x\n", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

TEST(YamlReadTest, UnknownAliasIsAnError) {
  auto r = ParseYaml("a: *nope\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(YamlReadTest, MergeKeysLoseToExplicitKeysWhereverTheyAre) {
  Object o = Parse(
      "base: &b {k1: v1, k2: v2}\n"
      "s1:\n  <<: *b\n  k2: over\n"
      "s2:\n  k2: first\n  <<: *b\n"
      "s3:\n  <<: [*b, {k4: v4, k1: z}]\n");
  EXPECT_EQ(o["s1"].size(), 2u);
  EXPECT_EQ(o["s1"]["k1"], "v1");
  EXPECT_EQ(o["s1"]["k2"], "over");
  EXPECT_EQ(o["s2"]["k2"], "first");
  EXPECT_EQ(o["s2"]["k1"], "v1");
  EXPECT_EQ(o["s3"]["k1"], "v1");  // earlier sources win
  EXPECT_EQ(o["s3"]["k4"], "v4");
  EXPECT_FALSE(o["s1"].contains("<<"));
}

TEST(YamlReadTest, MergeOfAScalarIsAnError) {
  EXPECT_FALSE(ParseYaml("a:\n  <<: 3\n").ok());
  EXPECT_EQ(Parse("a:\n  '<<': 3\n")["a"]["<<"], 3);  // quoted: an ordinary key
}

// ---- errors ----

TEST(YamlReadTest, DuplicateKeyNamesBothLines) {
  YamlReadOptions options;
  options.source_name = "base/deploy.yaml";
  auto r = ParseYaml("spec:\n  a: 1\n  b: 2\n  a: 3\n", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("base/deploy.yaml: line 4"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("mapping key \"a\" already defined at line 2"),
            std::string::npos)
      << r.status().message();
}

TEST(YamlReadTest, DuplicateKeysCanBeAllowedLastOneWins) {
  // Kustomize accepts repeated keys in kustomization.yaml (configmaps_test
  // TestGeneratorRepeatsInKustomization): the last occurrence wins.
  YamlReadOptions options;
  options.allow_duplicate_keys = true;
  auto r = ParseYaml("kind: K\nliterals: [a]\nkind: K\nliterals: [b, c]\n", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)["literals"], Object::array({"b", "c"}));
}

TEST(YamlReadTest, SyntaxErrorNamesSourceLineAndColumn) {
  YamlReadOptions options;
  options.source_name = "r.yaml";
  auto r = ParseYaml("a: 1\nb:\n  c: [1, 2\n", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("r.yaml: line ", 0), 0u) << r.status().message();
  EXPECT_NE(r.status().message().find("column"), std::string::npos);
}

TEST(YamlReadTest, ControlCharactersAreRefusedWithPosition) {
  auto r = ParseYaml("a: 1\nb: x\x01y\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2, column 5"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(ParseYaml("a: \xff\n").ok());  // invalid UTF-8
}

TEST(YamlReadTest, DocumentSizeLimitIsPerDocument) {
  YamlReadOptions options;
  options.max_document_bytes = 64;
  std::string small = "a: " + std::string(40, 'x') + "\n";
  EXPECT_TRUE(ParseYamlStream(small + "---\n" + small + "---\n" + small, options).ok());
  std::string big = "a: " + std::string(100, 'x') + "\n";
  auto r = ParseYamlStream(small + "---\n" + big, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

TEST(YamlReadTest, ComplexKeysAreRefused) {
  EXPECT_FALSE(ParseYaml("? [a]\n: b\n").ok());
}

TEST(YamlReadTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(2000, '[');
  EXPECT_FALSE(ParseYaml(deep).ok());
}

TEST(YamlReadTest, RecordsLinesPerJsonPointer) {
  YamlReadOptions options;
  options.record_lines = true;
  auto docs = ParseYamlDocuments(
      "kind: A\n---\nkind: B\nspec:\n  containers:\n  - name: x\n    image: y\n  a/b~c: 1\n",
      options);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  const auto& lines = (*docs)[1].lines;
  EXPECT_EQ(lines.at("/kind"), 3);
  EXPECT_EQ(lines.at("/spec/containers/0/image"), 7);
  EXPECT_EQ(lines.at("/spec/containers/0"), 6);
  EXPECT_EQ(lines.at("/spec/a~1b~0c"), 8);
  EXPECT_EQ((*docs)[1].line, 3);
  EXPECT_TRUE((*docs)[0].lines.count("/kind"));
}

// ---- writing ----

TEST(YamlWriteTest, StringsThatReadAsOtherTypesAreDoubleQuoted) {
  for (const char* s : {"yes", "on", "y", "N", "Off", "true", "null", "~", "", "1.0", "0755",
                        "0x1F", "1e3", "1:20", "190:20:30", "+1", ".5", ".inf", "2001-12-14",
                        "1_000", "123456789012345678901234567890", "0b101"}) {
    EXPECT_EQ(WriteValue(Object(s)), " \"" + std::string(s) + "\"\n") << s;
  }
  for (const char* s : {"<<", "=", "x]", "a|b", "yess", "1.2.3", "2001-02-30", "1e400"}) {
    EXPECT_EQ(WriteValue(Object(s)), " " + std::string(s) + "\n") << s;
  }
}

TEST(YamlWriteTest, IndicatorsAndEdgeSpacesAreSingleQuoted) {
  EXPECT_EQ(WriteValue("  lead"), " '  lead'\n");
  EXPECT_EQ(WriteValue("trail "), " 'trail '\n");
  EXPECT_EQ(WriteValue("a: b"), " 'a: b'\n");
  EXPECT_EQ(WriteValue("x #y"), " 'x #y'\n");
  EXPECT_EQ(WriteValue("x#y"), " x#y\n");
  EXPECT_EQ(WriteValue("*x"), " '*x'\n");
  EXPECT_EQ(WriteValue("-"), " '-'\n");
  EXPECT_EQ(WriteValue("'q'"), " '''q'''\n");
  EXPECT_EQ(WriteValue("\"dq\""), " '\"dq\"'\n");
  EXPECT_EQ(WriteValue("---"), " '---'\n");
}

TEST(YamlWriteTest, SpecialCharactersAreEscapedInDoubleQuotes) {
  EXPECT_EQ(WriteValue("x\ty"), " \"x\\ty\"\n");
  EXPECT_EQ(WriteValue("a\r\nb"), " \"a\\r\\nb\"\n");
  EXPECT_EQ(WriteValue("emoji \xF0\x9F\x98\x80"), " \"emoji \\U0001F600\"\n");
  EXPECT_EQ(WriteValue("\x01" "ctl"), " \"\\x01ctl\"\n");
  EXPECT_EQ(WriteValue("\xC3\xA9t\xC3\xA9 \xE2\x9C\x93"), " \xC3\xA9t\xC3\xA9 \xE2\x9C\x93\n");
}

TEST(YamlWriteTest, MultiLineStringsUseLiteralBlocks) {
  EXPECT_EQ(WriteValue("a\nb\n"), " |\n  a\n  b\n");
  EXPECT_EQ(WriteValue("a\nb"), " |-\n  a\n  b\n");
  EXPECT_EQ(WriteValue("a\nb\n\n"), " |+\n  a\n  b\n\n");
  EXPECT_EQ(WriteValue(" a\nb"), " |2-\n   a\n  b\n");
  EXPECT_EQ(WriteValue("\n"), " |2+\n\n");
  // A line ending in a space, or a tab anywhere: go-yaml falls back to quotes.
  EXPECT_EQ(WriteValue("trailing \nspace"), " \"trailing \\nspace\"\n");
  EXPECT_EQ(WriteValue("a\tb\nc"), " \"a\\tb\\nc\"\n");
}

TEST(YamlWriteTest, LongScalarsFoldAtColumn80LiteralsDoNot) {
  std::string words;
  for (int i = 0; i < 21; ++i) {
    words += std::string(i ? " " : "") + std::string(4, static_cast<char>('a' + i));
  }
  // "v: " + 15 words reaches column 77; the break comes at the first space
  // past column 80.
  EXPECT_EQ(WriteValue(words), " " + words.substr(0, 79) + "\n  " + words.substr(80) + "\n");
  EXPECT_EQ(WriteValue(words + "\nx\n"), " |\n  " + words + "\n  x\n");
}

TEST(YamlWriteTest, NumbersPrintAsKustomizePrintsThem) {
  EXPECT_EQ(WriteValue(1.0), " 1\n");
  EXPECT_EQ(WriteValue(1000.0), " 1000\n");
  EXPECT_EQ(WriteValue(1.5), " 1.5\n");
  EXPECT_EQ(WriteValue(1234567.5), " 1.2345675e+06\n");
  EXPECT_EQ(WriteValue(0.00001), " 1e-05\n");
  EXPECT_EQ(WriteValue(0.0001), " 0.0001\n");
  EXPECT_EQ(WriteValue(3e-7), " 3e-07\n");
  EXPECT_EQ(WriteValue(1e21), " 1e+21\n");
  EXPECT_EQ(WriteValue(1e20), " 1e+20\n");
  EXPECT_EQ(WriteValue(-0.0), " 0\n");
  EXPECT_EQ(WriteValue(-9223372036854775808.0), " -9.223372036854776e+18\n");
  EXPECT_EQ(WriteValue(1e19), " 10000000000000000000\n");
  EXPECT_EQ(WriteValue(9007199254740993.0), " 9007199254740992\n");
  EXPECT_EQ(WriteValue(1.2345678901234569e+23), " 1.2345678901234569e+23\n");
  EXPECT_EQ(WriteValue(int64_t{-5}), " -5\n");
  EXPECT_EQ(WriteValue(uint64_t{18446744073709551615u}), " 18446744073709551615\n");
  EXPECT_EQ(WriteValue(true), " true\n");
  EXPECT_EQ(WriteValue(nullptr), " null\n");
}

TEST(YamlWriteTest, CollectionsUseCompactBlockStyle) {
  Object o = Parse(
      "spec:\n  containers:\n  - name: x\n    ports: [80, 443]\n  - - a\n    - b\n  e: {}\n  l: []\n");
  EXPECT_EQ(WriteYaml(o),
            "spec:\n  containers:\n  - name: x\n    ports:\n    - 80\n    - 443\n  - - a\n    - b\n"
            "  e: {}\n  l: []\n");
  EXPECT_EQ(WriteYaml(Object::array({1, Object::object()})), "- 1\n- {}\n");
  EXPECT_EQ(WriteYaml(Object::object()), "{}\n");
  EXPECT_EQ(WriteYaml(Object("x")), "x\n");
}

TEST(YamlWriteTest, KeysSortInGoYamlNaturalOrder) {
  Object o = Parse(
      "B: 1\na: 1\n_x: 1\n-x: 1\nA: 1\nb1: 1\nb01: 1\nb10: 1\nb2: 1\n10: 1\n9: 1\nz: 1\n");
  EXPECT_EQ(WriteYaml(o),
            "-x: 1\n_x: 1\n\"9\": 1\n\"10\": 1\nA: 1\nB: 1\na: 1\nb1: 1\nb01: 1\nb2: 1\nb10: 1\n"
            "z: 1\n");
  YamlWriteOptions keep;
  keep.sort_keys = false;
  EXPECT_EQ(WriteYaml(Parse("b: 1\na: 2\n"), keep), "b: 1\na: 2\n");
}

TEST(YamlWriteTest, AwkwardKeysAreQuotedOrComplex) {
  Object o{{"", 1}, {" lead", 2}, {"1", 3}, {"a b", 4}, {"ml\n", 5}};
  EXPECT_EQ(WriteYaml(o), "\"\": 1\n' lead': 2\n\"1\": 3\na b: 4\n? |\n  ml\n: 5\n");
}

TEST(YamlWriteTest, StreamSeparatesDocuments) {
  EXPECT_EQ(WriteYamlStream({Object{{"a", 1}}, Object{{"b", 2}}}), "a: 1\n---\nb: 2\n");
  EXPECT_EQ(WriteYamlStream({}), "");
}

TEST(YamlWriteTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(WriteValue(std::string("a\xff" "b")), " a\xEF\xBF\xBD" "b\n");
}

class OracleFixtureTest : public ::testing::TestWithParam<const char*> {};

TEST_P(OracleFixtureTest, RoundTripMatchesKustomizeOutput) {
  std::string name = GetParam();
  std::string in = ReadFixture(name + ".in.yaml");
  std::string want = ReadFixture(name + ".kustomize.yaml");
  ASSERT_FALSE(in.empty());
  ASSERT_FALSE(want.empty());
  auto obj = ParseYaml(in);
  ASSERT_TRUE(obj.ok()) << obj.status().ToString();
  EXPECT_EQ(WriteYaml(*obj), want);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OracleFixtureTest,
                         ::testing::Values("scalars", "strings", "merge_tags_numbers", "numbers",
                                           "folded", "styles"));

}  // namespace
}  // namespace gitopsd
