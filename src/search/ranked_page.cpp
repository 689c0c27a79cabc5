#include "search/ranked_page.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <string_view>

namespace vigie::search {

double bm25_part(Xapian::doccount documents, Xapian::doccount term_frequency, double factor, Xapian::termcount wdf) {
  // Xapian's BM25Weight with k2 = 0 and b = 0, for a query frequency of 1: the inverse
  // document frequency (raised where a term is in more than about a third of the documents,
  // so that it never weighs nothing), the query frequency part (k3) and the saturation of the
  // within-document frequency (k1).
  double idf = (static_cast<double>(documents) - term_frequency + 0.5) / (term_frequency + 0.5);
  if (idf < 2) idf = idf * 0.5 + 1;
  double weight = std::log(idf) * factor;
  weight *= kBm25K1 + 1;
  return weight * (wdf / (kBm25K1 + wdf));
}

namespace {

using Query = Xapian::Query;

// Below this many matches Xapian weighs them all in well under a millisecond; beyond this
// depth a page is rare enough to be left to it.
constexpr std::size_t kMinMatches = 1000;
constexpr Xapian::doccount kMaxDepth = 200;
// More candidates than this (many groups of near-equal weights) and Xapian weighs everything.
constexpr std::size_t kMaxCandidates = 4000;
// Relative tolerance between a computed weight and Xapian's: sums of the same parts in another
// order, or parts computed in another order, differ in their last bits only.
constexpr double kTolerance = 1e-9;

// The factor of an OP_SCALE_WEIGHT query. Xapian 1.4 gives it only in its description,
// "Query(0.5 * …)".
std::optional<double> scale_factor(const Query& query) {
  const std::string description = query.get_description();
  constexpr std::string_view kOpening = "Query(";
  if (description.rfind(kOpening, 0) != 0) return std::nullopt;
  const char* start = description.data() + kOpening.size();
  const char* end = description.data() + description.size();
  double factor = 0;
  const auto [after, error] = std::from_chars(start, end, factor);
  if (error != std::errc() || std::string_view(after, static_cast<std::size_t>(end - after)).rfind(" * ", 0) != 0 || !(factor >= 0)) {
    return std::nullopt;
  }
  return factor;
}

// The documents of a sorted list, as a filter for Xapian.
class DocumentList final : public Xapian::PostingSource {
 public:
  explicit DocumentList(std::vector<Xapian::docid> documents) : documents_(std::move(documents)) {}

  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(documents_.size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(documents_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(documents_.size()); }
  void init(const Xapian::Database&) override {
    started_ = false;
    at_ = 0;
  }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid docid, double) override {
    if (!started_) at_ = 0;
    started_ = true;
    at_ = static_cast<std::size_t>(std::lower_bound(documents_.begin() + static_cast<std::ptrdiff_t>(at_), documents_.end(), docid) -
                                   documents_.begin());
  }
  bool at_end() const override { return started_ && at_ >= documents_.size(); }
  Xapian::docid get_docid() const override { return documents_[at_]; }

 private:
  std::vector<Xapian::docid> documents_;
  std::size_t at_ = 0;
  bool started_ = false;
};

// The query as a tree whose nodes know the documents they match.
struct Node {
  Query::op type = Query::LEAF_MATCH_NOTHING;
  std::vector<Node> children;
  std::shared_ptr<const TermPostings> postings;  // LEAF_TERM
  double factor = 1;                             // OP_SCALE_WEIGHT
  DocSet own_matches;                            // other nodes
  const DocSet* shared_matches = nullptr;        // a term's postings, or a child's matches

  const DocSet& matches() const { return shared_matches ? *shared_matches : own_matches; }
};

// False when `query`'s weight is not a sum of its terms' BM25 parts (MatchAll, phrases,
// synonyms, maxima, wildcards, value ranges, posting sources…).
// Only what happens in the documents of `matched` (those of the whole query) is evaluated exactly.
bool build(const Query& query, Node& node, const DocSet& matched, Xapian::Database& database, const std::filesystem::path& path,
           PostingBitmaps& bitmaps) {
  node.type = query.get_type();
  const Xapian::docid last = database.get_lastdocid();
  const std::size_t subqueries = query.get_num_subqueries();
  auto build_children = [&] {
    node.children.resize(subqueries);
    for (std::size_t n = 0; n < subqueries; ++n) {
      if (!build(query.get_subquery(n), node.children[n], matched, database, path, bitmaps)) return false;
    }
    return subqueries > 0;
  };
  switch (node.type) {
    case Query::LEAF_TERM:
      node.postings = bitmaps.postings(database, path, *query.get_terms_begin());
      node.shared_matches = &node.postings->all;
      return true;
    case Query::LEAF_MATCH_NOTHING: node.own_matches = DocSet(last); return true;
    case Query::OP_AND:
    case Query::OP_FILTER:
      if (!build_children()) return false;
      node.own_matches = node.children.front().matches();
      for (std::size_t n = 1; n < subqueries; ++n) node.own_matches &= node.children[n].matches();
      return true;
    case Query::OP_OR:
      if (!build_children()) return false;
      node.own_matches = DocSet(last);
      for (const auto& child : node.children) node.own_matches |= child.matches();
      return true;
    case Query::OP_AND_NOT:
      if (!build_children()) return false;
      node.own_matches = node.children.front().matches();
      for (std::size_t n = 1; n < subqueries; ++n) node.own_matches.subtract(node.children[n].matches());
      return true;
    case Query::OP_AND_MAYBE:
      if (!build_children()) return false;
      node.shared_matches = &node.children.front().matches();
      return true;
    case Query::OP_SCALE_WEIGHT: {
      const auto factor = scale_factor(query);
      if (!factor || subqueries != 1 || !build_children()) return false;
      node.factor = *factor;
      node.shared_matches = &node.children.front().matches();
      return true;
    }
    case Query::OP_PHRASE:
    case Query::OP_NEAR: {
      // Weighs as its terms where it matches, which only Xapian can tell from positions: asked
      // about the documents holding every term, few for the phrases a search ranks by
      // (query.h, keep_cheap_phrases).
      if (!build_children()) return false;
      for (const auto& child : node.children) {
        if (child.type != Query::LEAF_TERM) return false;
      }
      DocSet holding = matched;
      for (const auto& child : node.children) holding &= child.matches();
      node.own_matches = DocSet(last);
      std::vector<Xapian::docid> listed;
      holding.for_each([&](Xapian::docid docid) { listed.push_back(docid); });
      if (listed.empty()) return true;
      const auto count = static_cast<Xapian::doccount>(listed.size());
      Xapian::Enquire enquire(database);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_docid_order(Xapian::Enquire::ASCENDING);
      enquire.set_query(Query(Query::OP_FILTER, query, Query((new DocumentList(std::move(listed)))->release())));
      const Xapian::MSet found = enquire.get_mset(0, count);
      for (auto it = found.begin(); it != found.end(); ++it) node.own_matches.insert(*it);
      return true;
    }
    default: return false;
  }
}

// A term whose part counts: in the documents of `active`, scaled by `factor`.
struct WeighedTerm {
  const TermPostings* postings = nullptr;
  double factor = 1;
  DocSet active;
};

// The terms under `node` with where each one's part counts, given that `node`'s own weight
// counts in the documents of `active` where it matches (Xapian: an AND, a FILTER or an
// AND_NOT weighs the sum of its weighing sides where it matches; an OR, the sum of the sides
// that match; AND_MAYBE, its left side plus the right where the left matches).
void weighed_terms(const Node& node, const DocSet& active, double factor, std::vector<WeighedTerm>& terms) {
  switch (node.type) {
    case Query::LEAF_TERM: {
      if (factor == 0) return;
      DocSet where = active;
      where &= node.matches();
      terms.push_back({node.postings.get(), factor, std::move(where)});
      return;
    }
    case Query::OP_AND:
    case Query::OP_PHRASE:
    case Query::OP_NEAR:
    case Query::OP_FILTER:
    case Query::OP_AND_NOT: {
      DocSet where = active;
      where &= node.matches();
      const bool all_weigh = node.type == Query::OP_AND || node.type == Query::OP_PHRASE || node.type == Query::OP_NEAR;
      const std::size_t weighing = all_weigh ? node.children.size() : 1;
      for (std::size_t n = 0; n < weighing; ++n) weighed_terms(node.children[n], where, factor, terms);
      return;
    }
    case Query::OP_OR:
      for (const auto& child : node.children) weighed_terms(child, active, factor, terms);
      return;
    case Query::OP_AND_MAYBE: {
      DocSet where = active;
      where &= node.matches();
      for (const auto& child : node.children) weighed_terms(child, where, factor, terms);
      return;
    }
    case Query::OP_SCALE_WEIGHT: weighed_terms(node.children.front(), active, factor * node.factor, terms); return;
    default: return;  // LEAF_MATCH_NOTHING
  }
}

// Which terms a document holds and how often, summed over its terms as a hash: documents with
// the same profile have the same weight, bit for bit, in Xapian as here.
std::uint64_t profile_part(std::size_t term, Xapian::termcount wdf) {
  std::uint64_t x = (static_cast<std::uint64_t>(term) << 32) ^ wdf ^ 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Per-thread scratch arrays indexed by docid, zero between uses.
struct Scratch {
  std::vector<double> weight;
  std::vector<std::uint64_t> profile;
};

// Calls fn(docid) for every document of `set`, in decreasing order.
template <typename Fn>
void for_each_descending(const DocSet& set, Fn&& fn) {
  const auto& words = set.words();
  for (std::size_t w = words.size(); w-- > 0;) {
    for (std::uint64_t bits = words[w]; bits != 0;) {
      const auto bit = 63 - static_cast<std::size_t>(__builtin_clzll(bits));
      fn(static_cast<Xapian::docid>(w * 64 + bit));
      bits &= ~(std::uint64_t{1} << bit);
    }
  }
}

}  // namespace

std::optional<std::vector<Xapian::docid>> ranked_page(const Xapian::Query& query, const DocSet& matched, Xapian::Database& database,
                                                  const std::filesystem::path& path, PostingBitmaps& bitmaps, Xapian::doccount offset,
                                                  Xapian::doccount limit) {
  const std::size_t wanted = static_cast<std::size_t>(offset) + limit;
  const std::size_t match_count = matched.count();
  if (limit == 0 || wanted > kMaxDepth || match_count < kMinMatches || match_count <= wanted) return std::nullopt;
  Node root;
  if (!build(query, root, matched, database, path, bitmaps)) return std::nullopt;
  std::vector<WeighedTerm> terms;
  weighed_terms(root, matched, 1.0, terms);
  if (terms.empty()) return std::nullopt;

  // 1. Every match's weight, and its profile, from the terms whose part counts for it.
  thread_local Scratch scratch;
  const std::size_t slots = matched.words().size() * 64;
  if (scratch.weight.size() < slots) {
    scratch.weight.resize(slots, 0.0);
    scratch.profile.resize(slots, 0);
  }
  double* const weight = scratch.weight.data();
  std::uint64_t* const profile = scratch.profile.data();
  matched.for_each([&](Xapian::docid docid) {
    weight[docid] = 0;
    profile[docid] = 0;
  });
  const Xapian::doccount documents = database.get_doccount();
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const WeighedTerm& term = terms[t];
    const TermPostings& postings = *term.postings;
    const Xapian::doccount frequency = postings.frequency;
    std::array<double, TermPostings::kSaturatedWdf + 1> part{};
    std::array<std::uint64_t, TermPostings::kSaturatedWdf + 1> profile_of{};
    for (Xapian::termcount wdf = 0; wdf <= TermPostings::kSaturatedWdf; ++wdf) {
      part[wdf] = bm25_part(documents, frequency, term.factor, wdf);
      profile_of[wdf] = profile_part(t, wdf);
    }
    const auto& active = term.active.words();
    const std::size_t slices = postings.wdf_bits.size();
    for (std::size_t w = 0; w < active.size(); ++w) {
      for (std::uint64_t bits = active[w]; bits != 0; bits &= bits - 1) {
        const auto bit = static_cast<unsigned>(__builtin_ctzll(bits));
        const auto docid = static_cast<Xapian::docid>(w * 64 + bit);
        unsigned wdf = 0;
        for (std::size_t i = 0; i < slices; ++i) wdf |= static_cast<unsigned>((postings.wdf_bits[i].words()[w] >> bit) & 1U) << i;
        if (wdf == TermPostings::kSaturatedWdf) {
          const Xapian::termcount exact = postings.wdf(docid);
          weight[docid] += bm25_part(documents, frequency, term.factor, exact);
          profile[docid] += profile_part(t, exact);
        } else {
          weight[docid] += part[wdf];
          profile[docid] += profile_of[wdf];
        }
      }
    }
  }

  // 2. The page's last weight by the computed weights, then the candidates.
  struct Ranked {
    double weight;
    Xapian::docid docid;
  };
  // Xapian's order: heavier first, then the higher document id.
  auto before = [](const Ranked& a, const Ranked& b) { return a.weight != b.weight ? a.weight > b.weight : a.docid > b.docid; };
  std::priority_queue<Ranked, std::vector<Ranked>, decltype(before)> best(before);  // top: the last of the best
  // Decreasing ids: a later document that only ties with the last kept never enters.
  for_each_descending(matched, [&](Xapian::docid docid) {
    if (best.size() < wanted) {
      best.push({weight[docid], docid});
    } else if (weight[docid] > best.top().weight) {
      best.pop();
      best.push({weight[docid], docid});
    }
  });
  const double last = best.top().weight;
  const double high = last + std::abs(last) * kTolerance;
  const double low = last - std::abs(last) * kTolerance;
  // Every match weighing more than the last is among the best kept.
  std::size_t above = 0;
  for (; !best.empty(); best.pop()) above += best.top().weight > high ? std::size_t{1} : std::size_t{0};
  // Among the matches weighing about as much as the last, by profile, the highest ids: equal
  // profiles weigh the same, and Xapian then takes the highest ids first. (Few profiles a
  // query: a list searched from the last one found.)
  const std::size_t per_group = wanted - std::min(above, wanted);
  std::vector<std::pair<std::uint64_t, std::size_t>> taken;  // profile, candidates taken
  std::size_t recent = 0;
  std::vector<Xapian::docid> candidates;
  bool too_many = false;
  for_each_descending(matched, [&](Xapian::docid docid) {
    const double w = weight[docid];
    if (too_many || w < low) return;
    if (w > high) {
      candidates.push_back(docid);
    } else {
      const std::uint64_t p = profile[docid];
      if (recent >= taken.size() || taken[recent].first != p) {
        recent = static_cast<std::size_t>(std::find_if(taken.begin(), taken.end(), [p](const auto& group) { return group.first == p; }) -
                                          taken.begin());
        if (recent == taken.size()) taken.emplace_back(p, 0);
      }
      if (taken[recent].second++ < per_group) candidates.push_back(docid);
    }
    too_many = candidates.size() > kMaxCandidates || taken.size() > kMaxCandidates;
  });
  if (too_many) return std::nullopt;

  // 3. The candidates in Xapian's order. Where two of them weigh about the same without
  // holding the same terms as often, their computed weights may differ from Xapian's in the
  // last bits in another direction: Xapian weighs the candidates then, for its own order.
  std::vector<Ranked> ranked;
  ranked.reserve(candidates.size());
  for (const auto docid : candidates) ranked.push_back({weight[docid], docid});
  std::sort(ranked.begin(), ranked.end(), before);
  bool ambiguous = false;
  for (std::size_t n = 1; n < ranked.size() && !ambiguous; ++n) {
    const Ranked& a = ranked[n - 1];
    const Ranked& b = ranked[n];
    ambiguous = a.weight - b.weight <= std::abs(a.weight) * kTolerance && profile[a.docid] != profile[b.docid];
  }
  if (!ambiguous) {
    std::vector<Xapian::docid> hits;
    for (std::size_t n = offset; n < wanted; ++n) hits.push_back(ranked[n].docid);
    return hits;
  }
  std::reverse(candidates.begin(), candidates.end());
  std::vector<double> computed;
  computed.reserve(candidates.size());
  for (const auto docid : candidates) computed.push_back(weight[docid]);
  const std::vector<Xapian::docid> listed = candidates;
  Xapian::Enquire enquire(database);
  enquire.set_weighting_scheme(ranking_weight());
  enquire.set_docid_order(Xapian::Enquire::DESCENDING);
  enquire.set_query(Query(Query::OP_FILTER, query, Query((new DocumentList(std::move(candidates)))->release())));
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(wanted));
  if (mset.size() != wanted) return std::nullopt;
  std::vector<Xapian::docid> hits;
  Xapian::doccount rank = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) {
    const auto at = std::lower_bound(listed.begin(), listed.end(), *it);
    const double expected = computed[static_cast<std::size_t>(at - listed.begin())];
    if (std::abs(it.get_weight() - expected) > std::abs(expected) * kTolerance / 4) return std::nullopt;
    if (rank >= offset) hits.push_back(*it);
  }
  return hits;
}

}  // namespace vigie::search
