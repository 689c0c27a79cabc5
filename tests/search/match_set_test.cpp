#include "search/match_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace vigie::search {
namespace {

using Query = Xapian::Query;

// "t" followed by n (built by appending: GCC 12 warns, -Wrestrict, on "t" + std::string).
std::string divisor_term(unsigned n) {
  std::string term = "t";
  term += std::to_string(n);
  return term;
}

TEST(DocSetTest, CountsCombinesAndListsItsDocuments) {
  DocSet a(200), b(200);
  for (Xapian::docid d : {1U, 63U, 64U, 130U, 200U}) a.insert(d);
  for (Xapian::docid d : {63U, 64U, 199U}) b.insert(d);
  EXPECT_EQ(a.count(), 5U);
  EXPECT_EQ(a.count_shared(b), 2U);
  EXPECT_TRUE(a.contains(200));
  EXPECT_FALSE(a.contains(2));
  EXPECT_FALSE(a.contains(100000));  // beyond the set: not there, no overflow

  DocSet both = a;
  both &= b;
  std::vector<Xapian::docid> listed;
  both.for_each([&](Xapian::docid d) { listed.push_back(d); });
  EXPECT_EQ(listed, (std::vector<Xapian::docid>{63, 64}));

  DocSet either = a;
  either |= b;
  EXPECT_EQ(either.count(), 6U);
  DocSet only_a = a;
  only_a.subtract(b);
  EXPECT_EQ(only_a.count(), 3U);
  DocSet odd = a;
  odd ^= b;
  EXPECT_EQ(odd.count(), 4U);
}

TEST(DocSetTest, GrowsWhenAddingBeyondItsEndAndErases) {
  DocSet set;
  set.add(5000);
  set.add(3);
  EXPECT_EQ(set.count(), 2U);
  set.erase(5000);
  set.erase(9999999);  // beyond: nothing happens
  EXPECT_EQ(set.count(), 1U);
  DocSet small(10);
  small.insert(3);
  EXPECT_EQ(set.count_shared(small), 1U);  // sets of different sizes
  small &= set;
  EXPECT_EQ(small.count(), 1U);
}

// A small database where document d holds "tN" for every N dividing d (N = 2..7), "all", and
// the positional words "alpha beta" (d odd) or "beta alpha" (d even).
class MatchSetTest : public ::testing::Test {
 protected:
  static constexpr Xapian::docid kDocuments = 500;

  void SetUp() override {
    Xapian::WritableDatabase writer(path_.string(), Xapian::DB_CREATE_OR_OPEN);
    for (Xapian::docid d = 1; d <= kDocuments; ++d) writer.add_document(document(d));
    writer.commit();
  }

  static Xapian::Document document(Xapian::docid d) {
    Xapian::Document doc;
    doc.add_boolean_term("all");
    for (unsigned n = 2; n <= 7; ++n) {
      if (d % n == 0) doc.add_term(divisor_term(n));
    }
    doc.add_posting(d % 2 == 1 ? "alpha" : "beta", 1);
    doc.add_posting(d % 2 == 1 ? "beta" : "alpha", 2);
    return doc;
  }

  // What Xapian's matcher finds, as a sorted list.
  static std::set<Xapian::docid> matcher(Xapian::Database& database, const Query& query) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    std::set<Xapian::docid> out;
    const Xapian::MSet mset = enquire.get_mset(0, database.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(*it);
    return out;
  }

  static std::set<Xapian::docid> listed(const DocSet& set) {
    std::set<Xapian::docid> out;
    set.for_each([&](Xapian::docid d) { out.insert(d); });
    return out;
  }

  test::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "db";
};

TEST_F(MatchSetTest, BooleanQueriesMatchWhatXapiansMatcherMatches) {
  Xapian::Database database(path_.string());
  PostingBitmaps bitmaps(1 << 20, 10);  // terms of at least 10 documents are kept
  const std::vector<Query> queries = {
      Query("t2"),
      Query("absent"),
      Query(Query::OP_AND, Query("t2"), Query("t3")),
      Query(Query::OP_OR, Query("t5"), Query("t7")),
      Query(Query::OP_AND_NOT, Query("t2"), Query(Query::OP_OR, Query("t3"), Query("t5"))),
      Query(Query::OP_XOR, Query("t2"), Query("t3")),
      Query(Query::OP_FILTER, Query("t2"), Query("t7")),
      Query(Query::OP_AND_MAYBE, Query("t3"), Query("t5")),
      Query(Query::OP_SCALE_WEIGHT, Query(Query::OP_OR, Query("t6"), Query("absent")), 0.5),
      Query(Query::OP_SYNONYM, Query("t4"), Query("t6")),
      Query(Query::OP_MAX, Query("t4"), Query("t7")),
      Query::MatchAll,
      Query(Query::OP_AND_NOT, Query::MatchAll, Query("t2")),
      Query(Query::OP_AND, Query("t2"), Query::MatchNothing),
  };
  for (const auto& query : queries) {
    const auto matched = match_set(query, database, path_, bitmaps);
    ASSERT_TRUE(matched.has_value()) << query.get_description();
    EXPECT_EQ(listed(*matched), matcher(database, query)) << query.get_description();
    EXPECT_EQ(matched->count(), matcher(database, query).size()) << query.get_description();
  }
  // An empty query matches nothing, as for Xapian.
  EXPECT_EQ(match_set(Query(), database, path_, bitmaps)->count(), 0U);
}

TEST_F(MatchSetTest, QueriesNeedingPositionsOrValuesAreLeftToXapian) {
  Xapian::Database database(path_.string());
  PostingBitmaps bitmaps;
  const std::vector<std::string> words = {"alpha", "beta"};
  EXPECT_FALSE(match_set(Query(Query::OP_PHRASE, words.begin(), words.end()), database, path_, bitmaps));
  EXPECT_FALSE(match_set(Query(Query::OP_NEAR, words.begin(), words.end()), database, path_, bitmaps));
  EXPECT_FALSE(match_set(Query(Query::OP_WILDCARD, "t"), database, path_, bitmaps));
  EXPECT_FALSE(match_set(Query(Query::OP_VALUE_GE, 0, "a"), database, path_, bitmaps));
  // Even deep inside a boolean query.
  EXPECT_FALSE(match_set(Query(Query::OP_AND, Query("t2"), Query(Query::OP_PHRASE, words.begin(), words.end())), database, path_,
                         bitmaps));
  // But not on the optional side of AND_MAYBE, which only weighs.
  EXPECT_TRUE(match_set(Query(Query::OP_AND_MAYBE, Query("t2"), Query(Query::OP_PHRASE, words.begin(), words.end())), database,
                        path_, bitmaps));
}

TEST_F(MatchSetTest, KeptBitmapsFollowTheDatabaseRevision) {
  PostingBitmaps bitmaps(1 << 20, 1);  // every term kept
  Xapian::Database reader(path_.string());
  EXPECT_EQ(bitmaps.documents(reader, path_, "t7")->count(), kDocuments / 7);
  EXPECT_EQ(bitmaps.documents(reader, path_, "")->count(), kDocuments);

  // A commit adds a document holding t7 and removes another: the kept bitmaps are not reused.
  {
    Xapian::WritableDatabase writer(path_.string(), Xapian::DB_OPEN);
    writer.add_document(document(7 * 1000));
    writer.delete_document(7);
    writer.commit();
  }
  reader.reopen();
  const auto after = bitmaps.documents(reader, path_, "t7");
  EXPECT_EQ(after->count(), kDocuments / 7);  // one in, one out
  EXPECT_TRUE(after->contains(kDocuments + 1));
  EXPECT_FALSE(after->contains(7));
  EXPECT_EQ(bitmaps.documents(reader, path_, "")->count(), kDocuments);
}

TEST_F(MatchSetTest, TheBudgetBoundsWhatIsKeptNotWhatIsAnswered) {
  Xapian::Database database(path_.string());
  PostingBitmaps tiny(1, 1);  // nothing fits
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(tiny.documents(database, path_, "t3")->count(), kDocuments / 3);
  }
}

TEST_F(MatchSetTest, RandomBooleanQueriesAgreeWithTheMatcher) {
  Xapian::Database database(path_.string());
  PostingBitmaps bitmaps(1 << 20, 50);
  std::mt19937 random(7);
  std::uniform_int_distribution<int> pick(0, 5);
  auto leaf = [&] { return Query(divisor_term(2 + static_cast<unsigned>(pick(random)))); };
  const std::vector<Query::op> ops = {Query::OP_AND, Query::OP_OR, Query::OP_AND_NOT, Query::OP_XOR, Query::OP_FILTER, Query::OP_AND_MAYBE};
  for (int i = 0; i < 200; ++i) {
    Query query = leaf();
    for (int depth = 0; depth < 3; ++depth) {
      query = Query(ops[static_cast<std::size_t>(pick(random))], query, leaf());
    }
    const auto matched = match_set(query, database, path_, bitmaps);
    ASSERT_TRUE(matched.has_value()) << query.get_description();
    EXPECT_EQ(listed(*matched), matcher(database, query)) << query.get_description();
  }
}

}  // namespace
}  // namespace vigie::search
