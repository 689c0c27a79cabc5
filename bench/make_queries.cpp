// vigie_queries [--relaxed] COUNT [SEED]: prints the benchmark's search queries, one a line
// (bench/queries.txt is its output for 1,000 queries and seed 42; bench/queries-relaxed.txt,
// queries that go beyond the strict search, its output with --relaxed for 400 queries and
// seed 42).
#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include "corpus_generator.h"

int main(int argc, char** argv) {
  const bool relaxed = argc > 1 && std::string_view(argv[1]) == "--relaxed";
  if (relaxed) {
    --argc;
    ++argv;
  }
  if (argc < 2) {
    fmt::print(stderr, "usage: vigie_queries [--relaxed] COUNT [SEED]\n");
    return 2;
  }
  const auto count = static_cast<std::size_t>(std::strtoull(argv[1], nullptr, 10));
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42;
  const auto queries = relaxed ? vigie::bench::generate_relaxed_queries(count, seed) : vigie::bench::generate_queries(count, seed);
  for (const auto& query : queries) fmt::print("{}\n", query);
  return 0;
}
