#include "assessment/question.h"

#include <algorithm>

namespace vigie::assessment {

const Choice* Question::find_choice(std::string_view choice_id) const {
  for (const auto& choice : choices) {
    if (choice.id == choice_id) return &choice;
  }
  return nullptr;
}

int Question::maximum_weight() const {
  int highest = 0;
  int sum = 0;
  int highest_exclusive = 0;
  for (const auto& choice : choices) {
    highest = std::max(highest, choice.weight);
    if (choice.exclusive) {
      highest_exclusive = std::max(highest_exclusive, choice.weight);
    } else {
      sum += std::max(choice.weight, 0);
    }
  }
  if (kind == QuestionKind::single_choice) return highest;
  return std::max(sum, highest_exclusive);
}

int Question::weight_of(const std::vector<std::string>& selected) const {
  int points = 0;
  for (const auto& choice_id : selected) {
    if (const Choice* choice = find_choice(choice_id)) points += choice->weight;
  }
  return points;
}

}  // namespace vigie::assessment
