#include "assessment/condition.h"

#include <algorithm>

namespace vigie::assessment {

bool holds(const Condition& condition, const Facts& facts) {
  switch (condition.kind) {
    case Condition::Kind::always:
      return true;
    case Condition::Kind::answer_among: {
      if (!facts.answers) return false;
      const auto answer = facts.answers->find(condition.subject);
      if (answer == facts.answers->end()) return false;
      return std::any_of(answer->second.begin(), answer->second.end(), [&](const std::string& selected) {
        return std::find(condition.values.begin(), condition.values.end(), selected) != condition.values.end();
      });
    }
    case Condition::Kind::flag:
      return facts.flags && facts.flags->count(condition.subject) > 0;
    case Condition::Kind::outcome:
      return facts.outcomes && facts.outcomes->count(condition.subject) > 0;
    case Condition::Kind::all:
      return std::all_of(condition.children.begin(), condition.children.end(), [&](const Condition& child) { return holds(child, facts); });
    case Condition::Kind::any:
      return std::any_of(condition.children.begin(), condition.children.end(), [&](const Condition& child) { return holds(child, facts); });
    case Condition::Kind::negation:
      return !condition.children.empty() && !holds(condition.children.front(), facts);
  }
  return false;
}

}  // namespace vigie::assessment
