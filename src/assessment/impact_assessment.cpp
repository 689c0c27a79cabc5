#include "assessment/impact_assessment.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "assessment/data_reader.h"
#include "core/file.h"

namespace vigie::assessment {

using detail::DataReader;
using detail::Need;
using detail::in_quotes;
using nlohmann::json;

class ImpactQuestionnaireParser {
 public:
  explicit ImpactQuestionnaireParser(std::string_view file) : reader_(std::string(file)) {}

  Result<ImpactQuestionnaire> parse(std::string_view json_text) {
    const json document = reader_.parse(json_text);
    if (reader_.failed()) return reader_.error();
    if (!reader_.object(document, "", {"version", "titre", "note", "regles", "phases", "niveaux", "planchersAiAct", "sections"})) return reader_.error();
    q_.version_ = reader_.text(document, "version", "", Need::required);
    q_.title_ = reader_.text(document, "titre", "", Need::required);
    q_.note_ = reader_.text(document, "note", "", Need::optional);
    read_rules(document);
    read_phases(document);
    read_levels(document);
    read_floors(document);
    read_sections(document);
    if (reader_.failed()) return reader_.error();
    return std::move(q_);
  }

 private:
  void read_rules(const json& document) {
    const auto found = document.find("regles");
    if (found == document.end()) return reader_.fail("", "« regles » manquant");
    if (!reader_.object(*found, "regles", {"seuilAttenuationPourcent", "facteurReductionPourcent", "note"})) return;
    q_.rules_.mitigation_threshold_percent = reader_.integer(*found, "seuilAttenuationPourcent", "regles", Need::required);
    q_.rules_.discount_percent = reader_.integer(*found, "facteurReductionPourcent", "regles", Need::required);
    for (int value : {q_.rules_.mitigation_threshold_percent, q_.rules_.discount_percent}) {
      if (value < 0 || value > 100) reader_.fail("regles", "les pourcentages doivent être compris entre 0 et 100");
    }
  }

  void read_phases(const json& document) {
    for (const auto& item : reader_.array(document, "phases", "", Need::required)) {
      const std::string where = fmt::format("phase {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "libelle"})) return;
      Phase phase{reader_.id(item, "id", where), reader_.text(item, "libelle", where, Need::required)};
      if (q_.find_phase(phase.id)) reader_.fail(where, "identifiant en double");
      q_.phases_.push_back(std::move(phase));
    }
  }

  void read_levels(const json& document) {
    int previous = 0;
    for (const auto& item : reader_.array(document, "niveaux", "", Need::required)) {
      const std::string where = fmt::format("niveau {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "libelle", "description", "plafondPourcent", "approbation", "exigences"})) return;
      ImpactLevel level;
      level.id = reader_.text(item, "id", where, Need::required);
      level.label = reader_.text(item, "libelle", where, Need::required);
      level.description = reader_.text(item, "description", where, Need::optional);
      level.ceiling_percent = reader_.integer(item, "plafondPourcent", where, Need::required);
      level.approver = reader_.text(item, "approbation", where, Need::required);
      for (const auto& requirement : reader_.array(item, "exigences", where, Need::required)) {
        if (!reader_.object(requirement, where, {"theme", "texte"})) return;
        level.requirements.push_back({reader_.text(requirement, "theme", where, Need::required), reader_.text(requirement, "texte", where, Need::required)});
      }
      if (level.ceiling_percent <= previous || level.ceiling_percent > 100) {
        reader_.fail(where, fmt::format("« plafondPourcent » {} invalide : les plafonds doivent croître strictement jusqu'à 100", level.ceiling_percent));
      }
      previous = level.ceiling_percent;
      if (q_.find_level(level.id)) reader_.fail(where, "identifiant en double");
      q_.levels_.push_back(std::move(level));
    }
    if (!reader_.failed() && previous != 100) reader_.fail("niveaux", "le plafond du dernier niveau doit être 100");
  }

  void read_floors(const json& document) {
    for (const auto& item : reader_.array(document, "planchersAiAct", "", Need::optional)) {
      const std::string where = fmt::format("plancher {}", in_quotes(detail::member_text(item, "resultat")));
      if (!reader_.object(item, where, {"resultat", "niveauMinimum", "bloque", "motif"})) return;
      LevelFloor floor;
      floor.outcome = reader_.id(item, "resultat", where);
      floor.blocks = reader_.boolean(item, "bloque", where);
      floor.minimum_level = reader_.text(item, "niveauMinimum", where, floor.blocks ? Need::optional : Need::required);
      floor.reason = reader_.text(item, "motif", where, Need::required);
      if (!floor.minimum_level.empty() && !q_.find_level(floor.minimum_level)) {
        reader_.fail(where, fmt::format("niveau {} inconnu (voir « niveaux »)", in_quotes(floor.minimum_level)));
      }
      q_.floors_.push_back(std::move(floor));
    }
  }

  void check_condition(const Condition& condition, const std::string& where) {
    detail::for_each_leaf(condition, [&](const Condition& leaf) {
      if (leaf.kind != Condition::Kind::answer_among) {
        reader_.fail(where, "seules les conditions sur des réponses (« reponse ») valent dans ce questionnaire");
        return;
      }
      const Question* question = q_.find_question(leaf.subject);
      if (!question) {
        reader_.fail(where, fmt::format("la condition porte sur la question {}, qui n'existe pas ou vient après", in_quotes(leaf.subject)));
        return;
      }
      for (const auto& value : leaf.values) {
        if (!question->find_choice(value)) {
          reader_.fail(where, fmt::format("la condition cite le choix {}, que la question {} ne propose pas", in_quotes(value), in_quotes(leaf.subject)));
        }
      }
    });
  }

  void read_sections(const json& document) {
    std::set<std::string, std::less<>> section_ids;
    for (const auto& item : reader_.array(document, "sections", "", Need::required)) {
      const std::string where = fmt::format("section {}", in_quotes(detail::member_text(item, "id")));
      if (!reader_.object(item, where, {"id", "type", "titre", "aide", "questions"})) return;
      Section section;
      section.id = reader_.id(item, "id", where);
      const std::string kind = reader_.text(item, "type", where, Need::required);
      if (kind == "attenuation") {
        section.kind = SectionKind::mitigation;
      } else if (kind != "impact") {
        reader_.fail(where, fmt::format("type {} inconnu (« impact » ou « attenuation »)", in_quotes(kind)));
      }
      section.title = reader_.text(item, "titre", where, Need::required);
      section.help = reader_.text(item, "aide", where, Need::optional);
      if (!section_ids.insert(section.id).second) reader_.fail(where, "identifiant en double");
      const std::size_t section_index = q_.sections_.size();
      q_.sections_.push_back(std::move(section));
      Section& stored = q_.sections_.back();
      for (const auto& question_item : reader_.array(item, "questions", where, Need::required)) {
        const std::string id = detail::member_text(question_item, "id");
        const std::string question_where = fmt::format("question {}", in_quotes(id));
        if (!reader_.object(question_item, question_where, {"id", "question", "aide", "exemples", "type", "choix", "si", "phases"})) return;
        ScoredQuestion scored;
        scored.question = reader_.question(question_item, reader_.id(question_item, "id", question_where), question_where, detail::Weights::required);
        // Conditions are checked before the question is indexed: they may only name earlier questions.
        scored.applies_when = reader_.condition(question_item, "si", question_where);
        check_condition(scored.applies_when, question_where);
        scored.phases = reader_.ids(question_item, "phases", question_where);
        if (stored.kind == SectionKind::impact && !scored.phases.empty()) {
          reader_.fail(question_where, "« phases » ne vaut que pour les questions d'atténuation");
        }
        for (const auto& phase : scored.phases) {
          if (!q_.find_phase(phase)) reader_.fail(question_where, fmt::format("phase {} inconnue (voir « phases »)", in_quotes(phase)));
        }
        if (!q_.question_index_.emplace(scored.question.id, std::pair{section_index, stored.questions.size()}).second) {
          reader_.fail(question_where, "identifiant en double");
        }
        stored.questions.push_back(std::move(scored));
        if (reader_.failed()) return;
      }
    }
  }

  DataReader reader_;
  ImpactQuestionnaire q_;
};

Result<ImpactQuestionnaire> ImpactQuestionnaire::parse(std::string_view json_text, std::string_view file) {
  // The reader checks every type before reading a value; this only guards against a check
  // forgotten there (nlohmann reports type errors by exception).
  try {
    return ImpactQuestionnaireParser(file).parse(json_text);
  } catch (const nlohmann::json::exception& error) {
    return Error::invalid(fmt::format("{} : contenu inattendu ({})", file, error.what()));
  }
}

Result<ImpactQuestionnaire> ImpactQuestionnaire::load(const std::filesystem::path& path) {
  TRY_ASSIGN(const std::string content, read_file(path));
  return parse(content, path.string());
}

const ImpactLevel* ImpactQuestionnaire::find_level(std::string_view id) const {
  for (const auto& level : levels_) {
    if (level.id == id) return &level;
  }
  return nullptr;
}

const Phase* ImpactQuestionnaire::find_phase(std::string_view id) const {
  for (const auto& phase : phases_) {
    if (phase.id == id) return &phase;
  }
  return nullptr;
}

const Question* ImpactQuestionnaire::find_question(std::string_view id) const {
  const auto found = question_index_.find(id);
  if (found == question_index_.end()) return nullptr;
  return &sections_[found->second.first].questions[found->second.second].question;
}

Result<ImpactScore> evaluate_impact(const ImpactQuestionnaire& questionnaire, const Answers& answers, const ImpactRequest& request) {
  std::vector<FieldError> errors;
  if (!questionnaire.find_phase(request.phase)) {
    std::string known;
    for (const auto& phase : questionnaire.phases()) {
      if (!known.empty()) known += ", ";
      known += phase.id;
    }
    errors.push_back({"phase", fmt::format("phase {} inconnue (phases possibles : {})", in_quotes(request.phase), known)});
  }
  for (const auto& [id, selected] : answers) {
    const Question* question = questionnaire.find_question(id);
    if (!question) {
      errors.push_back({id, "question inconnue"});
    } else if (std::string problem = check_answer(*question, selected); !problem.empty()) {
      errors.push_back({id, std::move(problem)});
    }
  }
  if (!errors.empty()) return Error::invalid("Certaines réponses ne correspondent pas au questionnaire.", std::move(errors));

  ImpactScore score;
  score.version = questionnaire.version();
  score.phase = request.phase;
  Answers effective;  // answers to applicable questions, the only ones conditions see
  const Facts facts{&effective, nullptr, nullptr};
  for (const auto& section : questionnaire.sections()) {
    SectionScore section_score{&section, 0, 0, 0, 0};
    for (const auto& scored : section.questions) {
      const bool in_phase = scored.phases.empty() ||
                            std::find(scored.phases.begin(), scored.phases.end(), request.phase) != scored.phases.end();
      if (!in_phase || !holds(scored.applies_when, facts)) continue;
      const Question& question = scored.question;
      ++section_score.applicable_questions;
      section_score.maximum += question.maximum_weight();
      score.applicable_questions.push_back(question.id);
      const auto answer = answers.find(question.id);
      if (answer == answers.end() || answer->second.empty()) {
        score.unanswered.push_back(question.id);
        continue;
      }
      ++section_score.answered_questions;
      section_score.points += question.weight_of(answer->second);
      effective.emplace(question.id, answer->second);
    }
    if (section.kind == SectionKind::impact) {
      score.raw_impact += section_score.points;
      score.maximum_impact += section_score.maximum;
    } else {
      score.mitigation += section_score.points;
      score.maximum_mitigation += section_score.maximum;
    }
    score.sections.push_back(section_score);
  }
  for (const auto& [id, selected] : answers) {
    if (!effective.count(id)) score.ignored_answers.push_back(id);
  }
  if (request.completeness == Completeness::required && !score.unanswered.empty()) {
    for (const auto& id : score.unanswered) {
      errors.push_back({id, fmt::format("réponse obligatoire : « {} »", questionnaire.find_question(id)->label)});
    }
    return Error::invalid("L'évaluation n'est pas terminée.", std::move(errors));
  }

  // Integer arithmetic throughout: 80 % and the level ceilings are compared exactly.
  const ScoringRules& rules = questionnaire.rules();
  score.discount_applied = score.maximum_mitigation > 0 &&
                           score.mitigation * 100 >= rules.mitigation_threshold_percent * score.maximum_mitigation;
  score.adjusted_impact = score.discount_applied ? (score.raw_impact * rules.discount_percent + 50) / 100 : score.raw_impact;
  score.percent = score.maximum_impact > 0 ? 100.0 * score.adjusted_impact / score.maximum_impact : 0.0;
  const auto& levels = questionnaire.levels();
  score.score_level = &levels.back();
  for (const auto& level : levels) {
    if (score.adjusted_impact * 100 <= level.ceiling_percent * score.maximum_impact) {
      score.score_level = &level;
      break;
    }
  }
  score.level = score.score_level;
  auto rank = [&](const ImpactLevel* level) { return level - levels.data(); };
  for (const auto& floor : questionnaire.floors()) {
    if (std::find(request.ai_act_outcomes.begin(), request.ai_act_outcomes.end(), floor.outcome) == request.ai_act_outcomes.end()) continue;
    if (floor.blocks) {
      score.blocked = true;
      if (!score.blocking) score.blocking = &floor;
      continue;
    }
    const ImpactLevel* minimum = questionnaire.find_level(floor.minimum_level);
    if (rank(minimum) > rank(score.level)) {
      score.level = minimum;
      score.floor = &floor;
    }
  }
  return score;
}

}  // namespace vigie::assessment
