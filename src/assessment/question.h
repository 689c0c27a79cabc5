// Questions and choices shared by the assessment questionnaires (AI Act classification tree,
// algorithmic impact assessment). A question is asked on one screen or with all the others on
// one page: it carries its French text, a help text and local examples.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigie::assessment {

enum class QuestionKind { single_choice, multiple_choice };

struct Choice {
  std::string id;     // lower-case letters, digits and hyphens; unique within its question
  std::string label;  // French
  std::string help;   // French; may be empty
  int weight = 0;     // impact assessment points (0 in the classification tree)
  std::vector<std::string> flags;  // classification tree: flags set when the choice is selected on a visited node
  bool exclusive = false;          // "none of these": may not be combined with another choice
};

struct Question {
  std::string id;     // unique within its questionnaire; the key of its answer
  std::string label;  // the question, French
  std::string help;   // French; may be empty
  std::vector<std::string> examples;  // examples from local authorities, French
  QuestionKind kind = QuestionKind::single_choice;
  std::vector<Choice> choices;

  // nullptr when `choice_id` is not one of the choices.
  const Choice* find_choice(std::string_view choice_id) const;
  // Highest score the question can give: the highest weight for a single choice; for a
  // multiple choice, the sum of the non-exclusive weights or the highest exclusive weight,
  // whichever is higher (an exclusive choice cannot be combined).
  int maximum_weight() const;
  // Points of the selected choices (unknown choice ids count 0).
  int weight_of(const std::vector<std::string>& selected) const;
};

// What the answer codecs need from a questionnaire.
class QuestionSource {
 public:
  virtual ~QuestionSource() = default;
  // nullptr when the questionnaire has no question `id`.
  virtual const Question* find_question(std::string_view id) const = 0;
};

}  // namespace vigie::assessment
