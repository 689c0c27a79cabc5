// The full-text index of published fiches (Xapian), derived from the store and rebuildable at
// any time. It records the last change sequence it reflects (store `changes` table), so a
// follower can apply what came after (search/index_follower.h).
//
// On disk, the index directory holds generations (`index-1/`, `index-2/`, … each a Xapian
// database) and a Xapian stub file `XAPIANDB` naming the live one, so that Xapian's own tools
// open the directory as the live database. A rebuild writes a new generation beside the live
// one with periodic commits (memory stays bounded), then swaps the stub atomically (rename);
// the previous generation is kept until the next rebuild for searches still reading it.
// A directory holding a database of the former layout (one database, no stub) is opened as
// it is; its first rebuild moves it to the layout above.
//
// Thread-safety: writes are serialised inside; searches run concurrently, each thread on its
// own reader reopened after every commit (opened afresh after a rebuild's swap).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "core/result.h"
#include "domain/organisation.h"
#include "domain/taxonomy.h"
#include "domain/use_case.h"
#include "search/french_lexicon.h"
#include "search/library_filters.h"
#include "search/match_set.h"
#include "search/query.h"
#include "search/vocabulary.h"
#include "store/use_case_store.h"

namespace vigie::search {

// A fiche with what the index needs to know about its owners.
struct IndexDocument {
  domain::UseCase use_case;
  std::vector<domain::Organisation> owners;
  std::vector<std::string> places;  // names of the owners' départements and régions
};

// One change of the store for the index: the fiche as it now is (indexed when published,
// removed otherwise), or its removal (no document: deleted).
struct IndexChange {
  std::int64_t sequence = 0;
  domain::UseCaseId id = 0;
  std::optional<IndexDocument> document;
};

enum class SearchSort { relevance, recent, title };

// Supplies a rebuild with documents, a batch at a time; an empty batch ends the rebuild.
using DocumentBatches = std::function<Result<std::vector<IndexDocument>>()>;

struct SearchRequest {
  std::string text;             // the search box, in the query syntax of search/query.h
  store::UseCaseFilter filter;  // the library's filters (publication state is ignored: published only)
  // Filters only the index knows (kLibraryFilters without a store member), by parameter:
  // "taille" (size band of an owner), "region", "departement" (INSEE codes of an owner),
  // "categorie-ai-act", "fournisseur" (provider type), "libre" ("oui": licence or source code
  // published), "evaluation-ai-act", "niveau-impact".
  std::map<std::string, std::vector<std::string>> index_filters;
  SearchSort sort = SearchSort::relevance;
  // When nothing matches the words as typed, search a spelling correction at once. Off when
  // the person asked for their own words ("rechercher plutôt …").
  bool correct_spelling = true;
  std::size_t offset = 0;
  std::size_t limit = 20;
  // Whether the hits need their relevance percentage (SearchHit::percent): without it (the
  // library page shows none), a page by relevance is found without weighing every match
  // (search/ranked_page.h), and `percent` is 0.
  bool percentages = true;
};

// How the results answer the words typed.
enum class MatchKind {
  all_words,  // every filtering word found (or no words): the plain answer
  corrected,  // nothing for the words as typed; results for a spelling correction, applied at once
  closest,    // too few fiches hold every word: the fiches holding the most of them
  none,       // nothing relevant
};

// Sets the selection of library filter `param` (kLibraryFilters) in `request`; an unknown
// parameter is ignored.
void select_filter(SearchRequest& request, std::string_view param, std::vector<std::string> codes);

struct SearchHit {
  domain::UseCaseId id = 0;
  int percent = 0;           // Xapian's relevance percentage (0 unless SearchRequest::percentages)
};

struct SearchResults {
  std::vector<SearchHit> hits;
  std::int64_t total = 0;           // exact number of matching fiches
  std::vector<std::string> stems;   // stems of the query's words, for highlighting
  // Facet counts by filter parameter ("domaine", "technique", "finalite", "statut", "type",
  // and those of SearchRequest::index_filters),
  // then by code. Disjunctive: each facet's counts apply every filter but its own, so that a
  // person sees how many fiches each other value of that facet would add.
  std::map<std::string, std::map<std::string, std::int64_t>> facets;
  MatchKind match = MatchKind::all_words;
  std::int64_t all_words_total = 0;  // fiches holding every filtering word (before any correction)
  // Words typed that no fiche holds (as typed), left out of a `closest` search.
  std::vector<std::string> ignored_words;
  // Words typed that do not filter (question words, numbers, « IA »…), as normalised.
  std::vector<std::string> non_filtering_words;
  // `corrected`: the query as corrected, whose results these are (accents as in the fiches).
  std::string corrected_query;
  // "Vouliez-vous dire …": a correction of misspelt words that finds more fiches than the few
  // the query found; empty otherwise (never beside a good result list, never for a French word).
  std::string suggestion;
};

// Fewer fiches than this for every word typed, and the search looks further (correction,
// closest fiches).
inline constexpr std::int64_t kFewResults = 3;

class SearchIndex {
 public:
  // Opens (creating if needed) the index in `directory`. A corrupt index is `unavailable`;
  // the caller then rebuilds it. An index another process writes is `conflict`.
  // `lexicon` (may be null: no French word check, no lemmas) must outlive the index.
  static Result<std::unique_ptr<SearchIndex>> open(const std::filesystem::path& directory, Vocabulary vocabulary,
                                                   const domain::Taxonomies& taxonomies, const FrenchLexicon* lexicon = nullptr);

  // Replaces the whole content by the documents `next_batch` supplies (published ones are
  // indexed), recording `sequence`: builds a new generation, then swaps it in. Searches keep
  // being answered from the previous content meanwhile. On failure the live index is
  // unchanged. Memory stays bounded by one batch plus Xapian's flush threshold.
  Status rebuild(const DocumentBatches& next_batch, std::int64_t sequence);
  // The same, from documents already in memory.
  Status rebuild(const std::vector<IndexDocument>& documents, std::int64_t sequence);
  // Indexes one fiche (or removes it when it is not published) and records `sequence`.
  Status apply(const IndexDocument& document, std::int64_t sequence);
  // Removes fiche `id` (deleted) and records `sequence`.
  Status remove(domain::UseCaseId id, std::int64_t sequence);
  // Applies `changes` in order and commits once, recording the last one's sequence: under a
  // stream of writes, one commit (the costly part: about 10 ms on a 100,000-fiche index)
  // carries every change that arrived meanwhile.
  Status apply_all(const std::vector<IndexChange>& changes);

  // The last change sequence the index reflects (-1 for a new, never built index).
  std::int64_t sequence() const { return sequence_.load(); }
  // Why the index must be rebuilt, once a search or a write failed for a reason other than a
  // concurrent change or another process's lock (a corrupt file, a write error such as a full
  // disk); nothing while it is whole. A successful rebuild clears it.
  std::optional<std::string> problem() const;
  std::int64_t document_count() const;

  Result<SearchResults> search(const SearchRequest& request) const;

  // Published fiches most like fiche `id` ("more like this": the fiche's most telling words,
  // Xapian's expand set), among those sharing a domain or a technique with it. Empty when the
  // fiche is not indexed.
  Result<std::vector<domain::UseCaseId>> similar(domain::UseCaseId id, std::size_t limit) const;

 private:
  SearchIndex(std::filesystem::path directory, Vocabulary vocabulary, const domain::Taxonomies& taxonomies, const FrenchLexicon* lexicon)
      : directory_(std::move(directory)), vocabulary_(std::move(vocabulary)), taxonomies_(taxonomies), lexicon_(lexicon) {}
  // Facet terms of every indexed document, in memory, so that counting facets over a large
  // match set costs an array look-up per document instead of reading its term list.
  struct FacetColumns {
    std::vector<std::vector<std::uint32_t>> terms_by_document;  // facet term ids by docid
    std::vector<DocSet> documents_by_term;                       // the same by facet term id, for counting
    std::vector<domain::UseCaseId> use_cases;                   // fiche id by docid (0: none)
    std::vector<std::string> names;                              // facet term by id
    std::unordered_map<std::string, std::uint32_t> ids;          // id by facet term
  };
  // Whether a document's words go to the spelling dictionary as it is made, or all at once at
  // the end of a rebuild.
  enum class Spelling { per_document, deferred };
  // Spelling data and accent forms go to `target`, the database the document is meant for.
  Xapian::Document make_document(const IndexDocument& document, Xapian::WritableDatabase& target,
                                 std::unordered_set<std::string>& accents_recorded, Spelling spelling) const;
  // Runs `query` with the request's filters and sort: the page of hits, the total and the facets.
  void run(Xapian::Database& database, const Xapian::Query& query, const SearchRequest& request, SearchResults& results) const;
  // Corrections of the filtering words that no fiche holds and that are not French words:
  // normalised word -> correction as shown (accents as in the fiches).
  std::vector<std::pair<std::string, std::string>> corrections(Xapian::Database& database, const AnalysedQuery& query) const;
  bool known(Xapian::Database& database, const QueryPart& part) const;
  // How many fiches hold `part`.
  Xapian::doccount matching_count(Xapian::Database& database, const QueryPart& part) const;
  SearchResults closest(Xapian::Database& database, const AnalysedQuery& used, const SearchRequest& request, SearchResults results) const;
  // Other forms of the query's words from the lexicon ("publique" -> "public"), when their
  // stems differ.
  void add_other_forms(AnalysedQuery& query) const;
  // Precondition: writer_mutex_ held.
  Status commit(std::int64_t sequence);
  // Precondition: live_mutex_ held (shared at least), so that the reader and the columns
  // belong to the same generation.
  Xapian::Database& reader() const;
  static void set_columns(FacetColumns& columns, Xapian::docid docid, const Xapian::Document& document);
  static void index_columns_by_term(FacetColumns& columns);
  // Precondition: writer_mutex_ held.
  void forget_columns(domain::UseCaseId id);

  const std::filesystem::path directory_;
  const Vocabulary vocabulary_;
  const domain::Taxonomies& taxonomies_;
  const FrenchLexicon* const lexicon_;
  std::mutex writer_mutex_;  // guards writer_ and accents_recorded_
  std::unique_ptr<Xapian::WritableDatabase> writer_;
  std::unordered_set<std::string> accents_recorded_;  // folded words whose accented form is stored
  mutable std::shared_mutex live_mutex_;  // guards live_ and columns_ (written with writer_mutex_ held too)
  std::filesystem::path live_;            // the live generation's database
  FacetColumns columns_;
  mutable PostingBitmaps bitmaps_;  // posting lists of frequent terms, for the live revision
  void note_problem(const std::string& message) const;
  std::function<void(const std::string&)> failure_reporter() const;
  mutable std::mutex problem_mutex_;
  mutable std::string problem_;  // see problem()
  friend class FacetCounter;

  std::atomic<std::int64_t> sequence_{-1};
  std::atomic<std::uint64_t> generation_{0};  // bumped on every commit; readers reopen when it moves
  const std::uint64_t instance_ = next_instance_++;  // identifies this index's per-thread readers
  static inline std::atomic<std::uint64_t> next_instance_{1};
};

}  // namespace vigie::search
