#include "store/postgres/postgres_assessment_store.h"

namespace vigie::store::postgres {

namespace {

class PostgresAssessmentTables final : public AssessmentTables {
 public:
  PostgresAssessmentTables(Connection& connection, TransactionKind kind) : connection_(connection), kind_(kind) {}

  // In a write, locked for the transaction (FOR UPDATE of the assessment row): two saves of one
  // version are serialised, the second seeing the first's version and getting the conflict
  // message.
  Result<std::optional<SavedAssessment>> load(const std::string& token_hash) override {
    TRY_ASSIGN(auto rows, connection_.query(
        kind_ == TransactionKind::write
            ? "SELECT a.id, a.tool, a.use_case_id, a.published, a.created_at, v.version, v.questionnaire_version, v.answers,"
              " v.saved_at FROM assessments a JOIN assessment_versions v ON v.assessment_id = a.id"
              " WHERE a.token_hash = $1 ORDER BY v.version DESC LIMIT 1 FOR UPDATE OF a"
            : "SELECT a.id, a.tool, a.use_case_id, a.published, a.created_at, v.version, v.questionnaire_version, v.answers,"
              " v.saved_at FROM assessments a JOIN assessment_versions v ON v.assessment_id = a.id"
              " WHERE a.token_hash = $1 ORDER BY v.version DESC LIMIT 1",
        {text(token_hash)}));
    if (rows.empty()) return std::optional<SavedAssessment>{};
    SavedAssessment saved;
    saved.id = rows.integer(0, 0);
    saved.tool = rows.text(0, 1);
    if (!rows.is_null(0, 2)) saved.use_case = rows.integer(0, 2);
    saved.published = rows.integer(0, 3) != 0;
    saved.created_at = rows.text(0, 4);
    saved.latest = {rows.integer(0, 5), rows.text(0, 6), rows.text(0, 7), rows.text(0, 8)};
    return std::optional<SavedAssessment>(std::move(saved));
  }

  Result<std::int64_t> insert(const std::string& token_hash, std::string_view tool, const std::string& created_at) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "INSERT INTO assessments (token_hash, tool, created_at) VALUES ($1, $2, $3) RETURNING id",
        {text(token_hash), text(tool), text(created_at)}));
    return rows.integer(0, 0);
  }

  Status insert_version(std::int64_t id, const AssessmentVersion& version) override {
    return connection_.execute(
        "INSERT INTO assessment_versions (assessment_id, version, questionnaire_version, answers, saved_at)"
        " VALUES ($1::bigint, $2::bigint, $3, $4, $5)",
        {integer(id), integer(version.version), text(version.questionnaire_version), text(version.answers_json),
         text(version.saved_at)});
  }

  Result<std::vector<AssessmentVersion>> versions(std::int64_t id) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT version, questionnaire_version, answers, saved_at FROM assessment_versions"
        " WHERE assessment_id = $1::bigint ORDER BY version",
        {integer(id)}));
    std::vector<AssessmentVersion> found;
    for (int row = 0; row < rows.size(); ++row) {
      found.push_back({rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3)});
    }
    return found;
  }

  Result<std::int64_t> stored_bytes() override {
    TRY_ASSIGN(auto rows, connection_.query("SELECT answers_bytes FROM assessment_storage WHERE id = 1"));
    return rows.empty() ? std::int64_t{0} : rows.integer(0, 0);
  }

  Result<std::vector<PrunableVersion>> prunable_versions(std::size_t limit) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT v.assessment_id, v.version, octet_length(v.answers) FROM assessment_versions v"
        " JOIN assessments a ON a.id = v.assessment_id"
        " WHERE a.use_case_id IS NULL"
        "   AND v.version < (SELECT max(w.version) FROM assessment_versions w WHERE w.assessment_id = v.assessment_id)"
        " ORDER BY v.saved_at, v.assessment_id, v.version LIMIT $1::bigint",
        {integer(static_cast<std::int64_t>(limit))}));
    std::vector<PrunableVersion> batch;
    for (int row = 0; row < rows.size(); ++row) batch.push_back({rows.integer(row, 0), rows.integer(row, 1), rows.integer(row, 2)});
    return batch;
  }

  Status delete_version(std::int64_t id, std::int64_t version) override {
    return connection_.execute("DELETE FROM assessment_versions WHERE assessment_id = $1::bigint AND version = $2::bigint",
                               {integer(id), integer(version)});
  }

  Result<std::int64_t> delete_versions_up_to(std::int64_t id, std::int64_t version) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "DELETE FROM assessment_versions WHERE assessment_id = $1::bigint AND version <= $2::bigint",
        {integer(id), integer(version)}));
    return rows.affected();
  }

  Status attach(std::int64_t id, domain::UseCaseId use_case, bool published) override {
    return connection_.execute("UPDATE assessments SET use_case_id = $2::bigint, published = $3::integer WHERE id = $1::bigint",
                               {integer(id), integer(use_case), integer(published ? 1 : 0)});
  }

  Status append_audit(const Actor& actor, std::string_view action, std::int64_t id, std::int64_t version,
                      const std::string& now) override {
    return connection_.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, revision)"
        " VALUES ($1, $2, $3, 'evaluation', $4, $5::bigint)",
        {text(now), text(actor.id), text(action), text(std::to_string(id)), integer(version)});
  }

 private:
  Connection& connection_;
  const TransactionKind kind_;
};

// A transaction on a connection of the pool (READ ONLY for reads).
class PostgresStoreTransaction final : public StoreTransaction {
 public:
  static Result<std::unique_ptr<StoreTransaction>> begin(ConnectionPool& pool, TransactionKind kind) {
    TRY_ASSIGN(auto connection, pool.acquire());
    TRY_ASSIGN(auto transaction, Transaction::begin(*connection));
    if (kind == TransactionKind::read) TRY_STATUS(connection->execute("SET TRANSACTION READ ONLY"));
    return std::unique_ptr<StoreTransaction>(new PostgresStoreTransaction(std::move(connection), std::move(transaction), kind));
  }

  UseCaseTables& use_cases() override { return *use_cases_; }
  AssessmentTables& assessments() override { return assessments_; }
  Status commit() override { return transaction_.commit(); }

 private:
  PostgresStoreTransaction(ConnectionPool::Lease connection, Transaction transaction, TransactionKind kind)
      : connection_(std::move(connection)), transaction_(std::move(transaction)),
        use_cases_(use_case_tables(*connection_)), assessments_(*connection_, kind) {}

  ConnectionPool::Lease connection_;
  Transaction transaction_;  // rolls back unless committed, before the lease returns the connection
  std::unique_ptr<UseCaseTables> use_cases_;
  PostgresAssessmentTables assessments_;
};

}  // namespace

PostgresAssessmentStore::PostgresAssessmentStore(ConnectionPool& pool, const PostgresUseCaseStore& use_cases, const Clock& clock,
                                                 AssessmentLimits limits)
    : TransactionalAssessmentStore([&pool](TransactionKind kind) { return PostgresStoreTransaction::begin(pool, kind); },
                                   use_cases.taxonomies(), clock, limits) {}

}  // namespace vigie::store::postgres
