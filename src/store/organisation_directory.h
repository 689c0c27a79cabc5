// The organisations Vigie knows: those of the territorial referential, looked up by code,
// searched by name or code, with the links between them (a commune's EPCI, département,
// région…), and the writer of the referential. One interface for every backend
// (sqlite/sqlite_directory.h, postgres/postgres_directory.h; the rules both follow are written
// once in organisation_backend.h); pages and the API read organisations only through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/organisation.h"

namespace vigie::store {

// An authority of the same kind and size band as another, with its published fiches.
struct OrganisationPeer {
  domain::Organisation organisation;
  std::int64_t fiche_count = 0;
};

// Thread-safe: every method may be called from several threads at once. Every method fails
// only with the store's error (`unavailable` when the database cannot be reached, `internal`)
// unless it says otherwise: callers tell "not found" from "cannot tell now".
class OrganisationDirectory {
 public:
  virtual ~OrganisationDirectory() = default;

  // Longest query search() considers; a longer one finds nothing.
  static constexpr std::size_t kMaxQueryBytes = 200;
  // search() never returns more results than this, whatever the limit asked.
  static constexpr std::size_t kMaxResults = 1000;

  // The organisation whose code is `code` ("213502388", "region-53", "commune-deleguee-01015").
  // A SIREN is the code of every organisation that has one. Fails with `not_found`.
  virtual Result<domain::Organisation> find(std::string_view code) = 0;

  // At most `limit` organisations matching `query`, best first:
  // - 5 digits: the organisations with that postal code and those with that INSEE code
  //   ("35000" and "35238" both find Rennes);
  // - 2A/2B and 3 digits: the INSEE code of a Corsican commune ("2A004");
  // - 9 digits (spaces allowed: "213 502 388"): the organisation with that SIREN;
  // - anything else is a name: accents, case and punctuation ignored and "saint" read as "st"
  //   (text::place_key), the query is a prefix of the name or of the name from one of its words
  //   on ("st etienne", "Saint-Étienne", "saint eti" and "etienne" find Saint-Étienne); a last
  //   word that begins "saint" ("sai", "sain", "saint") also matches the names with "st"/"ste".
  // Order (domain/search_rank.h): names equal to the query first ("Bretagne": the région, then the
  // two small communes of that name); then communes and municipal arrondissements, EPCI and
  // EPT, départements and collectivités d'outre-mer, régions, communes déléguées/associées,
  // in that order; within each, largest population first, unknown last; then by code. So
  // "saint eti" gives the commune Saint-Étienne, then the smaller Saint-Étienne-…, and only
  // then Saint-Étienne Métropole.
  // A query with nothing to search for ("", "%%%") or longer than kMaxQueryBytes finds nothing:
  // that is an empty result, not an error. Names are looked up in organisation_words, which
  // load_referential() fills.
  virtual Result<std::vector<domain::Organisation>> search(std::string_view query, std::size_t limit) = 0;

  // When search() finds nothing for a name with a typo ("Marseile", "Bordeau", "Strasbourgh"):
  // the organisations whose whole name is closest to `query` (at most 1 edit for a name of up
  // to 5 letters, 2 beyond; same first letter), fewest edits first, then in search() order.
  // Empty for codes and for queries shorter than 4 letters.
  virtual Result<std::vector<domain::Organisation>> closest_names(std::string_view query, std::size_t limit) = 0;

  // The organisations `organisation` belongs to, nearest first: for a commune déléguée or
  // associée or a municipal arrondissement, its commune; for a commune, its EPCI; then, except
  // for régions and collectivités d'outre-mer, the département (or collectivité d'outre-mer)
  // and the région it lies in, each once. Links to organisations missing from the store are
  // skipped.
  virtual Result<std::vector<domain::Organisation>> parents(const domain::Organisation& organisation) = 0;

  // The member communes of an EPCI, sorted by name; the communes déléguées/associées and
  // municipal arrondissements of a commune, by INSEE code (1er, 2e… arrondissement; the former
  // communes in alphabetical order, as INSEE numbered them). Empty for every other kind,
  // including EPT, whose members the store does not record.
  virtual Result<std::vector<domain::Organisation>> members(const domain::Organisation& organisation) = 0;

  // Number of organisations of each kind present in the store.
  virtual Result<std::map<std::string, std::int64_t>> count_by_kind() = 0;

  // "Collectivités comme la mienne": organisations of the same kind and population size band
  // as `organisation` that have published fiches, closest first (population ratio, then the
  // same région), at most `limit`.
  virtual Result<std::vector<OrganisationPeer>> peers_with_fiches(const domain::Organisation& organisation, std::size_t limit) = 0;

  // Writes version `version` of the referential `source` (territory/referential_loader.h reads
  // it from its package): upserts every organisation by code in one transaction, all or
  // nothing; the number of organisations inserted or changed.
  // - A row is rewritten only when one of its values, or the version, differs: writing the same
  //   version again writes nothing. `source_version` is the version that last wrote or
  //   confirmed the row, `updated_at` (`now`, RFC 3339 UTC) when that happened.
  // - Organisations absent from `organisations` are kept untouched (fiches may name them).
  // - Postal codes are rewritten only for organisations whose postal codes changed, name keys
  //   (organisation_words) only for those whose name, kind or population changed.
  // `organisations` lists a parent before the organisations that name it (parent, EPCI).
  // Fails with the store's error (`conflict` for two organisations with one SIREN), after
  // rolling everything back.
  virtual Result<std::int64_t> write_referential(std::string_view source, std::string_view version,
                                                 const std::vector<domain::Organisation>& organisations,
                                                 std::string_view now) = 0;
};

}  // namespace vigie::store
