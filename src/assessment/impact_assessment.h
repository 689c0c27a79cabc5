// Algorithmic impact assessment, scored in the spirit of Canada's Algorithmic Impact
// Assessment, read from data/assessment/evaluation-impact.json.
//
// Scoring (every number below is data, not code):
//   1. A question applies when its condition holds on the answers to the applicable questions
//      before it; a mitigation question applies only in the phases it lists. Questions that do
//      not apply count nowhere: neither their points nor their maximum (unlike Canada's tool,
//      whose maximum counts questions the path has hidden), and their answers are ignored.
//   2. A single-choice question scores the chosen weight, a multiple-choice one the sum of the
//      ticked weights; its maximum is Question::maximum_weight().
//   3. raw impact = impact points; mitigation = mitigation points of the phase.
//   4. If mitigation ≥ seuilAttenuationPourcent (80) % of the phase's mitigation maximum,
//      adjusted impact = round(facteurReductionPourcent (85) % × raw impact), halves rounded
//      up; otherwise adjusted = raw.
//   5. The level is the first whose ceiling (25, 50, 75, 100 %) is ≥ adjusted / maximum
//      impact, compared in integers so that exactly 25 % is level I.
//   6. AI Act floor: an outcome of the classification may raise the level (high risk: at least
//      III) or block the system (prohibited practice).
// The score is always recomputed from the whole set of stored answers, never incrementally.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "assessment/answers.h"
#include "assessment/condition.h"
#include "assessment/question.h"
#include "core/result.h"

namespace vigie::assessment {

enum class SectionKind { impact, mitigation };

struct ScoredQuestion {
  Question question;
  Condition applies_when;           // on earlier answers only
  std::vector<std::string> phases;  // mitigation questions: the phases they belong to (all when empty)
};

struct Section {
  std::string id;
  SectionKind kind = SectionKind::impact;
  std::string title;  // French
  std::string help;   // French; may be empty
  std::vector<ScoredQuestion> questions;
};

struct Phase {
  std::string id;     // "conception", "en-service"
  std::string label;  // French
};

struct Requirement {
  std::string theme;  // "Avis au public", "Contrôle humain"…
  std::string text;   // what the authority must do, French
};

struct ImpactLevel {
  std::string id;           // "I" … "IV"
  std::string label;        // "Impact faible ou nul"
  std::string description;
  int ceiling_percent = 0;  // the level holds up to and including this percentage
  std::string approver;     // who approves, for a French local authority
  std::vector<Requirement> requirements;
};

// Minimum level (or blocking) set by an outcome of the AI Act classification.
struct LevelFloor {
  std::string outcome;        // outcome id of classification-ai-act.json
  std::string minimum_level;  // level id; empty when blocking
  bool blocks = false;
  std::string reason;         // French, shown with the result
};

struct ScoringRules {
  int mitigation_threshold_percent = 80;
  int discount_percent = 85;
};

class ImpactQuestionnaire : public QuestionSource {
 public:
  // Parses and validates. Fails with `invalid` naming file, element and problem on: malformed
  // JSON, unknown keys, missing version, duplicate ids (sections, questions, choices, phases,
  // levels), missing weights, unknown section types or phases, conditions on unknown or later
  // questions or on choices a question does not offer, level ceilings not increasing to 100,
  // floors naming unknown levels.
  static Result<ImpactQuestionnaire> parse(std::string_view json_text, std::string_view file);
  static Result<ImpactQuestionnaire> load(const std::filesystem::path& path);

  const std::string& version() const { return version_; }
  const std::string& title() const { return title_; }
  // The method note a page shows with the score (which questions count in the maximum…).
  const std::string& note() const { return note_; }
  const ScoringRules& rules() const { return rules_; }
  const std::vector<Phase>& phases() const { return phases_; }
  const std::vector<Section>& sections() const { return sections_; }
  const std::vector<ImpactLevel>& levels() const { return levels_; }
  const std::vector<LevelFloor>& floors() const { return floors_; }

  const ImpactLevel* find_level(std::string_view id) const;
  const Phase* find_phase(std::string_view id) const;
  const Question* find_question(std::string_view id) const override;

 private:
  friend class ImpactQuestionnaireParser;
  std::string version_;
  std::string title_;
  std::string note_;
  ScoringRules rules_;
  std::vector<Phase> phases_;
  std::vector<Section> sections_;
  std::vector<ImpactLevel> levels_;
  std::vector<LevelFloor> floors_;
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> question_index_;  // id -> (section, question)
};

enum class Completeness { partial_allowed, required };

struct ImpactRequest {
  std::string phase;                         // a phase id
  std::vector<std::string> ai_act_outcomes;  // outcome ids of the classification, if any
  Completeness completeness = Completeness::partial_allowed;
};

struct SectionScore {
  const Section* section = nullptr;  // refers into the questionnaire
  int points = 0;
  int maximum = 0;                   // of the applicable questions only
  std::size_t applicable_questions = 0;
  std::size_t answered_questions = 0;
};

struct ImpactScore {
  std::string version;
  std::string phase;
  int raw_impact = 0;
  int maximum_impact = 0;
  int mitigation = 0;
  int maximum_mitigation = 0;
  bool discount_applied = false;
  int adjusted_impact = 0;
  double percent = 0;                      // adjusted / maximum × 100; 0 when the maximum is 0
  const ImpactLevel* score_level = nullptr;// from the percentage alone
  const ImpactLevel* level = nullptr;      // after the AI Act floor
  const LevelFloor* floor = nullptr;       // the floor that raised the level, if one did
  bool blocked = false;                    // a prohibited practice: the system must not be used
  const LevelFloor* blocking = nullptr;
  std::vector<SectionScore> sections;      // in questionnaire order
  std::vector<std::string> applicable_questions;
  std::vector<std::string> unanswered;     // applicable questions without an answer
  std::vector<std::string> ignored_answers;// answers to questions that do not apply
};

// Scores `answers`. Fails with `invalid` and field errors (French, one per question) when the
// phase is unknown, an answer does not fit its question or, with Completeness::required, an applicable question is unanswered (unanswered
// questions otherwise score 0 and keep their maximum). Pure; the result points into
// `questionnaire`.
Result<ImpactScore> evaluate_impact(const ImpactQuestionnaire& questionnaire, const Answers& answers, const ImpactRequest& request);

}  // namespace vigie::assessment
