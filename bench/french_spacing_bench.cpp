// The cost of French spacing (pages/french_spacing.h), paid once by every page rendered: over
// a page the size of a library page (~130 kB). The page is fiche pages rendered as written, one
// after the other: denser in prose and punctuation than a library page's cards, so the figure
// errs on the high side.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "corpus_generator.h"
#include "pages/french_spacing.h"
#include "pages/templates.h"
#include "pages/use_case_view.h"

namespace {

using namespace vigie;

constexpr std::size_t kLibraryPageBytes = 130 * 1024;

std::string resources() {
  const char* dir = std::getenv("VIGIE_RESOURCES_DIR");
  return dir ? dir : ".";
}

std::string library_sized_page() {
  const auto taxonomies = domain::Taxonomies::load(resources() + "/data/taxonomies").value();
  auto templates = pages::Templates::load(resources() + "/templates").value();
  const pages::OrganisationLookup lookup = [](const std::string&) { return std::optional<domain::Organisation>{}; };
  const auto related = [](domain::UseCaseId) { return std::optional<domain::UseCase>{}; };
  std::string page;
  unsigned seed = 1;
  while (page.size() < kLibraryPageBytes) {
    auto fiche = bench::generate_corpus(1, taxonomies, {"213502388"}, seed++).front();
    fiche.id = static_cast<domain::UseCaseId>(seed);
    page += templates->render("fiche", pages::fiche_view(fiche, taxonomies, lookup, related), pages::Spacing::as_written);
  }
  return page;
}

void BM_FrenchSpacingLibrarySizedPage(benchmark::State& state) {
  const std::string page = library_sized_page();
  for (auto _ : state) benchmark::DoNotOptimize(pages::french_spacing(page));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(page.size()));
  state.counters["page_bytes"] = static_cast<double>(page.size());
}
BENCHMARK(BM_FrenchSpacingLibrarySizedPage)->Unit(benchmark::kMicrosecond);

}  // namespace
