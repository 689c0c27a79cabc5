// The set of fiches a query matches, computed as bitmaps of posting lists rather than by
// Xapian's matcher.
//
// The library page needs, besides the 20 best fiches, the exact number of matches and the
// facet counts over all of them. Asking Xapian's matcher for those makes it weigh (BM25) every
// match — about 24,000 for an average query at 100,000 fiches, two thirds of a page's CPU. Here
// the same boolean structure is evaluated over one bitmap per term (a bit per document id),
// and the bitmaps of frequent terms are kept between queries for the database revision they
// were read from. Xapian is then asked only for the page of best fiches.
//
// Only what is boolean is evaluated: terms, AND/OR/AND_NOT/XOR/FILTER/SYNONYM/MAX, the left
// side of AND_MAYBE, scaled subqueries. A query holding a phrase, a proximity, a wildcard, an
// elite set, a value range or a posting source has no bitmap (nullopt): the caller lets Xapian
// count it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace vigie::search {

// Document ids 1..last as bits.
class DocSet {
 public:
  DocSet() = default;
  explicit DocSet(Xapian::docid last) : words_(last / 64 + 1, 0) {}

  // Precondition: docid <= the set's last document.
  void insert(Xapian::docid docid) { words_[docid / 64] |= std::uint64_t{1} << (docid % 64); }
  // Any docid: the set grows as needed.
  void add(Xapian::docid docid) {
    if (docid / 64 >= words_.size()) words_.resize(docid / 64 + 1, 0);
    insert(docid);
  }
  void erase(Xapian::docid docid) {
    if (docid / 64 < words_.size()) words_[docid / 64] &= ~(std::uint64_t{1} << (docid % 64));
  }
  bool contains(Xapian::docid docid) const {
    return docid / 64 < words_.size() && (words_[docid / 64] >> (docid % 64) & 1U) != 0;
  }
  std::size_t count() const;
  // The number of documents in both sets.
  std::size_t count_shared(const DocSet& other) const;
  std::size_t bytes() const { return words_.size() * sizeof(std::uint64_t); }

  DocSet& operator&=(const DocSet& other);
  DocSet& operator|=(const DocSet& other);
  DocSet& operator^=(const DocSet& other);
  DocSet& subtract(const DocSet& other);

  // The set's bits, 64 documents a word: document d is bit d % 64 of word d / 64.
  const std::vector<std::uint64_t>& words() const { return words_; }

  // Calls fn(docid) for every document of the set, in increasing order.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        fn(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))));
      }
    }
  }

 private:
  std::vector<std::uint64_t> words_;
};

// A term's posting list in memory: the documents holding it, and how often each holds it (its
// within-document frequency, wdf, which the fields' weights raise: a title word counts 3), as
// bit slices: bit i of min(wdf, kSaturatedWdf) of document d is bit d of wdf_bits[i]. The
// documents holding it kSaturatedWdf times or more are listed with their wdf in `frequent`.
struct TermPostings {
  static constexpr Xapian::termcount kSaturatedWdf = 15;
  DocSet all;
  Xapian::doccount frequency = 0;  // documents in `all`
  std::vector<DocSet> wdf_bits;  // as many as the largest wdf needs (none for boolean terms)
  std::vector<std::pair<Xapian::docid, Xapian::termcount>> frequent;  // by docid

  // Precondition: `all` holds `docid`.
  Xapian::termcount wdf(Xapian::docid docid) const;
  std::size_t bytes() const;
};

// Posting lists read as bitmaps, those of frequent terms kept for the database they were read
// from (its path and revision: any commit makes a new revision, and the kept bitmaps are then
// dropped). Thread-safe.
class PostingBitmaps {
 public:
  // Terms held by fewer documents are read again at each use (cheap); the bitmaps kept take at
  // most `max_bytes`.
  explicit PostingBitmaps(std::size_t max_bytes = 256 * 1024 * 1024, Xapian::doccount min_frequency = 200)
      : max_bytes_(max_bytes), min_frequency_(min_frequency) {}

  // The documents of `database` indexed by `term` ("" for every document).
  std::shared_ptr<const DocSet> documents(Xapian::Database& database, const std::filesystem::path& path, const std::string& term);
  // The same with the within-document frequencies.
  std::shared_ptr<const TermPostings> postings(Xapian::Database& database, const std::filesystem::path& path, const std::string& term);

 private:
  const std::size_t max_bytes_;
  const Xapian::doccount min_frequency_;
  std::mutex mutex_;
  std::filesystem::path path_;
  Xapian::rev revision_ = 0;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const TermPostings>> kept_;
};

// The documents `query` matches in `database` (whose files are at `path`), or nullopt when the
// query is not boolean (see above).
std::optional<DocSet> match_set(const Xapian::Query& query, Xapian::Database& database, const std::filesystem::path& path,
                                PostingBitmaps& bitmaps);

}  // namespace vigie::search
