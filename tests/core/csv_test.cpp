#include "core/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigie::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<Record> parse_ok(std::string_view text, char separator = ',') {
  auto parsed = parse(text, separator);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? std::move(parsed).value() : std::vector<Record>{};
}

// The values of each record, to compare whole files at once.
std::vector<std::vector<std::string>> values(const std::vector<Record>& records) {
  std::vector<std::vector<std::string>> result;
  for (const auto& record : records) {
    std::vector<std::string> row;
    for (const auto& cell : record.cells) row.push_back(cell.value);
    result.push_back(std::move(row));
  }
  return result;
}

std::vector<std::size_t> lines(const std::vector<Record>& records) {
  std::vector<std::size_t> result;
  for (const auto& record : records) result.push_back(record.line);
  return result;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvParseTest, SplitsRecordsAndFields) {
  const auto records = parse_ok("code,libelle\nsante,Santé\n");
  EXPECT_EQ(values(records), (Rows{{"code", "libelle"}, {"sante", "Santé"}}));
  EXPECT_THAT(lines(records), ElementsAre(1u, 2u));
  EXPECT_EQ(records[1].cells[0].column, 1u);
  EXPECT_EQ(records[1].cells[1].column, 2u);
  EXPECT_EQ(records[1].cells[1].line, 2u);
}

TEST(CsvParseTest, QuotedFieldMayContainSeparators) {
  EXPECT_EQ(values(parse_ok("a,\"b, c\",d\n")), (Rows{{"a", "b, c", "d"}}));
}

TEST(CsvParseTest, DoubledQuotesInsideQuotesAreOneQuote) {
  EXPECT_EQ(values(parse_ok("\"dit \"\"bonjour\"\"\",\"\"\"\"\n")), (Rows{{"dit \"bonjour\"", "\""}}));
}

TEST(CsvParseTest, EmptyQuotedFieldIsEmpty) { EXPECT_EQ(values(parse_ok("\"\",x\n")), (Rows{{"", "x"}})); }

TEST(CsvParseTest, NewlinesInsideQuotesAreKeptAndCounted) {
  const auto records = parse_ok("a,\"ligne 1\nligne 2\nligne 3\",b\nc,d\n");
  EXPECT_EQ(values(records), (Rows{{"a", "ligne 1\nligne 2\nligne 3", "b"}, {"c", "d"}}));
  EXPECT_THAT(lines(records), ElementsAre(1u, 4u));
  EXPECT_EQ(records[0].cells[1].line, 1u);
  EXPECT_EQ(records[0].cells[2].line, 3u);  // the cell after the multi-line one starts on line 3
}

TEST(CsvParseTest, CrlfInsideQuotesCountsAsOneLine) {
  const auto records = parse_ok("\"a\r\nb\",x\r\nc,d\r\n");
  EXPECT_EQ(values(records), (Rows{{"a\r\nb", "x"}, {"c", "d"}}));
  EXPECT_THAT(lines(records), ElementsAre(1u, 3u));
}

TEST(CsvParseTest, EmptyFieldsAreKept) {
  struct Case {
    const char* text;
    Rows rows;
  };
  const Case cases[] = {
      {"a,,c", {{"a", "", "c"}}},
      {",", {{"", ""}}},
      {"a,", {{"a", ""}}},
      {"a,\n", {{"a", ""}}},
      {",b", {{"", "b"}}},
      {",,\r\n", {{"", "", ""}}},
  };
  for (const auto& c : cases) EXPECT_EQ(values(parse_ok(c.text)), c.rows) << c.text;
}

TEST(CsvParseTest, TrailingNewlineIsOptional) {
  for (const char* text : {"a,b\nc,d", "a,b\nc,d\n", "a,b\r\nc,d", "a,b\r\nc,d\r\n"}) {
    EXPECT_EQ(values(parse_ok(text)), (Rows{{"a", "b"}, {"c", "d"}})) << text;
  }
}

TEST(CsvParseTest, CrlfLineEndingsLeaveNoCarriageReturn) {
  const auto records = parse_ok("a,b\r\nc,d\r\n");
  EXPECT_EQ(values(records), (Rows{{"a", "b"}, {"c", "d"}}));
  EXPECT_THAT(lines(records), ElementsAre(1u, 2u));
}

TEST(CsvParseTest, BlankLinesAreSkippedButCounted) {
  const auto records = parse_ok("\na\n\n\r\n\nb\n\n");
  EXPECT_EQ(values(records), (Rows{{"a"}, {"b"}}));
  EXPECT_THAT(lines(records), ElementsAre(2u, 6u));
}

TEST(CsvParseTest, EmptyTextHasNoRecords) {
  EXPECT_THAT(parse_ok(""), IsEmpty());
  EXPECT_THAT(parse_ok("\n\r\n"), IsEmpty());
}

TEST(CsvParseTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(values(parse_ok("\xEF\xBB\xBF" "code,libelle\n")), (Rows{{"code", "libelle"}}));
}

TEST(CsvParseTest, CustomSeparator) {
  EXPECT_EQ(values(parse_ok("a;\"b;c\";d,e\n", ';')), (Rows{{"a", "b;c", "d,e"}}));
}

TEST(CsvParseTest, UnterminatedQuoteNamesLineAndColumnWhereItOpened) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"a,\"bc", "ligne 1, colonne 2 : guillemet ouvrant sans guillemet fermant"},
      {"x\ny,z,\"ouvert\nsur\nplusieurs lignes", "ligne 2, colonne 3 : guillemet ouvrant sans guillemet fermant"},
      {"\"", "ligne 1, colonne 1 : guillemet ouvrant sans guillemet fermant"},
  };
  for (const auto& c : cases) {
    auto parsed = parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid);
    EXPECT_EQ(parsed.error().message, c.message);
  }
}

TEST(CsvParseTest, QuoteInsideAnUnquotedFieldIsRefused) {
  auto parsed = parse("a,b\nc,d\"e\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().kind, ErrorKind::invalid);
  EXPECT_EQ(parsed.error().message, "ligne 2, colonne 2 : guillemet au milieu d'un champ non entouré de guillemets");
}

TEST(CsvParseTest, TextAfterAClosingQuoteIsRefused) {
  auto parsed = parse("x\n\"ab\"c,d\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "ligne 2, colonne 1 : caractère inattendu après un champ entre guillemets");
}

}  // namespace
}  // namespace vigie::csv
