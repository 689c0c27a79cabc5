// The page of best fiches of a search, found without Xapian's matcher weighing every match.
//
// Xapian ranks by BM25 with b = 0: a fiche's weight is a sum, over the query's terms whose
// weight counts for it, of a part that depends only on the term and on how often the fiche
// holds it (its wdf). At 100,000 fiches an average search matches 24,000 of them, and Xapian
// weighing them all to find the best 20 was 40 % of an uncached library page. Here:
//   1. each match's weight is computed from the posting lists in memory (match_set.h: bitmaps
//      and wdf bit slices), following the query's structure (a term under an AND counts only
//      where the whole AND matches, the right of a FILTER never counts…);
//   2. the candidates are the matches that can reach the page: every match weighing more than
//      the page's last one, and, among those weighing about as much as it, the ones that can
//      still come before it (equal weights go to the higher document id, as Xapian orders
//      them): for each group of matches holding the same terms as often, its highest ids;
//   3. they are ordered by their computed weights. Where two of them weigh nearly the same
//      without holding the same terms as often (the computed weights could then differ from
//      Xapian's in their last bits the other way), Xapian's matcher weighs the candidates only
//      and its order is taken; a candidate whose weight it finds different from the computed
//      one makes the function give up (nullopt): the caller then asks Xapian for every match.
// Checked against Xapian's matcher over every match by tests/search/ranked_page_test.cpp.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include <xapian.h>

#include "search/match_set.h"

namespace vigie::search {

// BM25 without length normalisation (b = 0): a fiche's fields are weighted through the
// within-document frequency of their terms (title above summary above the rest), and fiches
// are of comparable length, while normalising made Xapian read every match's length (half
// of the time of a search at 100,000 fiches). k1 = 1 saturates repeated words.
inline constexpr double kBm25K1 = 1.0;
inline constexpr double kBm25K3 = 1.0;
inline Xapian::BM25Weight ranking_weight() { return Xapian::BM25Weight(kBm25K1, 0, kBm25K3, 0, 0.5); }

// The documents [offset, offset + limit) of `query` by relevance (ties: the higher document id
// first) among `matched`, the documents it matches (match_set()), as Xapian's matcher gives
// them with ranking_weight(). (Not their relevance percentages: Xapian computes those from the
// query it runs, here restricted to the candidates.) Nullopt when the shortcut does not apply: a query whose weight is
// not a sum of term parts (phrases, synonyms, MatchAll, wildcards…), few matches, a deep page,
// or a computed weight Xapian does not confirm. The caller then asks Xapian's matcher.
std::optional<std::vector<Xapian::docid>> ranked_page(const Xapian::Query& query, const DocSet& matched, Xapian::Database& database,
                                                  const std::filesystem::path& path, PostingBitmaps& bitmaps, Xapian::doccount offset,
                                                  Xapian::doccount limit);

// The weight ranking_weight() gives a document for `wdf` occurrences of a term held by
// `term_frequency` of `documents` documents, for a query term scaled by `factor` (Xapian gives
// each occurrence of a term in a query its own part, of query frequency 1). Public for tests.
double bm25_part(Xapian::doccount documents, Xapian::doccount term_frequency, double factor, Xapian::termcount wdf);

}  // namespace vigie::search
