// In-process costs on the path of a fiche page and of the fiche API: JSON codec, validation,
// Markdown rendering, page templates.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "corpus_generator.h"
#include "domain/use_case_json.h"
#include "domain/use_case_validation.h"
#include "pages/markdown.h"
#include "pages/templates.h"
#include "pages/use_case_view.h"

namespace {

using namespace vigie;

std::string resources() {
  const char* dir = std::getenv("VIGIE_RESOURCES_DIR");
  return dir ? dir : ".";
}

const domain::Taxonomies& taxonomies() {
  static const domain::Taxonomies loaded = domain::Taxonomies::load(resources() + "/data/taxonomies").value();
  return loaded;
}

domain::UseCase sample() {
  static const domain::UseCase fiche = bench::generate_corpus(1, taxonomies(), {"213502388"}, 7).front();
  return fiche;
}

void BM_FicheToJson(benchmark::State& state) {
  const auto fiche = sample();
  for (auto _ : state) benchmark::DoNotOptimize(domain::to_json(fiche).dump());
}
BENCHMARK(BM_FicheToJson);

void BM_FicheFromJson(benchmark::State& state) {
  const std::string text = domain::to_json(sample()).dump();
  for (auto _ : state) {
    auto parsed = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(domain::from_json(parsed, domain::ReadOnlyFields::keep));
  }
}
BENCHMARK(BM_FicheFromJson);

void BM_ValidateFiche(benchmark::State& state) {
  const auto fiche = sample();
  const domain::References references{[](const std::string&) { return true; }, [](domain::UseCaseId) { return true; }};
  for (auto _ : state) benchmark::DoNotOptimize(domain::validate(fiche, taxonomies(), references));
}
BENCHMARK(BM_ValidateFiche);

void BM_RenderMarkdown(benchmark::State& state) {
  const auto fiche = sample();
  for (auto _ : state) benchmark::DoNotOptimize(pages::render_markdown(fiche.description));
}
BENCHMARK(BM_RenderMarkdown);

void BM_RenderFichePage(benchmark::State& state) {
  auto templates = pages::Templates::load(resources() + "/templates").value();
  auto fiche = sample();
  fiche.id = 1;
  const pages::OrganisationLookup lookup = [](const std::string&) { return std::optional<domain::Organisation>{}; };
  for (auto _ : state) {
    auto view = pages::fiche_view(fiche, taxonomies(), lookup, [](domain::UseCaseId) { return std::optional<domain::UseCase>{}; });
    benchmark::DoNotOptimize(templates->render("fiche", view));
  }
}
BENCHMARK(BM_RenderFichePage);

}  // namespace
