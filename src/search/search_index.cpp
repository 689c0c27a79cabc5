#include "search/search_index.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <thread>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "search/analysis.h"
#include "search/match_set.h"
#include "search/query.h"
#include "search/ranked_page.h"

namespace vigie::search {

using domain::UseCase;
namespace tx = domain::taxonomy;

namespace {

constexpr Xapian::valueno kUpdatedAtSlot = 0;
constexpr Xapian::valueno kTitleSlot = 1;
constexpr const char* kSequenceKey = "vigie:sequence";
// The version of what documents hold and how text is analysed: an index written by another
// version is rebuilt (its sequence is read as -1). Bump it with any change to make_document or
// to search/analysis.h.
constexpr const char* kAnalysisKey = "vigie:analysis";
constexpr const char* kAnalysisVersion = "3";

std::string id_term(domain::UseCaseId id) { return fmt::format("{}{}", prefix::kId, id); }

std::string term(const char* term_prefix, std::string_view code) {
  std::string out = term_prefix;
  out += code;
  return out;
}

// Xapian reports problems by exception; they become values here. `failed` (when given) hears
// of every failure but another process's lock: a corrupt file, a write error (disk full).
template <typename Fn>
auto guarded(std::string_view what, Fn fn, const std::function<void(const std::string&)>& failed = {}) -> decltype(fn()) {
  auto failure = [&failed](std::string message) {
    if (failed) failed(message);
    return Error::unavailable(std::move(message));
  };
  try {
    return fn();
  } catch (const Xapian::DatabaseCorruptError& error) {
    return failure(fmt::format("index de recherche corrompu ({}) : {}", what, error.get_msg()));
  } catch (const Xapian::DatabaseLockError& error) {
    // Another process (a running `vigie serve`) writes this index: not a corruption.
    return Error::conflict(fmt::format("index de recherche ({}) utilisé par un autre processus : {}", what, error.get_msg()));
  } catch (const Xapian::Error& error) {
    return failure(fmt::format("index de recherche ({}) : {} {}", what, error.get_type(), error.get_msg()));
  }
}

}  // namespace

namespace {

// The layout of the index directory (see search_index.h): generations and a stub file.
constexpr const char* kStubFile = "XAPIANDB";
constexpr std::string_view kGenerationPrefix = "index-";

std::optional<std::uint64_t> generation_number(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (name.rfind(kGenerationPrefix, 0) != 0 || name.size() == kGenerationPrefix.size()) return std::nullopt;
  std::uint64_t number = 0;
  for (const char c : name.substr(kGenerationPrefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return number;
}

// The generation the stub names, or nothing without a (readable) stub.
std::optional<std::filesystem::path> read_stub(const std::filesystem::path& directory) {
  std::ifstream in(directory / kStubFile);
  std::string kind, name;
  if (!(in >> kind >> name) || kind != "auto" || !generation_number(name)) return std::nullopt;
  return directory / name;
}

// Points the stub at `generation` atomically: readers see the old or the new one, never none.
void write_stub(const std::filesystem::path& directory, const std::filesystem::path& generation) {
  const auto temporary = directory / (std::string(kStubFile) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "auto " << generation.filename().string() << '\n';
    out.flush();
    if (!out) throw Xapian::DatabaseError("écriture impossible : " + temporary.string());
  }
  std::filesystem::rename(temporary, directory / kStubFile);
}

// Removes the generations other than `keep` (and, with `legacy_files`, the database files of
// the former one-database layout). Failures are left for the next attempt.
void remove_generations_except(const std::filesystem::path& directory, const std::vector<std::filesystem::path>& keep, bool legacy_files) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const auto& path = entry.path();
    const bool kept = std::find(keep.begin(), keep.end(), path) != keep.end();
    if (entry.is_directory(error) && generation_number(path) && !kept) {
      std::filesystem::remove_all(path, error);
    } else if (legacy_files && entry.is_regular_file(error) && path.filename() != kStubFile) {
      std::filesystem::remove(path, error);
    }
  }
}

}  // namespace

Result<std::unique_ptr<SearchIndex>> SearchIndex::open(const std::filesystem::path& directory, Vocabulary vocabulary,
                                                       const domain::Taxonomies& taxonomies, const FrenchLexicon* lexicon) {
  std::unique_ptr<SearchIndex> index(new SearchIndex(directory, std::move(vocabulary), taxonomies, lexicon));
  return guarded("ouverture", [&]() -> Result<std::unique_ptr<SearchIndex>> {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) return Error::unavailable(fmt::format("index de recherche : impossible de créer {} ({})", directory.string(), error.message()));
    if (auto live = read_stub(directory)) {
      index->live_ = *live;
      // No reader of this process exists yet: older generations and former-layout files go.
      remove_generations_except(directory, {*live}, true);
    } else if (std::filesystem::exists(directory / "iamglass")) {
      index->live_ = directory;  // former layout: kept until the first rebuild
    } else {
      index->live_ = directory / (std::string(kGenerationPrefix) + "1");
      std::filesystem::create_directories(index->live_);
      write_stub(directory, index->live_);
    }
    index->writer_ = std::make_unique<Xapian::WritableDatabase>(index->live_.string(), Xapian::DB_CREATE_OR_OPEN);
    const std::string sequence = index->writer_->get_metadata(kSequenceKey);
    const bool current = index->writer_->get_metadata(kAnalysisKey) == kAnalysisVersion;
    index->sequence_ = sequence.empty() || !current ? -1 : std::stoll(sequence);
    for (auto it = index->writer_->postlist_begin(""); it != index->writer_->postlist_end(""); ++it) {
      set_columns(index->columns_, *it, index->writer_->get_document(*it));
    }
    return std::move(index);
  });
}

namespace {

constexpr std::string_view kAccentKeyPrefix = "accent:";

// Records how each folded word is written with its accents ("detection" -> "détection"), so
// that spelling suggestions, made from folded words, can be shown as people write them.
void record_accents(Xapian::WritableDatabase& writer, std::string_view text, std::unordered_set<std::string>& seen) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !(std::isalnum(static_cast<unsigned char>(text[i])) || static_cast<unsigned char>(text[i]) >= 0x80)) ++i;
    const std::size_t start = i;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || static_cast<unsigned char>(text[i]) >= 0x80)) ++i;
    if (start == i) break;
    const std::string_view token = text.substr(start, i - start);
    // ASCII words have no accents to remember.
    if (std::all_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) continue;
    std::string folded = text::fold(token);
    if (folded.size() < 3 || folded.size() > 100 || folded.find('\'') != std::string::npos || !seen.insert(folded).second) continue;
    const std::string key = std::string(kAccentKeyPrefix) + folded;
    if (writer.get_metadata(key).empty()) writer.set_metadata(key, text::lower(token));
  }
}

}  // namespace

Xapian::Document SearchIndex::make_document(const IndexDocument& document, Xapian::WritableDatabase& target,
                                            std::unordered_set<std::string>& accents_recorded, Spelling spelling) const {
  const UseCase& u = document.use_case;
  Xapian::TermGenerator generator;
  generator.set_stemmer(folded_french_stemmer());
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_database(target);
  if (spelling == Spelling::per_document) generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
  Xapian::Document doc;
  generator.set_document(doc);
  // Field weights: the title counts most, then the summary, then everything else a person
  // may search for. A gap in positions keeps phrases from spanning two fields.
  auto add = [&](std::string_view text, Xapian::termcount weight) {
    if (text.empty()) return;
    generator.index_text(normalize(text), weight);
    generator.increase_termpos(100);
    record_accents(target, text, accents_recorded);
  };
  auto add_labels = [&](const char* taxonomy, const std::vector<std::string>& codes) {
    for (const auto& code : codes) add(taxonomies_.get(taxonomy).label(code), 1);
  };
  add(u.title, 3);
  add(u.summary, 2);
  add(u.description, 1);
  for (const auto& owner : document.owners) add(owner.name, 1);
  for (const auto& place : document.places) add(place, 1);
  for (const auto& partner : u.partners) add(partner, 1);
  add(u.provider.name, 1);
  add_labels(tx::kDomains, u.domains);
  add_labels(tx::kTechniques, u.techniques);
  add_labels(tx::kPurposes, u.purposes);
  add_labels(tx::kTargetUsers, u.target_users);
  add(taxonomies_.get(tx::kStatuses).label(u.status), 1);
  add(u.stop_reason, 1);
  add(u.risks, 1);
  add(u.oversight.description, 1);
  add(u.data.sources, 1);
  add(u.training, 1);
  add(u.lessons_learned, 1);
  add(u.results.evaluation_summary, 1);
  for (const auto& indicator : u.results.indicators) add(indicator.label + " " + indicator.value, 1);
  for (const auto& job : u.jobs) add(job.description, 1);
  for (const auto& link : u.links) add(link.title, 1);
  // Years, so that « 2019 » ranks the fiches started, put in production or stopped that year.
  std::string years;
  for (const auto* date : {&u.start_date, &u.production_date, &u.end_date}) {
    if (date->size() >= 4) years += date->substr(0, 4) + " ";
  }
  add(years, 1);

  doc.add_boolean_term(id_term(u.id));
  for (const auto& code : u.domains) doc.add_boolean_term(term(prefix::kDomain, code));
  for (const auto& code : u.techniques) doc.add_boolean_term(term(prefix::kTechnique, code));
  for (const auto& code : u.purposes) doc.add_boolean_term(term(prefix::kPurpose, code));
  doc.add_boolean_term(term(prefix::kStatus, u.status));
  if (!u.ai_act_category.empty()) doc.add_boolean_term(term(prefix::kAiAct, u.ai_act_category));
  if (!u.provider.type.empty()) doc.add_boolean_term(term(prefix::kProvider, u.provider.type));
  doc.add_boolean_term(term(prefix::kOpenSource, u.source_code_url.empty() && u.licence.empty() ? "non" : "oui"));
  for (const auto& assessment : u.assessments) {
    for (const auto& outcome : assessment.outcomes) doc.add_boolean_term(term(prefix::kAssessedOutcome, outcome));
    if (!assessment.level.empty()) doc.add_boolean_term(term(prefix::kImpactLevel, assessment.level));
  }
  for (const auto& owner : document.owners) {
    doc.add_boolean_term(term(prefix::kOwner, owner.code));
    doc.add_boolean_term(term(prefix::kOrganisationKind, owner.kind));
    doc.add_boolean_term(term(prefix::kSizeBand, domain::size_band_code(domain::size_band(owner.population))));
    if (!owner.region_code.empty()) doc.add_boolean_term(term(prefix::kRegion, owner.region_code));
    if (!owner.department_code.empty()) doc.add_boolean_term(term(prefix::kDepartment, owner.department_code));
  }
  doc.add_value(kUpdatedAtSlot, u.updated_at);
  doc.add_value(kTitleSlot, text::fold(u.title));
  doc.set_data(std::to_string(u.id));
  return doc;
}

namespace {

// The fiche a document stands for (its data), or 0 when the data is not an id.
domain::UseCaseId use_case_of(const Xapian::Document& document) {
  const std::string data = document.get_data();
  domain::UseCaseId id = 0;
  const auto [end, error] = std::from_chars(data.data(), data.data() + data.size(), id);
  return error == std::errc() && end == data.data() + data.size() ? id : 0;
}

bool is_facet_term(const std::string& name) { return name.size() > 2 && name[0] == 'X' && name.rfind(prefix::kOwner, 0) != 0; }

}  // namespace

void SearchIndex::set_columns(FacetColumns& columns, Xapian::docid docid, const Xapian::Document& document) {
  if (columns.terms_by_document.size() <= docid) {
    columns.terms_by_document.resize(docid + 1);
    columns.use_cases.resize(docid + 1, 0);
  }
  columns.use_cases[docid] = use_case_of(document);
  auto& ids = columns.terms_by_document[docid];
  for (const auto id : ids) columns.documents_by_term[id].erase(docid);
  ids.clear();
  for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) {
    const std::string& name = *it;
    if (!is_facet_term(name)) continue;
    auto [found, inserted] = columns.ids.emplace(name, static_cast<std::uint32_t>(columns.names.size()));
    if (inserted) {
      columns.names.push_back(name);
      columns.documents_by_term.emplace_back();
    }
    ids.push_back(found->second);
    columns.documents_by_term[found->second].add(docid);
  }
  ids.shrink_to_fit();
}

void SearchIndex::index_columns_by_term(FacetColumns& columns) {
  columns.documents_by_term.assign(columns.names.size(), DocSet(static_cast<Xapian::docid>(columns.terms_by_document.size())));
  for (std::size_t docid = 0; docid < columns.terms_by_document.size(); ++docid) {
    for (const auto id : columns.terms_by_document[docid]) columns.documents_by_term[id].insert(static_cast<Xapian::docid>(docid));
  }
}

void SearchIndex::forget_columns(domain::UseCaseId id) {
  auto posting = writer_->postlist_begin(id_term(id));
  if (posting == writer_->postlist_end(id_term(id))) return;
  std::unique_lock lock(live_mutex_);
  if (*posting >= columns_.terms_by_document.size()) return;
  auto& ids = columns_.terms_by_document[*posting];
  for (const auto term_id : ids) columns_.documents_by_term[term_id].erase(*posting);
  ids.clear();
  columns_.use_cases[*posting] = 0;
}

Status SearchIndex::commit(std::int64_t sequence) {
  writer_->set_metadata(kSequenceKey, std::to_string(sequence));
  writer_->commit();
  sequence_ = sequence;
  ++generation_;
  return {};
}

Status SearchIndex::rebuild(const std::vector<IndexDocument>& documents, std::int64_t sequence) {
  bool supplied = false;
  return rebuild(
      [&]() -> Result<std::vector<IndexDocument>> {
        if (supplied) return std::vector<IndexDocument>{};
        supplied = true;
        return documents;
      },
      sequence);
}

Status SearchIndex::rebuild(const DocumentBatches& next_batch, std::int64_t sequence) {
  // Each batch is split between two shards indexed on two threads (the cost is Xapian's
  // in-memory inversion, CPU-bound) while the next batch is read, then the shards are
  // compacted into the new generation, which also packs its blocks. Each shard commits every
  // few thousand documents, which bounds memory (one transaction over 10,000 fiches took
  // 170 MB and 7.5 s), without fsync: shards are scratch files.
  constexpr std::size_t kShards = 2;
  constexpr std::size_t kCommitEvery = 4000;
  std::lock_guard lock(writer_mutex_);
  const std::filesystem::path previous = live_;  // only this thread writes live_
  const auto number = generation_number(previous).value_or(0) + 1;
  const std::filesystem::path next = directory_ / (std::string(kGenerationPrefix) + std::to_string(number));
  struct Shard {
    std::filesystem::path path;
    std::unique_ptr<Xapian::WritableDatabase> database;
    FacetColumns columns;
    std::unordered_set<std::string> accents_recorded;
    std::size_t pending = 0;
  };
  std::array<Shard, kShards> shards;
  for (std::size_t s = 0; s < kShards; ++s) shards[s].path = directory_ / fmt::format("shard-{}-{}", number, s);
  auto remove_work = [&] {
    std::error_code ignored;
    for (const auto& shard : shards) std::filesystem::remove_all(shard.path, ignored);
  };
  auto built = guarded("reconstruction", [&]() -> Status {
    std::error_code ignored;
    std::filesystem::remove_all(next, ignored);  // left by an interrupted rebuild
    remove_work();
    for (auto& shard : shards) shard.database = std::make_unique<Xapian::WritableDatabase>(shard.path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    auto index_part = [this](Shard& shard, const std::vector<IndexDocument>& batch, std::size_t begin, std::size_t end) {
      return guarded("reconstruction", [&]() -> Status {
        for (std::size_t d = begin; d < end; ++d) {
          const IndexDocument& document = batch[d];
          if (document.use_case.publication_state != domain::kPublished) continue;
          const Xapian::Document indexed = make_document(document, *shard.database, shard.accents_recorded, Spelling::deferred);
          set_columns(shard.columns, shard.database->replace_document(id_term(document.use_case.id), indexed), indexed);
          if (++shard.pending == kCommitEvery) {
            shard.database->commit();
            shard.pending = 0;
          }
        }
        return Status{};
      });
    };
    // The next batch is read from the store while the shards index the current one.
    TRY_ASSIGN(std::vector<IndexDocument> batch, next_batch());
    while (!batch.empty()) {
      const std::size_t half = batch.size() / 2;
      Status first, second;
      std::thread first_part([&] { first = index_part(shards[0], batch, 0, half); });
      std::thread second_part([&] { second = index_part(shards[1], batch, half, batch.size()); });
      auto following = next_batch();
      first_part.join();
      second_part.join();
      TRY_STATUS(first);
      TRY_STATUS(second);
      if (!following.ok()) return std::move(following).error();
      batch = std::move(following).value();
    }
    // Compaction numbers the second shard's documents after the first's last docid.
    Xapian::Database sources;
    std::vector<Xapian::docid> offsets;
    Xapian::docid offset = 0;
    for (auto& shard : shards) {
      shard.database->commit();
      offsets.push_back(offset);
      offset += shard.database->get_lastdocid();
      shard.database.reset();
      sources.add_database(Xapian::Database(shard.path.string()));
    }
    sources.compact(next.string());
    sources.close();
    remove_work();
    auto builder = std::make_unique<Xapian::WritableDatabase>(next.string(), Xapian::DB_OPEN);
    // The columns of the shards, renumbered like their documents and with one term dictionary.
    FacetColumns columns = std::move(shards[0].columns);
    for (std::size_t s = 1; s < kShards; ++s) {
      const FacetColumns& part = shards[s].columns;
      std::vector<std::uint32_t> ids(part.names.size());
      for (std::size_t id = 0; id < part.names.size(); ++id) {
        auto [found, inserted] = columns.ids.emplace(part.names[id], static_cast<std::uint32_t>(columns.names.size()));
        if (inserted) columns.names.push_back(part.names[id]);
        ids[id] = found->second;
      }
      const std::size_t size = std::max<std::size_t>(columns.terms_by_document.size(), offsets[s] + part.terms_by_document.size());
      columns.terms_by_document.resize(size);
      columns.use_cases.resize(size, 0);
      for (std::size_t docid = 0; docid < part.terms_by_document.size(); ++docid) {
        columns.use_cases[offsets[s] + docid] = part.use_cases[docid];
        auto& target = columns.terms_by_document[offsets[s] + docid];
        for (const auto id : part.terms_by_document[docid]) target.push_back(ids[id]);
      }
    }
    index_columns_by_term(columns);
    // The spelling dictionary, once per word with its number of occurrences: what adding each
    // occurrence with the document gives, without maintaining it document by document (that
    // was a third of the time of a rebuild). Unprefixed terms are the words as written (folded).
    for (auto it = builder->allterms_begin(); it != builder->allterms_end(); ++it) {
      const std::string& word = *it;
      if (!word.empty() && !std::isupper(static_cast<unsigned char>(word[0]))) builder->add_spelling(word, builder->get_collection_freq(word));
    }
    builder->set_metadata(kSequenceKey, std::to_string(sequence));
    builder->set_metadata(kAnalysisKey, kAnalysisVersion);
    builder->commit();
    std::unordered_set<std::string> accents_recorded;
    for (auto& shard : shards) accents_recorded.merge(shard.accents_recorded);
    write_stub(directory_, next);
    {
      // Readers take this lock (shared) before choosing their database, so a search sees the
      // new database with the new columns, or the old with the old.
      std::unique_lock live_lock(live_mutex_);
      live_ = next;
      columns_ = std::move(columns);
      writer_ = std::move(builder);
      accents_recorded_ = std::move(accents_recorded);
      sequence_ = sequence;
      ++generation_;
    }
    return {};
  });
  if (!built.ok()) {
    remove_work();
    std::error_code ignored;
    std::filesystem::remove_all(next, ignored);
    if (built.error().kind != ErrorKind::conflict) note_problem(built.error().message);
    return built;
  }
  {
    std::lock_guard problem_lock(problem_mutex_);
    problem_.clear();
  }
  // The previous generation stays for searches that opened it before the swap.
  remove_generations_except(directory_, {next, previous}, false);
  return {};
}

std::function<void(const std::string&)> SearchIndex::failure_reporter() const {
  return [this](const std::string& message) { note_problem(message); };
}

void SearchIndex::note_problem(const std::string& message) const {
  std::lock_guard lock(problem_mutex_);
  problem_ = message;
}

std::optional<std::string> SearchIndex::problem() const {
  std::lock_guard lock(problem_mutex_);
  if (problem_.empty()) return std::nullopt;
  return problem_;
}

Status SearchIndex::apply(const IndexDocument& document, std::int64_t sequence) {
  return apply_all({IndexChange{sequence, document.use_case.id, document}});
}

Status SearchIndex::remove(domain::UseCaseId id, std::int64_t sequence) {
  return apply_all({IndexChange{sequence, id, std::nullopt}});
}

Status SearchIndex::apply_all(const std::vector<IndexChange>& changes) {
  if (changes.empty()) return {};
  std::lock_guard lock(writer_mutex_);
  return guarded("mise à jour", [&]() -> Status {
    for (const IndexChange& change : changes) {
      if (change.document && change.document->use_case.publication_state == domain::kPublished) {
        const Xapian::Document indexed = make_document(*change.document, *writer_, accents_recorded_, Spelling::per_document);
        const Xapian::docid docid = writer_->replace_document(id_term(change.id), indexed);
        std::unique_lock live_lock(live_mutex_);
        set_columns(columns_, docid, indexed);
      } else {
        forget_columns(change.id);
        writer_->delete_document(id_term(change.id));
      }
    }
    return commit(changes.back().sequence);
  }, failure_reporter());
}

Xapian::Database& SearchIndex::reader() const {
  struct Reader {
    std::uint64_t generation = 0;
    std::filesystem::path path;
    std::unique_ptr<Xapian::Database> database;
  };
  thread_local std::unordered_map<std::uint64_t, Reader> readers;
  Reader& reader = readers[instance_];
  const auto generation = generation_.load();
  if (!reader.database || reader.path != live_) {
    reader.database = std::make_unique<Xapian::Database>(live_.string());
    reader.path = live_;
  } else if (reader.generation != generation) {
    reader.database->reopen();
  }
  reader.generation = generation;
  return *reader.database;
}

std::int64_t SearchIndex::document_count() const {
  try {
    std::shared_lock lock(live_mutex_);
    return static_cast<std::int64_t>(reader().get_doccount());
  } catch (const Xapian::Error&) {
    return 0;
  }
}

namespace {

// The library's facets are its filters (search/library_filters.h).
const auto& kFacets = kLibraryFilters;
using FacetDefinition = LibraryFilter;

// Where the request holds the selection of `facet`: a member of the store filter, or an entry
// of SearchRequest::index_filters.
const std::vector<std::string>& selection(const SearchRequest& request, const FacetDefinition& facet) {
  static const std::vector<std::string> kNone;
  if (facet.store_member) return request.filter.*facet.store_member;
  auto found = request.index_filters.find(facet.param);
  return found == request.index_filters.end() ? kNone : found->second;
}

// OR of the terms of one filter, or nothing when the filter is unused.
std::optional<Xapian::Query> filter_query(const char* term_prefix, const std::vector<std::string>& codes) {
  if (codes.empty()) return std::nullopt;
  std::vector<Xapian::Query> terms;
  for (const auto& code : codes) terms.emplace_back(term(term_prefix, code));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// `query` restricted by every facet filter but `except` (an index in kFacets, or none), and
// by the owner.
Xapian::Query filtered(const Xapian::Query& query, const SearchRequest& request, std::optional<std::size_t> except) {
  std::vector<Xapian::Query> filters;
  for (std::size_t f = 0; f < kFacets.size(); ++f) {
    if (except && *except == f) continue;
    if (auto restriction = filter_query(kFacets[f].term_prefix, selection(request, kFacets[f]))) filters.push_back(*restriction);
  }
  if (!request.filter.owner.empty()) filters.emplace_back(term(prefix::kOwner, request.filter.owner));
  if (filters.empty()) return query;
  return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

}  // namespace

void select_filter(SearchRequest& request, std::string_view param, std::vector<std::string> codes) {
  const LibraryFilter* filter = find_library_filter(param);
  if (!filter || codes.empty()) return;
  if (filter->store_member) {
    request.filter.*filter->store_member = std::move(codes);
  } else {
    request.index_filters[filter->param] = std::move(codes);
  }
}

// Counts, over every matching document, its facet terms, read from the in-memory columns.
// Precondition: the caller holds live_mutex_ (shared) for the counter's whole life.
class FacetCounter final : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(const SearchIndex::FacetColumns& columns) : columns_(columns) {
    counts_.assign(columns_.names.size(), 0);
  }
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid docid = doc.get_docid();
    if (docid >= columns_.terms_by_document.size()) return;
    for (const auto id : columns_.terms_by_document[docid]) ++counts_[id];
  }
  // Counts every document of `matched` at once, facet term by facet term.
  void count(const DocSet& matched) {
    for (std::size_t id = 0; id < columns_.documents_by_term.size(); ++id) {
      counts_[id] += static_cast<std::int64_t>(matched.count_shared(columns_.documents_by_term[id]));
    }
  }
  // Counts by facet term, non-zero only.
  std::map<std::string, std::int64_t> counts() const {
    std::map<std::string, std::int64_t> out;
    for (std::size_t id = 0; id < counts_.size(); ++id) {
      if (counts_[id] != 0) out.emplace(columns_.names[id], counts_[id]);
    }
    return out;
  }

 private:
  const SearchIndex::FacetColumns& columns_;
  std::vector<std::int64_t> counts_;
};

namespace {

// The closest fiches are sought among at most this many parts of the query, the rarest.
constexpr std::size_t kMaxRelaxedParts = 6;
// In a library of at least kWeakMinimumDocuments fiches, a part held by more than this share
// of them says little: it ranks the closest fiches but does not count towards their minimum.
constexpr double kWeakShare = 0.4;
constexpr Xapian::doccount kWeakMinimumDocuments = 50;
// A part held by at most this share of the fiches (or this many) is specific enough to look
// for the closest fiches around it.
constexpr double kSpecificShare = 0.1;
constexpr Xapian::doccount kSpecificMinimumDocuments = 3;

// Stems to highlight: the words typed, their other forms, and the related expressions.
std::vector<std::string> highlight_stems(const AnalysedQuery& query) {
  std::vector<std::string> stems;
  for (const auto& part : query.parts) {
    if (part.excluded) continue;
    for (const auto& word : part.words) stems.push_back(stem(word));
    for (const auto& form : part.other_forms) stems.push_back(stem(form));
    for (const auto* expression : part.related) stems.insert(stems.end(), expression->stems.begin(), expression->stems.end());
  }
  return stems;
}

std::vector<std::string> non_filtering_words(const AnalysedQuery& query) {
  std::vector<std::string> out;
  for (const auto& part : query.parts) {
    if (part.filtering || part.excluded) continue;
    std::string words;
    for (const auto& word : part.words) words += (words.empty() ? "" : " ") + word;
    out.push_back(std::move(words));
  }
  return out;
}

}  // namespace

Xapian::doccount SearchIndex::matching_count(Xapian::Database& database, const QueryPart& part) const {
  const Xapian::Query query = part_query(part);
  if (const auto matched = match_set(query, database, live_, bitmaps_)) return static_cast<Xapian::doccount>(matched->count());
  // Not boolean (a phrase, a prefix): exact up to 1,000, estimated beyond.
  Xapian::Enquire enquire(database);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return enquire.get_mset(0, 0, 1000).get_matches_estimated();
}

bool SearchIndex::known(Xapian::Database& database, const QueryPart& part) const { return matching_count(database, part) > 0; }

std::vector<std::pair<std::string, std::string>> SearchIndex::corrections(Xapian::Database& database, const AnalysedQuery& query) const {
  // Words a person may have mistyped: filtering single words that no fiche holds. A French
  // word is never corrected (the closest fiches then leave it out instead).
  constexpr std::size_t kMaxCorrectedWords = 4;
  constexpr std::size_t kMaxDictionaryWords = 1;
  std::size_t dictionary_words = 0;
  std::vector<std::pair<std::string, std::string>> fixes;
  for (const auto& part : query.parts) {
    if (fixes.size() >= kMaxCorrectedWords) break;
    if (part.kind != QueryPart::Kind::words || !part.filtering || part.excluded || part.words.size() != 1) continue;
    const std::string& word = part.words.front();
    if (word.size() < 3 || has_digit(word) || known(database, part)) continue;
    if (lexicon_ && lexicon_->is_word(word)) continue;
    // Candidates: the closest word of the fiches themselves, then, only when it gives nothing,
    // the dictionary's corrections (Hunspell's suggestions cost up to 100 ms a word, under one
    // lock: at most kMaxDictionaryWords word of a query goes to them, and its answer is kept).
    enum class Candidate { accepted, not_filtering, rejected };
    auto judge = [&](const std::string& candidate) {
      const auto candidate_words = words(candidate);
      if (candidate_words.size() != 1 || candidate_words.front() == word) return Candidate::rejected;
      const AnalysedQuery analysed = analyse_query(parse_query(candidate), vocabulary_);
      if (analysed.parts.empty()) return Candidate::rejected;
      if (!analysed.parts.front().filtering) return Candidate::not_filtering;
      return known(database, analysed.parts.front()) ? Candidate::accepted : Candidate::rejected;
    };
    auto accepted = [&](const std::string& candidate) { return judge(candidate) == Candidate::accepted; };
    const std::string from_index = database.get_spelling_suggestion(word, word.size() >= 6 ? 2 : 1);
    if (!from_index.empty()) {
      const std::string accented = database.get_metadata(std::string(kAccentKeyPrefix) + from_index);
      const std::string shown = accented.empty() ? from_index : accented;
      const Candidate verdict = judge(shown);
      if (verdict == Candidate::accepted) {
        fixes.emplace_back(word, shown);
        continue;
      }
      // A misspelling of a word that does not filter (« reccherche », « commnues »): nothing
      // to correct, and no reason to ask the dictionary.
      if (verdict == Candidate::not_filtering) continue;
    }
    if (!lexicon_ || dictionary_words >= kMaxDictionaryWords) continue;
    ++dictionary_words;
    for (const auto& suggestion : lexicon_->suggestions(word, 4)) {
      if (!accepted(suggestion)) continue;
      fixes.emplace_back(word, suggestion);
      break;
    }
  }
  return fixes;
}

void SearchIndex::run(Xapian::Database& database, const Xapian::Query& query, const SearchRequest& request, SearchResults& results) const {
  const auto count = database.get_doccount();
  const Xapian::Query matching = filtered(query, request, std::nullopt);
  // The match set as bitmaps when the query is boolean (match_set.h): the exact total and the
  // facet counts come from it, and Xapian weighs only what it needs for the page. Otherwise
  // the matcher counts every match through the spy. The spy is declared before the enquires
  // that point to it, so it outlives them.
  const std::optional<DocSet> matched = match_set(matching, database, live_, bitmaps_);
  FacetCounter spy(columns_);
  Xapian::Enquire enquire(database);
  enquire.set_query(matching);
  enquire.set_weighting_scheme(ranking_weight());
  switch (request.sort) {
    // Equal weights: the fiche indexed last first (docids grow as fiches are indexed). Reading
    // the update date to break ties instead made Xapian fetch a value for every match that
    // ties with the page's last one: a quarter of the search's time at 100,000 fiches.
    case SearchSort::relevance: enquire.set_docid_order(Xapian::Enquire::DESCENDING); break;
    case SearchSort::recent: enquire.set_sort_by_value_then_relevance(kUpdatedAtSlot, true); break;
    case SearchSort::title: enquire.set_sort_by_value_then_relevance(kTitleSlot, false); break;
  }
  results.hits.clear();
  if (matched) {
    results.total = static_cast<std::int64_t>(matched->count());
    spy.count(*matched);
  } else {
    enquire.add_matchspy(&spy);
  }
  // By relevance, the page is found without weighing every match (ranked_page.h).
  std::optional<std::vector<Xapian::docid>> ranked;
  if (matched && !request.percentages && request.sort == SearchSort::relevance && request.offset < static_cast<std::size_t>(results.total)) {
    ranked = ranked_page(matching, *matched, database, live_, bitmaps_, static_cast<Xapian::doccount>(request.offset),
                         static_cast<Xapian::doccount>(request.limit));
  }
  if (ranked) {
    const auto& use_cases = columns_.use_cases;
    for (const auto docid : *ranked) {
      const domain::UseCaseId id = docid < use_cases.size() ? use_cases[docid] : 0;
      results.hits.push_back({id != 0 ? id : std::stoll(database.get_document(docid).get_data()), 0});
    }
  } else if (!matched || (results.total > 0 && request.offset < static_cast<std::size_t>(results.total))) {
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset), static_cast<Xapian::doccount>(request.limit),
                                         matched ? 0 : count);
    if (!matched) results.total = static_cast<std::int64_t>(mset.get_matches_estimated());
    const auto& use_cases = columns_.use_cases;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const domain::UseCaseId id = *it < use_cases.size() ? use_cases[*it] : 0;
      results.hits.push_back({id != 0 ? id : std::stoll(it.get_document().get_data()), request.percentages ? it.get_percent() : 0});
    }
  }
  const std::map<std::string, std::int64_t> main_counts = spy.counts();
  results.facets.clear();
  for (std::size_t f = 0; f < kFacets.size(); ++f) {
    const FacetDefinition& facet = kFacets[f];
    std::map<std::string, std::int64_t> own_counts;
    const std::map<std::string, std::int64_t>* source = &main_counts;
    if (!selection(request, facet).empty()) {
      // Disjunctive: this facet's counts ignore its own selection.
      FacetCounter own(columns_);
      const Xapian::Query facet_query = filtered(query, request, f);
      if (const auto facet_matched = matched ? match_set(facet_query, database, live_, bitmaps_) : std::nullopt) {
        own.count(*facet_matched);
      } else {
        Xapian::Enquire facet_enquire(database);
        facet_enquire.set_query(facet_query);
        facet_enquire.add_matchspy(&own);
        facet_enquire.get_mset(0, 0, count);
      }
      own_counts = own.counts();
      source = &own_counts;
    }
    auto& counts = results.facets[facet.param];
    const std::string_view term_prefix = facet.term_prefix;
    for (auto it = source->lower_bound(facet.term_prefix); it != source->end(); ++it) {
      if (it->first.compare(0, term_prefix.size(), term_prefix) != 0) break;
      counts[it->first.substr(term_prefix.size())] = it->second;
    }
  }
}

void SearchIndex::add_other_forms(AnalysedQuery& query) const {
  if (!lexicon_) return;
  for (auto& part : query.parts) {
    if (part.kind != QueryPart::Kind::words || !part.filtering || part.words.size() != 1) continue;
    const std::string& word = part.words.front();
    const std::string word_stem = stem(word);
    for (const auto& lemma : lexicon_->lemmas(word)) {
      const auto lemma_words = words(lemma);
      if (lemma_words.size() == 1 && stem(lemma_words.front()) != word_stem) part.other_forms.push_back(lemma_words.front());
    }
  }
}

// The closest fiches: words that no fiche holds are left out, the others matched by how many
// of them a fiche holds. `results` are those of the words as typed (or corrected), returned
// when the closest fiches are no better, marked `none` when empty.
SearchResults SearchIndex::closest(Xapian::Database& database, const AnalysedQuery& used, const SearchRequest& request,
                                   SearchResults results) const {
  AnalysedQuery relaxed;
  std::vector<std::string> ignored;
  std::vector<std::pair<Xapian::doccount, std::size_t>> counted;  // fiches holding a part, part
  const Xapian::doccount documents = database.get_doccount();
  // Each filtering part with the number of fiches holding it; an expression of several words
  // that no fiche holds is replaced by its words, one by one.
  std::vector<std::pair<QueryPart, Xapian::doccount>> candidates;
  for (const auto& part : used.parts) {
    if (!part.filtering || part.excluded) {
      candidates.emplace_back(part, 0);
      continue;
    }
    const Xapian::doccount holding = matching_count(database, part);
    if (holding > 0 || part.words.size() == 1 || part.kind != QueryPart::Kind::words) {
      candidates.emplace_back(part, holding);
      continue;
    }
    for (const auto& word : part.words) {
      if (is_stopword(word)) continue;
      QueryPart single;
      single.words = {word};
      const Xapian::doccount single_holding = matching_count(database, single);
      candidates.emplace_back(std::move(single), single_holding);
    }
  }
  for (auto& [part, holding] : candidates) {
    if (!part.filtering || part.excluded) {
      relaxed.parts.push_back(std::move(part));
      continue;
    }
    if (holding == 0) {
      std::string words;
      for (const auto& word : part.words) {
        if (!words.empty()) words += ' ';
        words += typed_form(request.text, word);
      }
      ignored.push_back(std::move(words));
      continue;
    }
    counted.emplace_back(holding, relaxed.parts.size());
    relaxed.parts.push_back(std::move(part));
  }
  // The closest fiches hold at least half of the words left (one of two), the rarest
  // first; words held by a large share of the library only rank. At least one word
  // left must be specific (held by few fiches), and more than a third of the words must
  // be in the library: otherwise the query has nothing relevant here, rather than a page
  // of fiches sharing one common word with it.
  std::vector<std::size_t> kept;
  bool specific = false;
  std::sort(counted.begin(), counted.end());  // rarest first
  for (const auto& [holding, index] : counted) {
    const double share = static_cast<double>(holding) / static_cast<double>(documents);
    const bool weak = documents >= kWeakMinimumDocuments && share > kWeakShare;
    specific = specific || holding <= kSpecificMinimumDocuments || share <= kSpecificShare;
    if ((weak && !kept.empty()) || kept.size() >= kMaxRelaxedParts) {
      relaxed.parts[index].filtering = false;  // ranks only
    } else {
      kept.push_back(index);
    }
  }
  const bool relaxes = specific && !kept.empty() && ignored.size() < 2 * counted.size() && !(ignored.empty() && counted.size() == 1);
  if (!relaxes) {
    if (results.total == 0) results.match = MatchKind::none;
    results.ignored_words = std::move(ignored);
    return results;
  }
  const std::size_t minimum = kept.size() <= 2 ? 1 : (kept.size() + 1) / 2;
  SearchResults nearest;
  run(database, relaxed_query(relaxed, kept, minimum), request, nearest);
  if (nearest.total > results.total) {
    nearest.match = MatchKind::closest;
    nearest.stems = highlight_stems(relaxed);
    nearest.non_filtering_words = std::move(results.non_filtering_words);
    nearest.corrected_query = std::move(results.corrected_query);
    nearest.all_words_total = results.all_words_total;
    nearest.ignored_words = std::move(ignored);
    results = std::move(nearest);
  }
  if (results.total == 0) results.match = MatchKind::none;
  return results;
}

Result<SearchResults> SearchIndex::search(const SearchRequest& request) const {
  AnalysedQuery typed = analyse_query(parse_query(request.text), vocabulary_);
  add_other_forms(typed);
  // Phrases of related expressions only where few fiches hold their words (query.h).
  constexpr std::size_t kMaxPhraseFiches = 2000;
  return guarded("recherche", [&]() -> Result<SearchResults> {
    // One retry: a reader may see the database change under it (DatabaseModifiedError).
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        // The columns stay locked (shared) while they count, and belong to the reader's generation.
        std::shared_lock live_lock(live_mutex_);
        Xapian::Database& database = reader();
        auto frequency = [&database](const std::string& word) { return static_cast<std::size_t>(database.get_termfreq(word)); };
        keep_cheap_phrases(typed, frequency, kMaxPhraseFiches);
        SearchResults results;
        run(database, strict_query(typed), request, results);
        results.stems = highlight_stems(typed);
        results.non_filtering_words = non_filtering_words(typed);
        results.all_words_total = results.total;
        if (results.total >= kFewResults || typed.filtering_count() == 0) return results;

        // 1. Misspelt words: a correction applied at once when nothing matched as typed,
        // offered when it finds more than the few fiches found.
        AnalysedQuery used = typed;
        const auto fixes = request.correct_spelling ? corrections(database, typed) : std::vector<std::pair<std::string, std::string>>{};
        if (!fixes.empty()) {
          const std::string corrected_text = replace_words(request.text, fixes);
          AnalysedQuery corrected = analyse_query(parse_query(corrected_text), vocabulary_);
          add_other_forms(corrected);
          keep_cheap_phrases(corrected, frequency, kMaxPhraseFiches);
          SearchResults fixed;
          run(database, strict_query(corrected), request, fixed);
          if (results.total == 0) {
            used = std::move(corrected);
            results.corrected_query = corrected_text;
            if (fixed.total > 0) {
              fixed.match = MatchKind::corrected;
              fixed.corrected_query = corrected_text;
              fixed.stems = highlight_stems(used);
              fixed.non_filtering_words = results.non_filtering_words;
              fixed.all_words_total = fixed.total;
              results = std::move(fixed);
            }
          } else if (fixed.total > results.total) {
            results.suggestion = corrected_text;
          }
        }
        if (results.total >= kFewResults) return results;

        // 2. The closest fiches.
        return closest(database, used, request, std::move(results));
      } catch (const Xapian::DatabaseModifiedError&) {
        std::shared_lock live_lock(live_mutex_);
        reader().reopen();
      }
    }
    return Error::unavailable("index de recherche en cours de modification : réessayez");
  }, failure_reporter());
}

namespace {

// Keeps only stemmed words in the expand set: boolean filter terms and unstemmed forms would
// count twice or say nothing about the subject.
class StemsOnly final : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& name) const override { return name.size() > 1 && name[0] == 'Z'; }
};

}  // namespace

Result<std::vector<domain::UseCaseId>> SearchIndex::similar(domain::UseCaseId id, std::size_t limit) const {
  return guarded("fiches similaires", [&]() -> Result<std::vector<domain::UseCaseId>> {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        std::shared_lock live_lock(live_mutex_);
        Xapian::Database& database = reader();
        auto posting = database.postlist_begin(id_term(id));
        if (posting == database.postlist_end(id_term(id))) return std::vector<domain::UseCaseId>{};
        const Xapian::docid docid = *posting;
        Xapian::Document document = database.get_document(docid);
        std::vector<Xapian::Query> shared;
        for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) {
          const std::string& name = *it;
          if (name.rfind(prefix::kDomain, 0) == 0 || name.rfind(prefix::kTechnique, 0) == 0) shared.emplace_back(name);
        }
        Xapian::Enquire enquire(database);
        Xapian::RSet relevant;
        relevant.add_document(docid);
        StemsOnly stems_only;
        const Xapian::ESet expand = enquire.get_eset(25, relevant, &stems_only);
        std::vector<Xapian::Query> words;
        for (auto it = expand.begin(); it != expand.end(); ++it) words.emplace_back(*it);
        if (words.empty()) return std::vector<domain::UseCaseId>{};
        Xapian::Query query(Xapian::Query::OP_OR, words.begin(), words.end());
        if (!shared.empty()) {
          query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, shared.begin(), shared.end()));
        }
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(id_term(id)));
        enquire.set_query(query);
        Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
        std::vector<domain::UseCaseId> ids;
        for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(std::stoll(it.get_document().get_data()));
        return ids;
      } catch (const Xapian::DatabaseModifiedError&) {
        std::shared_lock live_lock(live_mutex_);
        reader().reopen();
      }
    }
    return Error::unavailable("index de recherche en cours de modification : réessayez");
  }, failure_reporter());
}

}  // namespace vigie::search
