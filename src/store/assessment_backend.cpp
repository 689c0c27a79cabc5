#include "store/assessment_backend.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>

#include "core/encoding.h"

namespace vigie::store {

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

// The assessment behind `token` with its latest version: the same answer, not_found, for any
// token that is not one (malformed or unknown).
Result<SavedAssessment> load(AssessmentTables& tables, std::string_view token) {
  if (token.size() != kTokenLength || !encoding::base64url_decode(token)) return Error::not_found(kUnknownLink);
  TRY_ASSIGN(auto found, tables.load(token_hash(token)));
  if (!found) return Error::not_found(kUnknownLink);
  return std::move(*found);
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

// Makes room for `bytes` more bytes of answers under limits_.max_total_bytes, inside the
// caller's transaction: superseded versions of unattached assessments go first, oldest saved
// first (assessment_store.h). `exhausted` when they are not enough; the caller's rollback then
// undoes the deletions, so nothing is pruned for a save that is refused.
Status TransactionalAssessmentStore::make_room(AssessmentTables& tables, std::int64_t bytes, const std::string& now) {
  TRY_ASSIGN(std::int64_t total, tables.stored_bytes());
  while (total + bytes > limits_.max_total_bytes) {
    TRY_ASSIGN(auto batch, tables.prunable_versions(100));
    if (batch.empty()) {
      return Error::exhausted("L’espace réservé aux évaluations enregistrées est plein\u00A0: celle-ci n’a pas été enregistrée. "
                              "Réessayez plus tard, ou écrivez à l’observatoire si cela dure.");
    }
    for (const PrunableVersion& candidate : batch) {
      if (total + bytes <= limits_.max_total_bytes) break;
      TRY_STATUS(tables.delete_version(candidate.assessment_id, candidate.version));
      TRY_STATUS(tables.append_audit(kQuotaActor, "prune", candidate.assessment_id, candidate.version, now));
      total -= candidate.bytes;
    }
  }
  return {};
}

// Deletes the versions of unattached assessment `id` older than the `versions_kept` latest,
// `latest` being its latest version.
Status TransactionalAssessmentStore::keep_latest_versions(AssessmentTables& tables, std::int64_t id, std::int64_t latest,
                                                          const std::string& now) {
  const std::int64_t cutoff = latest - limits_.versions_kept;
  if (cutoff < 1) return {};
  TRY_ASSIGN(std::int64_t deleted, tables.delete_versions_up_to(id, cutoff));
  if (deleted > 0) TRY_STATUS(tables.append_audit(kQuotaActor, "prune", id, cutoff, now));
  return {};
}

Result<std::pair<SavedAssessment, std::string>> TransactionalAssessmentStore::create(std::string_view tool,
                                                                                     std::string_view questionnaire_version,
                                                                                     std::string_view answers_json,
                                                                                     const Actor& actor) {
  TRY_STATUS(check_answers(answers_json));
  TRY_STATUS(check_size(answers_json, limits_));
  const std::string token = new_token();
  const std::string now = clock_.now_rfc3339();
  TRY_ASSIGN(auto transaction, begin_(TransactionKind::write));
  AssessmentTables& tables = transaction->assessments();
  TRY_STATUS(make_room(tables, static_cast<std::int64_t>(answers_json.size()), now));
  SavedAssessment saved;
  TRY_ASSIGN(saved.id, tables.insert(token_hash(token), tool, now));
  saved.tool = std::string(tool);
  saved.created_at = now;
  saved.latest = {1, std::string(questionnaire_version), std::string(answers_json), now};
  TRY_STATUS(tables.insert_version(saved.id, saved.latest));
  TRY_STATUS(tables.append_audit(actor, "create", saved.id, 1, now));
  TRY_STATUS(transaction->commit());
  return std::pair{std::move(saved), token};
}

Result<SavedAssessment> TransactionalAssessmentStore::find(std::string_view token) {
  TRY_ASSIGN(auto transaction, begin_(TransactionKind::read));
  return load(transaction->assessments(), token);
}

Result<std::vector<AssessmentVersion>> TransactionalAssessmentStore::versions(std::string_view token) {
  TRY_ASSIGN(auto transaction, begin_(TransactionKind::read));
  TRY_ASSIGN(const SavedAssessment saved, load(transaction->assessments(), token));
  return transaction->assessments().versions(saved.id);
}

Result<SavedAssessment> TransactionalAssessmentStore::save(std::string_view token, std::string_view questionnaire_version,
                                                           std::string_view answers_json, std::int64_t expected_version,
                                                           const domain::AssessmentSummary& summary, const Actor& actor) {
  TRY_STATUS(check_answers(answers_json));
  TRY_STATUS(check_size(answers_json, limits_));
  TRY_ASSIGN(auto transaction, begin_(TransactionKind::write));
  AssessmentTables& tables = transaction->assessments();
  TRY_ASSIGN(SavedAssessment saved, load(tables, token));
  if (saved.latest.version != expected_version) {
    return Error::conflict(fmt::format("L’évaluation a été enregistrée entre-temps (version {} au lieu de {}) : rechargez-la avant de l’enregistrer.",
                                       saved.latest.version, expected_version));
  }
  const std::string now = clock_.now_rfc3339();
  saved.latest = {saved.latest.version + 1, std::string(questionnaire_version), std::string(answers_json), now};
  if (!saved.use_case) TRY_STATUS(keep_latest_versions(tables, saved.id, saved.latest.version, now));
  TRY_STATUS(make_room(tables, static_cast<std::int64_t>(answers_json.size()), now));
  TRY_STATUS(tables.insert_version(saved.id, saved.latest));
  TRY_STATUS(tables.append_audit(actor, "update", saved.id, saved.latest.version, now));
  if (saved.use_case) {
    TRY_STATUS(record_assessment_summary(transaction->use_cases(), taxonomies_, clock_, *saved.use_case, saved.tool,
                                         stamped(summary, saved), actor));
  }
  TRY_STATUS(transaction->commit());
  return saved;
}

Result<domain::UseCase> TransactionalAssessmentStore::attach(std::string_view token, domain::UseCaseId use_case, bool published,
                                                             const domain::AssessmentSummary& summary, const Actor& actor) {
  TRY_ASSIGN(auto transaction, begin_(TransactionKind::write));
  AssessmentTables& tables = transaction->assessments();
  TRY_ASSIGN(SavedAssessment saved, load(tables, token));
  // Attached elsewhere before: that fiche loses this summary.
  if (saved.use_case && *saved.use_case != use_case) {
    TRY_STATUS(record_assessment_summary(transaction->use_cases(), taxonomies_, clock_, *saved.use_case, saved.tool,
                                         std::nullopt, actor));
  }
  saved.use_case = use_case;
  saved.published = published;
  // The fiche first: not_found when there is none.
  TRY_ASSIGN(auto fiche, record_assessment_summary(transaction->use_cases(), taxonomies_, clock_, use_case, saved.tool,
                                                   stamped(summary, saved), actor));
  const std::string now = clock_.now_rfc3339();
  TRY_STATUS(tables.attach(saved.id, use_case, published));
  TRY_STATUS(tables.append_audit(actor, "attach", saved.id, saved.latest.version, now));
  TRY_STATUS(transaction->commit());
  return fiche;
}

}  // namespace vigie::store
