#include "search/ranked_page.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace vigie::search {
namespace {

using Query = Xapian::Query;

// A generated corpus where the shortcut applies: frequent terms held once by most documents
// and more often (a title) by some, as in the library; a few documents hold a term 15 times
// or more (beyond the wdf bit slices).
class RankedPageTest : public ::testing::Test {
 protected:
  static constexpr int kDocuments = 9000;

  void SetUp() override {
    path_ = dir_.path() / "index";
    Xapian::WritableDatabase writer(path_.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    std::mt19937 random(42);
    const std::vector<Xapian::termcount> frequencies = {1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 4, 6, 15, 17};
    for (int d = 0; d < kDocuments; ++d) {
      Xapian::Document document;
      Xapian::termpos position = 1;
      for (int t = 0; t < 12; ++t) {
        // Low term numbers are frequent, high ones rare.
        const int term = static_cast<int>(std::uniform_int_distribution<int>(0, 11)(random) * std::uniform_int_distribution<int>(1, 3)(random) / 2);
        if (std::uniform_int_distribution<int>(0, 2)(random) == 0) continue;
        const Xapian::termcount wdf = frequencies[std::uniform_int_distribution<std::size_t>(0, frequencies.size() - 1)(random)];
        for (Xapian::termcount n = 0; n < wdf; ++n) document.add_posting("Zt" + std::to_string(term), position++);
      }
      document.add_boolean_term(d % 3 == 0 ? "Dfirst" : "Dother");
      writer.add_document(document);
    }
    writer.commit();
    database_ = Xapian::Database(path_.string());
  }

  // What Xapian's matcher gives over every match: the reference.
  std::vector<Xapian::docid> xapian_page(const Query& query, Xapian::doccount offset, Xapian::doccount limit) {
    Xapian::Enquire enquire(database_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(ranking_weight());
    enquire.set_docid_order(Xapian::Enquire::DESCENDING);
    const Xapian::MSet mset = enquire.get_mset(offset, limit);
    return {mset.begin(), mset.end()};
  }

  test::TempDir dir_;
  std::filesystem::path path_;
  Xapian::Database database_;
  PostingBitmaps bitmaps_{64 * 1024 * 1024, 50};
};

Query term(int n) { return Query("Zt" + std::to_string(n)); }
Query half(const Query& query) { return Query(Query::OP_SCALE_WEIGHT, query, 0.5); }
Query all_of(Query::op op, std::vector<Query> parts) { return Query(op, parts.begin(), parts.end()); }

TEST_F(RankedPageTest, AQueryTermWeighsWhatXapianGivesIt) {
  const Xapian::doccount documents = database_.get_doccount();
  for (const Query& query : {term(3), half(term(3)), Query(Query::OP_OR, term(3), half(term(3)))}) {
    Xapian::Enquire enquire(database_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(ranking_weight());
    const Xapian::MSet mset = enquire.get_mset(0, 50);
    ASSERT_FALSE(mset.empty());
    const bool twice = query.get_type() == Query::OP_OR;
    const double factor = query.get_type() == Query::OP_SCALE_WEIGHT ? 0.5 : 1.0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const auto posting = database_.postlist_begin("Zt3");
      auto at = posting;
      at.skip_to(*it);
      const Xapian::termcount wdf = at.get_wdf();
      const Xapian::doccount frequency = database_.get_termfreq("Zt3");
      const double expected = twice ? bm25_part(documents, frequency, 1.0, wdf) + bm25_part(documents, frequency, 0.5, wdf)
                                    : bm25_part(documents, frequency, factor, wdf);
      EXPECT_NEAR(it.get_weight(), expected, 1e-9 * expected) << query.get_description() << " document " << *it;
    }
  }
}

TEST_F(RankedPageTest, GivesXapiansPageOnQueriesShapedLikeTheLibrarys) {
  const std::vector<Query> queries = {
      term(0),
      term(2),
      Query(Query::OP_AND, term(0), term(1)),
      all_of(Query::OP_AND, {term(0), term(1), term(2)}),
      // Words, another form, related expressions at half weight.
      all_of(Query::OP_OR, {term(1), term(4), half(Query(Query::OP_OR, term(5), Query(Query::OP_AND, term(6), term(7))))}),
      // Ranked also by a non-filtering word and a phrase filtered by its words.
      Query(Query::OP_AND_MAYBE, Query(Query::OP_AND, term(0), term(2)),
            Query(Query::OP_OR, term(9), Query(Query::OP_FILTER, half(Query(Query::OP_PHRASE, term(0), term(2))), Query(Query::OP_AND, term(0), term(2))))),
      // A facet filter and an excluded word.
      Query(Query::OP_FILTER, Query(Query::OP_OR, term(0), term(3)), Query("Dfirst")),
      Query(Query::OP_AND_NOT, Query(Query::OP_OR, term(1), term(2)), term(8)),
      // The closest fiches: at least two of three parts, each combination adding its weight.
      all_of(Query::OP_OR, {Query(Query::OP_AND, term(0), term(1)), Query(Query::OP_AND, term(0), term(4)),
                            Query(Query::OP_AND, term(1), term(4))}),
      // Equal weights everywhere: a term every match holds once or more, boolean otherwise.
      Query(Query::OP_FILTER, term(0), Query("Dother")),
  };
  int shortcut = 0;
  for (const Query& query : queries) {
    const auto matched = match_set(query, database_, path_, bitmaps_);
    ASSERT_TRUE(matched) << query.get_description();
    for (const auto& [offset, limit] : std::vector<std::pair<Xapian::doccount, Xapian::doccount>>{{0, 20}, {20, 20}, {0, 1}, {180, 20}}) {
      const auto ranked = ranked_page(query, *matched, database_, path_, bitmaps_, offset, limit);
      if (!ranked) {
        ADD_FAILURE() << "not ranked: " << query.get_description() << " offset " << offset << ", " << matched->count() << " matches";
        continue;
      }
      ++shortcut;
      const auto expected = xapian_page(query, offset, limit);
      ASSERT_EQ(ranked->size(), expected.size()) << query.get_description() << " offset " << offset;
      for (std::size_t n = 0; n < expected.size(); ++n) {
        EXPECT_EQ((*ranked)[n], expected[n]) << query.get_description() << " offset " << offset << " rank " << n;
      }
    }
  }
  // The shortcut is taken on every shape above: the comparison is not empty.
  EXPECT_EQ(shortcut, static_cast<int>(queries.size()) * 4);
}

TEST_F(RankedPageTest, LeavesToXapianWhatItCannotBound) {
  const auto all = match_set(Query::MatchAll, database_, path_, bitmaps_);
  ASSERT_TRUE(all);
  EXPECT_FALSE(ranked_page(Query::MatchAll, *all, database_, path_, bitmaps_, 0, 20));
  const Query synonym(Query::OP_SYNONYM, term(0), term(1));
  const auto matched = match_set(synonym, database_, path_, bitmaps_);
  ASSERT_TRUE(matched);
  EXPECT_FALSE(ranked_page(synonym, *matched, database_, path_, bitmaps_, 0, 20));
  EXPECT_FALSE(ranked_page(term(0), *match_set(term(0), database_, path_, bitmaps_), database_, path_, bitmaps_, 1000, 20));  // deep page
}

}  // namespace
}  // namespace vigie::search
