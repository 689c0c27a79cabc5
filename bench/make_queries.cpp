// vigie_queries COUNT [SEED]: prints the benchmark's search queries, one a line
// (bench/queries.txt is its output for 1,000 queries and seed 42).
#include <fmt/format.h>

#include <cstdlib>

#include "corpus_generator.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: vigie_queries COUNT [SEED]\n");
    return 2;
  }
  const auto count = static_cast<std::size_t>(std::strtoull(argv[1], nullptr, 10));
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42;
  for (const auto& query : vigie::bench::generate_queries(count, seed)) fmt::print("{}\n", query);
  return 0;
}
