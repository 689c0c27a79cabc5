// Synthetic fiches for benchmarks: realistic French titles and summaries assembled from
// word lists, valid taxonomy codes, owners drawn from the referential. Deterministic for a
// given seed, so that runs are comparable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/taxonomy.h"
#include "domain/use_case.h"

namespace vigie::bench {

// `owner_codes`: organisation codes to draw owners from (non-empty).
std::vector<domain::UseCase> generate_corpus(std::size_t count, const domain::Taxonomies& taxonomies,
                                             const std::vector<std::string>& owner_codes, std::uint64_t seed);

// `count` search queries of 1 to 3 words such as a local-authority agent would type about the
// corpus above: words of a synthetic title or of a summary sentence, in their order, without
// the small words. Deterministic for a given seed.
std::vector<std::string> generate_queries(std::size_t count, std::uint64_t seed);

// `count` distinct queries that the strict search (every word required) answers with fewer
// than 3 fiches of the corpus above, so that the search looks further (spelling correction,
// closest fiches): in turn, words of the corpus with a word found in no fiche (or in the
// demonstration library only); words of the corpus misspelt; long questions (« comment une
// commune peut … »); paraphrases in everyday words. Deterministic for a given seed.
std::vector<std::string> generate_relaxed_queries(std::size_t count, std::uint64_t seed);

}  // namespace vigie::bench
