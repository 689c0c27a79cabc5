// libFuzzer target for the toolkit's answers (assessment/answers.h), read from a shared link's
// query string and from API bodies (JSON), against the real questionnaires of data/assessment.
//
// Besides finding crashes, it checks that the valid answers kept survive their own query-string
// and JSON forms with no error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "assessment/answers.h"
#include "assessment/classification.h"
#include "assessment/impact_assessment.h"

namespace {

template <typename Questionnaire>
const Questionnaire& load(const char* file) {
  static const Questionnaire loaded = [file] {
    auto result = Questionnaire::load(std::string(VIGIE_SOURCE_DIR) + "/data/assessment/" + file);
    if (!result.ok()) __builtin_trap();
    return std::move(result).value();
  }();
  return loaded;
}

void check_round_trips(const vigie::assessment::ParsedAnswers& parsed, const vigie::assessment::QuestionSource& questions) {
  using namespace vigie::assessment;
  const ParsedAnswers from_query = answers_from_query(answers_to_query(parsed.answers), questions);
  if (!from_query.errors.empty() || from_query.answers != parsed.answers) __builtin_trap();
  const ParsedAnswers from_json = answers_from_json(answers_to_json(parsed.answers, questions), questions);
  if (!from_json.errors.empty() || from_json.answers != parsed.answers) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigie::assessment;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto& tree = load<ClassificationTree>("classification-ai-act.json");
  const auto& impact = load<ImpactQuestionnaire>("evaluation-impact.json");
  const nlohmann::json document = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  for (const QuestionSource* questions : {static_cast<const QuestionSource*>(&tree), static_cast<const QuestionSource*>(&impact)}) {
    check_round_trips(answers_from_query(input, *questions, {"vue", "etape"}), *questions);
    if (!document.is_discarded()) check_round_trips(answers_from_json(document, *questions), *questions);
  }
  static_cast<void>(classify(tree, answers_from_query(input, tree).answers));
  return 0;
}
