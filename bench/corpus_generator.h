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

}  // namespace vigie::bench
