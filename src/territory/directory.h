// Read access to the organisations of the territorial referential: lookup by code, search by
// name or code, and the links between organisations (a commune's EPCI, département, région…).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/organisation.h"
#include "store/sqlite/database.h"

namespace vigie::territory {

// Thread-safety: like the Database it reads, a Directory is used by one thread at a time.
// Every method fails only with the store's error (`unavailable`, `internal`) unless it says
// otherwise.
class Directory {
 public:
  // Longest query search() considers; a longer one finds nothing.
  static constexpr std::size_t kMaxQueryBytes = 200;
  // search() never returns more results than this, whatever the limit asked.
  static constexpr std::size_t kMaxResults = 1000;

  // `db` is migrated and outlives the Directory, which does not own it.
  explicit Directory(store::sqlite::Database& db) : db_(db) {}

  // The organisation whose code is `code` ("213502388", "region-53", "commune-deleguee-01015").
  // A SIREN is the code of every organisation that has one. Fails with `not_found`.
  Result<domain::Organisation> find(std::string_view code);

  // At most `limit` organisations matching `query`, best first:
  // - 5 digits: the organisations with that postal code and those with that INSEE code
  //   ("35000" and "35238" both find Rennes);
  // - 2A/2B and 3 digits: the INSEE code of a Corsican commune ("2A004");
  // - 9 digits (spaces allowed: "213 502 388"): the organisation with that SIREN;
  // - anything else is a name: accents, case and punctuation ignored and "saint" read as "st"
  //   (text::place_key), the query is a prefix of the name or of the name from one of its words
  //   on ("st etienne", "Saint-Étienne", "saint eti" and "etienne" find Saint-Étienne); a last
  //   word that begins "saint" ("sai", "sain", "saint") also matches the names with "st"/"ste".
  // Order (search_rank.h): names equal to the query first ("Bretagne": the région, then the
  // two small communes of that name); then communes and municipal arrondissements, EPCI and
  // EPT, départements and collectivités d'outre-mer, régions, communes déléguées/associées,
  // in that order; within each, largest population first, unknown last; then by code. So
  // "saint eti" gives the commune Saint-Étienne, then the smaller Saint-Étienne-…, and only
  // then Saint-Étienne Métropole.
  // A query with nothing to search for ("", "%%%") or longer than kMaxQueryBytes finds nothing:
  // that is an empty result, not an error. Names are looked up in organisation_words, which
  // load_referential() fills.
  Result<std::vector<domain::Organisation>> search(std::string_view query, std::size_t limit);

  // When search() finds nothing for a name with a typo ("Marseile", "Bordeau", "Strasbourgh"):
  // the organisations whose whole name is closest to `query` (at most 1 edit for a name of up
  // to 5 letters, 2 beyond; same first letter), fewest edits first, then in search() order.
  // Empty for codes and for queries shorter than 4 letters.
  Result<std::vector<domain::Organisation>> closest_names(std::string_view query, std::size_t limit);

  // The organisations `organisation` belongs to, nearest first: for a commune déléguée or
  // associée or a municipal arrondissement, its commune; for a commune, its EPCI; then, except
  // for régions and collectivités d'outre-mer, the département (or collectivité d'outre-mer)
  // and the région it lies in, each once. Links to organisations missing from the store are
  // skipped.
  Result<std::vector<domain::Organisation>> parents(const domain::Organisation& organisation);

  // The member communes of an EPCI, sorted by name; the communes déléguées/associées and
  // municipal arrondissements of a commune, by INSEE code (1er, 2e… arrondissement; the former
  // communes in alphabetical order, as INSEE numbered them). Empty for every other kind,
  // including EPT, whose members the store does not record.
  Result<std::vector<domain::Organisation>> members(const domain::Organisation& organisation);

  // Number of organisations of each kind present in the store.
  Result<std::map<std::string, std::int64_t>> count_by_kind();

  // "Collectivités comme la mienne": organisations of the same kind and population size band
  // as `organisation` that have published fiches, closest first (population ratio, then the
  // same région), at most `limit`.
  struct Peer {
    domain::Organisation organisation;
    std::int64_t fiche_count = 0;
  };
  Result<std::vector<Peer>> peers_with_fiches(const domain::Organisation& organisation, std::size_t limit);

 private:
  // The codes of the best `limit` organisations whose key or word key starts with one of
  // `prefixes` (at most three), in search() order; `key` is the whole query's key.
  Result<std::vector<std::string>> ranked_codes(const std::string& key, const std::vector<std::string>& prefixes,
                                                std::size_t limit);

  store::sqlite::Database& db_;
};

}  // namespace vigie::territory
