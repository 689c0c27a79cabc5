#include "search/match_set.h"

#include <algorithm>
#include <bit>

namespace vigie::search {

// The counts use the CPU's popcount instruction where it has one (nearly every x86-64 since
// 2008), chosen at load time; the portable code otherwise. (Not with clang 14, which emits no
// resolver for cloned member functions: the sanitizer and fuzzing builds use the portable code.)
#if defined(__x86_64__) && !defined(__clang__)
#define VIGIE_POPCOUNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define VIGIE_POPCOUNT_CLONES
#endif

VIGIE_POPCOUNT_CLONES std::size_t DocSet::count() const {
  std::size_t total = 0;
  for (const auto word : words_) total += static_cast<std::size_t>(std::popcount(word));
  return total;
}

VIGIE_POPCOUNT_CLONES std::size_t DocSet::count_shared(const DocSet& other) const {
  const std::size_t shared = std::min(words_.size(), other.words_.size());
  std::size_t total = 0;
  for (std::size_t w = 0; w < shared; ++w) total += static_cast<std::size_t>(std::popcount(words_[w] & other.words_[w]));
  return total;
}

DocSet& DocSet::operator&=(const DocSet& other) {
  const std::size_t shared = std::min(words_.size(), other.words_.size());
  for (std::size_t w = 0; w < shared; ++w) words_[w] &= other.words_[w];
  std::fill(words_.begin() + static_cast<std::ptrdiff_t>(shared), words_.end(), 0);
  return *this;
}

DocSet& DocSet::operator|=(const DocSet& other) {
  if (words_.size() < other.words_.size()) words_.resize(other.words_.size(), 0);
  for (std::size_t w = 0; w < other.words_.size(); ++w) words_[w] |= other.words_[w];
  return *this;
}

DocSet& DocSet::operator^=(const DocSet& other) {
  if (words_.size() < other.words_.size()) words_.resize(other.words_.size(), 0);
  for (std::size_t w = 0; w < other.words_.size(); ++w) words_[w] ^= other.words_[w];
  return *this;
}

DocSet& DocSet::subtract(const DocSet& other) {
  const std::size_t shared = std::min(words_.size(), other.words_.size());
  for (std::size_t w = 0; w < shared; ++w) words_[w] &= ~other.words_[w];
  return *this;
}

Xapian::termcount TermPostings::wdf(Xapian::docid docid) const {
  const std::size_t word = docid / 64;
  const unsigned bit = docid % 64;
  Xapian::termcount value = 0;
  for (std::size_t i = 0; i < wdf_bits.size(); ++i) value |= static_cast<Xapian::termcount>((wdf_bits[i].words()[word] >> bit) & 1U) << i;
  if (value == kSaturatedWdf) {
    const auto found = std::lower_bound(frequent.begin(), frequent.end(), std::pair<Xapian::docid, Xapian::termcount>(docid, 0));
    if (found != frequent.end() && found->first == docid) return found->second;
  }
  return value;
}

std::size_t TermPostings::bytes() const {
  std::size_t total = all.bytes() + frequent.size() * sizeof(frequent.front());
  for (const auto& slice : wdf_bits) total += slice.bytes();
  return total;
}

namespace {

TermPostings read_postings(Xapian::Database& database, const std::string& term) {
  const Xapian::docid last = database.get_lastdocid();
  TermPostings postings{DocSet(last), 0, {}, {}};
  for (auto it = database.postlist_begin(term), end = database.postlist_end(term); it != end; ++it) {
    const Xapian::docid docid = *it;
    postings.all.insert(docid);
    ++postings.frequency;
    if (term.empty()) continue;  // every document: no frequencies
    const Xapian::termcount wdf = it.get_wdf();
    const Xapian::termcount saturated = std::min(wdf, TermPostings::kSaturatedWdf);
    while (postings.wdf_bits.size() < static_cast<std::size_t>(std::bit_width(saturated))) postings.wdf_bits.emplace_back(last);
    for (std::size_t i = 0; i < postings.wdf_bits.size(); ++i) {
      if ((saturated >> i & 1U) != 0) postings.wdf_bits[i].insert(docid);
    }
    if (wdf >= TermPostings::kSaturatedWdf) postings.frequent.emplace_back(docid, wdf);
  }
  return postings;
}

}  // namespace

std::shared_ptr<const DocSet> PostingBitmaps::documents(Xapian::Database& database, const std::filesystem::path& path,
                                                        const std::string& term) {
  auto read = postings(database, path, term);
  return std::shared_ptr<const DocSet>(read, &read->all);
}

std::shared_ptr<const TermPostings> PostingBitmaps::postings(Xapian::Database& database, const std::filesystem::path& path,
                                                             const std::string& term) {
  const Xapian::doccount frequency = term.empty() ? database.get_doccount() : database.get_termfreq(term);
  if (frequency < min_frequency_) return std::make_shared<const TermPostings>(read_postings(database, term));
  const Xapian::rev revision = database.get_revision();
  {
    std::lock_guard lock(mutex_);
    if (path != path_ || revision != revision_) {
      kept_.clear();
      bytes_ = 0;
      path_ = path;
      revision_ = revision;
    }
    if (auto found = kept_.find(term); found != kept_.end()) return found->second;
  }
  auto read = std::make_shared<const TermPostings>(read_postings(database, term));
  const std::size_t bytes = read->bytes();
  std::lock_guard lock(mutex_);
  // Kept only for the revision it was read from, and within the budget.
  if (path == path_ && revision == revision_ && bytes_ + bytes <= max_bytes_ && kept_.emplace(term, read).second) bytes_ += bytes;
  return read;
}

namespace {

using Query = Xapian::Query;

std::optional<DocSet> evaluate(const Query& query, Xapian::Database& database, const std::filesystem::path& path, PostingBitmaps& bitmaps) {
  const auto subquery = [&](std::size_t n) { return evaluate(query.get_subquery(n), database, path, bitmaps); };
  const std::size_t subqueries = query.get_num_subqueries();
  switch (query.get_type()) {
    case Query::LEAF_TERM: return *bitmaps.documents(database, path, *query.get_terms_begin());
    case Query::LEAF_MATCH_ALL: return *bitmaps.documents(database, path, "");
    case Query::LEAF_MATCH_NOTHING: return DocSet(database.get_lastdocid());
    case Query::OP_AND:
    case Query::OP_FILTER: {
      std::optional<DocSet> all;
      for (std::size_t n = 0; n < subqueries; ++n) {
        auto matched = subquery(n);
        if (!matched) return std::nullopt;
        if (all) {
          *all &= *matched;
        } else {
          all = std::move(matched);
        }
      }
      return all;
    }
    case Query::OP_OR:
    case Query::OP_SYNONYM:
    case Query::OP_MAX: {
      DocSet any(database.get_lastdocid());
      for (std::size_t n = 0; n < subqueries; ++n) {
        auto matched = subquery(n);
        if (!matched) return std::nullopt;
        any |= *matched;
      }
      return any;
    }
    case Query::OP_XOR: {
      DocSet odd(database.get_lastdocid());
      for (std::size_t n = 0; n < subqueries; ++n) {
        auto matched = subquery(n);
        if (!matched) return std::nullopt;
        odd ^= *matched;
      }
      return odd;
    }
    case Query::OP_AND_NOT: {
      auto kept = subquery(0);
      for (std::size_t n = 1; kept && n < subqueries; ++n) {
        auto matched = subquery(n);
        if (!matched) return std::nullopt;
        kept->subtract(*matched);
      }
      return kept;
    }
    case Query::OP_AND_MAYBE:  // the other subqueries only weigh
    case Query::OP_SCALE_WEIGHT:
      return subqueries == 0 ? std::nullopt : subquery(0);
    default:  // phrases, proximity, wildcards, elite sets, value ranges, posting sources
      return std::nullopt;
  }
}

}  // namespace

std::optional<DocSet> match_set(const Xapian::Query& query, Xapian::Database& database, const std::filesystem::path& path,
                                PostingBitmaps& bitmaps) {
  if (query.empty()) return DocSet(database.get_lastdocid());
  return evaluate(query, database, path, bitmaps);
}

}  // namespace vigie::search
