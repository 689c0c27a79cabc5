// libFuzzer target for the toolkit's questionnaire files (data/assessment/, read through
// assessment/data_reader.h): the AI Act classification tree, the impact assessment and the
// fundamental-rights template. A bad file must stop start-up with a message, never crash it.
//
// Besides finding crashes, it classifies with no answers on every tree that loads (the walk
// must end) and checks that a rejected file's message names the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "assessment/classification.h"
#include "assessment/fria.h"
#include "assessment/impact_assessment.h"

namespace {

template <typename Loaded>
void expect_named(const vigie::Result<Loaded>& result, std::string_view file) {
  if (!result.ok() && result.error().message.find(file) == std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigie::assessment;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto tree = ClassificationTree::parse(input, "classification-ai-act.json");
  expect_named(tree, "classification-ai-act.json");
  if (tree.ok()) static_cast<void>(classify(*tree, {}));
  expect_named(ImpactQuestionnaire::parse(input, "evaluation-impact.json"), "evaluation-impact.json");
  expect_named(FriaTemplate::parse(input, "analyse-impact-droits-fondamentaux.json"), "analyse-impact-droits-fondamentaux.json");
  return 0;
}
