#include "store/sqlite/sqlite_assessment_store.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "store/sqlite/audit.h"

namespace vigie::store::sqlite {

namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenLength = 43;  // base64url of 32 bytes, unpadded
constexpr const char* kUnknownLink = "Ce lien ne correspond à aucune évaluation enregistrée : vérifiez qu’il est complet.";

// A new private token: 256 random bits, base64url.
std::string new_token() {
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return encoding::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// The stored form of a token: hex BLAKE2b-256.
std::string token_hash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_generichash_BYTES * 2);
}

Status check_answers(std::string_view answers_json) {
  const auto parsed = nlohmann::json::parse(answers_json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Error::invalid("Les réponses doivent être un objet JSON.", {{"reponses", "doit être un objet JSON"}});
  }
  return {};
}

// The assessment behind `token` with its latest version, inside a read or a transaction.
Result<SavedAssessment> load(Database& db, std::string_view token) {
  if (token.size() != kTokenLength || !encoding::base64url_decode(token)) return Error::not_found(kUnknownLink);
  TRY_ASSIGN(auto statement, db.prepare(
      "SELECT a.id, a.tool, a.use_case_id, a.published, a.created_at, v.version, v.questionnaire_version, v.answers, v.saved_at"
      " FROM assessments a JOIN assessment_versions v ON v.assessment_id = a.id"
      " WHERE a.token_hash = ?1 ORDER BY v.version DESC LIMIT 1"));
  statement.bind(1, token_hash(token));
  TRY_ASSIGN(bool found, statement.step());
  if (!found) return Error::not_found(kUnknownLink);
  SavedAssessment saved;
  saved.id = statement.column_int(0);
  saved.tool = statement.column_text(1);
  saved.use_case = statement.column_optional_int(2);
  saved.published = statement.column_int(3) != 0;
  saved.created_at = statement.column_text(4);
  saved.latest = {statement.column_int(5), statement.column_text(6), statement.column_text(7), statement.column_text(8)};
  return saved;
}

Status insert_version(Database& db, std::int64_t id, const AssessmentVersion& version) {
  TRY_ASSIGN(auto insert, db.prepare(
      "INSERT INTO assessment_versions (assessment_id, version, questionnaire_version, answers, saved_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5)"));
  insert.bind(1, id).bind(2, version.version).bind(3, version.questionnaire_version).bind(4, version.answers_json)
      .bind(5, version.saved_at);
  return insert.run();
}

// The summary to keep in the fiche: the caller's results, stamped with this version.
domain::AssessmentSummary stamped(domain::AssessmentSummary summary, const SavedAssessment& saved) {
  summary.tool = saved.tool;
  summary.version = saved.latest.version;
  summary.questionnaire_version = saved.latest.questionnaire_version;
  summary.assessed_at = saved.latest.saved_at;
  summary.published = saved.published;
  summary.answers_json = saved.published ? saved.latest.answers_json : std::string();
  return summary;
}

}  // namespace

Result<std::pair<SavedAssessment, std::string>> SqliteAssessmentStore::create(std::string_view tool,
                                                                              std::string_view questionnaire_version,
                                                                              std::string_view answers_json, const Actor& actor) {
  TRY_STATUS(check_answers(answers_json));
  const std::string token = new_token();
  const std::string now = clock_.now_rfc3339();
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(auto insert, db->prepare("INSERT INTO assessments (token_hash, tool, created_at) VALUES (?1, ?2, ?3)"));
  insert.bind(1, token_hash(token)).bind(2, tool).bind(3, now);
  TRY_STATUS(insert.run());
  SavedAssessment saved;
  saved.id = db->last_insert_id();
  saved.tool = std::string(tool);
  saved.created_at = now;
  saved.latest = {1, std::string(questionnaire_version), std::string(answers_json), now};
  TRY_STATUS(insert_version(*db, saved.id, saved.latest));
  TRY_STATUS(append_audit(*db, actor, "create", "evaluation", std::to_string(saved.id), 1, now));
  TRY_STATUS(transaction.commit());
  return std::pair{std::move(saved), token};
}

Result<SavedAssessment> SqliteAssessmentStore::find(std::string_view token) {
  TRY_ASSIGN(auto db, pool_.acquire());
  return load(*db, token);
}

Result<std::vector<AssessmentVersion>> SqliteAssessmentStore::versions(std::string_view token) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(const SavedAssessment saved, load(*db, token));
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT version, questionnaire_version, answers, saved_at FROM assessment_versions WHERE assessment_id = ?1 ORDER BY version"));
  statement.bind(1, saved.id);
  std::vector<AssessmentVersion> found;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    found.push_back({statement.column_int(0), statement.column_text(1), statement.column_text(2), statement.column_text(3)});
  }
  return found;
}

Result<SavedAssessment> SqliteAssessmentStore::save(std::string_view token, std::string_view questionnaire_version,
                                                    std::string_view answers_json, std::int64_t expected_version,
                                                    const domain::AssessmentSummary& summary, const Actor& actor) {
  TRY_STATUS(check_answers(answers_json));
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(SavedAssessment saved, load(*db, token));
  if (saved.latest.version != expected_version) {
    return Error::conflict(fmt::format("L’évaluation a été enregistrée entre-temps (version {} au lieu de {}) : rechargez-la avant de l’enregistrer.",
                                       saved.latest.version, expected_version));
  }
  const std::string now = clock_.now_rfc3339();
  saved.latest = {saved.latest.version + 1, std::string(questionnaire_version), std::string(answers_json), now};
  TRY_STATUS(insert_version(*db, saved.id, saved.latest));
  TRY_STATUS(append_audit(*db, actor, "update", "evaluation", std::to_string(saved.id), saved.latest.version, now));
  if (saved.use_case) {
    TRY_STATUS(use_cases_.record_assessment(*db, *saved.use_case, saved.tool, stamped(summary, saved), actor));
  }
  TRY_STATUS(transaction.commit());
  return saved;
}

Result<domain::UseCase> SqliteAssessmentStore::attach(std::string_view token, domain::UseCaseId use_case, bool published,
                                                      const domain::AssessmentSummary& summary, const Actor& actor) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(SavedAssessment saved, load(*db, token));
  // Attached elsewhere before: that fiche loses this summary.
  if (saved.use_case && *saved.use_case != use_case) {
    TRY_STATUS(use_cases_.record_assessment(*db, *saved.use_case, saved.tool, std::nullopt, actor));
  }
  saved.use_case = use_case;
  saved.published = published;
  // The fiche first: not_found when there is none.
  TRY_ASSIGN(auto fiche, use_cases_.record_assessment(*db, use_case, saved.tool, stamped(summary, saved), actor));
  const std::string now = clock_.now_rfc3339();
  TRY_ASSIGN(auto update, db->prepare("UPDATE assessments SET use_case_id = ?2, published = ?3 WHERE id = ?1"));
  update.bind(1, saved.id).bind(2, use_case).bind(3, std::int64_t{published ? 1 : 0});
  TRY_STATUS(update.run());
  TRY_STATUS(append_audit(*db, actor, "attach", "evaluation", std::to_string(saved.id), saved.latest.version, now));
  TRY_STATUS(transaction.commit());
  return fiche;
}

}  // namespace vigie::store::sqlite
