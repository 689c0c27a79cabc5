// The assessment engines on the path of the toolkit's pages and API (aim: < 50 µs per
// evaluation): AI Act classification and impact scoring from stored answers, with and
// without decoding the answers, and the start-up load of data/assessment/.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "assessment/assessment_data.h"

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

const assessment::AssessmentData& data() {
  static const assessment::AssessmentData loaded = assessment::AssessmentData::load(resources() + "/data/assessment", taxonomies()).value();
  return loaded;
}

// Social aid eligibility scoring: the longest walk (every question node of the tree).
const assessment::Answers& high_risk_answers() {
  static const assessment::Answers answers = {
      {"systeme-ia", {"oui"}}, {"role", {"deployeur"}}, {"exclusions", {"aucune"}}, {"pratiques-interdites", {"aucune"}},
      {"annexe-i", {"non"}}, {"annexe-iii", {"5a", "4a"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}},
      {"transparence", {"interaction", "texte-public"}}, {"relecture-editoriale", {"non"}}, {"decisions-individuelles", {"oui"}},
      {"effectif", {"plus-de-50"}}};
  return answers;
}

// Every applicable question of the impact assessment answered with its last choice.
const assessment::Answers& impact_answers() {
  static const assessment::Answers answers = [] {
    assessment::Answers all;
    for (const auto& section : data().impact.sections()) {
      for (const auto& scored : section.questions) {
        const auto& choices = scored.question.choices;
        all[scored.question.id] = {choices.back().exclusive ? choices.front().id : choices.back().id};
      }
    }
    return all;
  }();
  return answers;
}

void BM_ClassifyHighRisk(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(assessment::classify(data().classification, high_risk_answers()));
}
BENCHMARK(BM_ClassifyHighRisk);

void BM_ClassifyFromSharedLink(benchmark::State& state) {
  const std::string query = assessment::answers_to_query(high_risk_answers());
  for (auto _ : state) {
    auto parsed = assessment::answers_from_query(query, data().classification);
    benchmark::DoNotOptimize(assessment::classify(data().classification, parsed.answers));
  }
}
BENCHMARK(BM_ClassifyFromSharedLink);

void BM_ScoreImpact(benchmark::State& state) {
  const assessment::ImpactRequest request{"en-service", {"haut-risque-annexe-iii", "transparence"}, assessment::Completeness::required};
  for (auto _ : state) benchmark::DoNotOptimize(assessment::evaluate_impact(data().impact, impact_answers(), request));
}
BENCHMARK(BM_ScoreImpact);

void BM_ScoreImpactFromJson(benchmark::State& state) {
  const std::string body = assessment::answers_to_json(impact_answers(), data().impact).dump();
  const assessment::ImpactRequest request{"en-service", {"haut-risque-annexe-iii"}, assessment::Completeness::required};
  for (auto _ : state) {
    auto parsed = assessment::answers_from_json(nlohmann::json::parse(body), data().impact);
    benchmark::DoNotOptimize(assessment::evaluate_impact(data().impact, parsed.answers, request));
  }
}
BENCHMARK(BM_ScoreImpactFromJson);

void BM_LoadAssessmentData(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(assessment::AssessmentData::load(resources() + "/data/assessment", taxonomies()));
}
BENCHMARK(BM_LoadAssessmentData)->Unit(benchmark::kMillisecond);

}  // namespace
