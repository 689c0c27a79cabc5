#include "store/sqlite/sqlite_assessment_store.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>
#include <vector>

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

// Pruning is done by Vigie, not by the visitor whose save needed the room.
const Actor kQuotaActor{"systeme:quota"};

// "12,5 ko" for people.
std::string kilobytes(std::size_t bytes) {
  std::string text = fmt::format("{:.1f}", static_cast<double>(bytes) / 1000.0);
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  for (auto& c : text) {
    if (c == '.') c = ',';
  }
  return text + "\u00A0ko";
}

Status check_size(std::string_view answers_json, const AssessmentLimits& limits) {
  if (answers_json.size() <= limits.max_answers_bytes) return {};
  return Error::too_large(fmt::format("Les réponses font {}, plus que les {} qu’une évaluation peut enregistrer\u00A0: "
                                      "raccourcissez les textes les plus longs.",
                                      kilobytes(answers_json.size()), kilobytes(limits.max_answers_bytes)));
}

Result<std::int64_t> stored_bytes(Database& db) {
  TRY_ASSIGN(auto statement, db.prepare("SELECT answers_bytes FROM assessment_storage WHERE id = 1"));
  TRY_ASSIGN(bool found, statement.step());
  return found ? statement.column_int(0) : std::int64_t{0};
}

// Makes room for `bytes` more bytes of answers under limits.max_total_bytes, inside the
// caller's transaction: superseded versions of unattached assessments go first, oldest saved
// first (assessment_store.h). `exhausted` when they are not enough; the caller's rollback then
// undoes the deletions, so nothing is pruned for a save that is refused.
Status make_room(Database& db, const AssessmentLimits& limits, std::int64_t bytes, const std::string& now) {
  TRY_ASSIGN(std::int64_t total, stored_bytes(db));
  struct Candidate {
    std::int64_t assessment_id;
    std::int64_t version;
    std::int64_t bytes;
  };
  while (total + bytes > limits.max_total_bytes) {
    std::vector<Candidate> batch;
    {
      TRY_ASSIGN(auto candidates, db.prepare(
          "SELECT v.assessment_id, v.version, length(CAST(v.answers AS BLOB)) FROM assessment_versions v"
          " JOIN assessments a ON a.id = v.assessment_id"
          " WHERE a.use_case_id IS NULL"
          "   AND v.version < (SELECT max(w.version) FROM assessment_versions w WHERE w.assessment_id = v.assessment_id)"
          " ORDER BY v.saved_at, v.assessment_id, v.version LIMIT 100"));
      while (true) {
        TRY_ASSIGN(bool has_row, candidates.step());
        if (!has_row) break;
        batch.push_back({candidates.column_int(0), candidates.column_int(1), candidates.column_int(2)});
      }
    }
    if (batch.empty()) {
      return Error::exhausted("L’espace réservé aux évaluations enregistrées est plein\u00A0: celle-ci n’a pas été enregistrée. "
                              "Réessayez plus tard, ou écrivez à l’observatoire si cela dure.");
    }
    for (const Candidate& candidate : batch) {
      if (total + bytes <= limits.max_total_bytes) break;
      TRY_ASSIGN(auto remove, db.prepare("DELETE FROM assessment_versions WHERE assessment_id = ?1 AND version = ?2"));
      remove.bind(1, candidate.assessment_id).bind(2, candidate.version);
      TRY_STATUS(remove.run());
      TRY_STATUS(append_audit(db, kQuotaActor, "prune", "evaluation", std::to_string(candidate.assessment_id), candidate.version, now));
      total -= candidate.bytes;
    }
  }
  return {};
}

// Deletes the versions of unattached assessment `id` older than the `versions_kept` latest,
// `latest` being its latest version.
Status keep_latest_versions(Database& db, const AssessmentLimits& limits, std::int64_t id, std::int64_t latest, const std::string& now) {
  const std::int64_t cutoff = latest - limits.versions_kept;
  if (cutoff < 1) return {};
  TRY_ASSIGN(auto remove, db.prepare("DELETE FROM assessment_versions WHERE assessment_id = ?1 AND version <= ?2"));
  remove.bind(1, id).bind(2, cutoff);
  TRY_STATUS(remove.run());
  if (db.changes() > 0) TRY_STATUS(append_audit(db, kQuotaActor, "prune", "evaluation", std::to_string(id), cutoff, now));
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
  TRY_STATUS(check_size(answers_json, limits_));
  const std::string token = new_token();
  const std::string now = clock_.now_rfc3339();
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_STATUS(make_room(*db, limits_, static_cast<std::int64_t>(answers_json.size()), now));
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
  TRY_STATUS(check_size(answers_json, limits_));
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(SavedAssessment saved, load(*db, token));
  if (saved.latest.version != expected_version) {
    return Error::conflict(fmt::format("L’évaluation a été enregistrée entre-temps (version {} au lieu de {}) : rechargez-la avant de l’enregistrer.",
                                       saved.latest.version, expected_version));
  }
  const std::string now = clock_.now_rfc3339();
  saved.latest = {saved.latest.version + 1, std::string(questionnaire_version), std::string(answers_json), now};
  if (!saved.use_case) TRY_STATUS(keep_latest_versions(*db, limits_, saved.id, saved.latest.version, now));
  TRY_STATUS(make_room(*db, limits_, static_cast<std::int64_t>(answers_json.size()), now));
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
