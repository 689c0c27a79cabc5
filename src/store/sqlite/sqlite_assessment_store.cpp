#include "store/sqlite/sqlite_assessment_store.h"

#include "store/sqlite/audit.h"

namespace vigie::store::sqlite {

namespace {

class SqliteAssessmentTables final : public AssessmentTables {
 public:
  explicit SqliteAssessmentTables(Database& db) : db_(db) {}

  Result<std::optional<SavedAssessment>> load(const std::string& token_hash) override {
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT a.id, a.tool, a.use_case_id, a.published, a.created_at, v.version, v.questionnaire_version, v.answers, v.saved_at"
        " FROM assessments a JOIN assessment_versions v ON v.assessment_id = a.id"
        " WHERE a.token_hash = ?1 ORDER BY v.version DESC LIMIT 1"));
    statement.bind(1, token_hash);
    TRY_ASSIGN(bool found, statement.step());
    if (!found) return std::optional<SavedAssessment>{};
    SavedAssessment saved;
    saved.id = statement.column_int(0);
    saved.tool = statement.column_text(1);
    saved.use_case = statement.column_optional_int(2);
    saved.published = statement.column_int(3) != 0;
    saved.created_at = statement.column_text(4);
    saved.latest = {statement.column_int(5), statement.column_text(6), statement.column_text(7), statement.column_text(8)};
    return std::optional<SavedAssessment>(std::move(saved));
  }

  Result<std::int64_t> insert(const std::string& token_hash, std::string_view tool, const std::string& created_at) override {
    TRY_ASSIGN(auto insert, db_.prepare("INSERT INTO assessments (token_hash, tool, created_at) VALUES (?1, ?2, ?3)"));
    insert.bind(1, token_hash).bind(2, tool).bind(3, created_at);
    TRY_STATUS(insert.run());
    return db_.last_insert_id();
  }

  Status insert_version(std::int64_t id, const AssessmentVersion& version) override {
    TRY_ASSIGN(auto insert, db_.prepare(
        "INSERT INTO assessment_versions (assessment_id, version, questionnaire_version, answers, saved_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.bind(1, id).bind(2, version.version).bind(3, version.questionnaire_version).bind(4, version.answers_json)
        .bind(5, version.saved_at);
    return insert.run();
  }

  Result<std::vector<AssessmentVersion>> versions(std::int64_t id) override {
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT version, questionnaire_version, answers, saved_at FROM assessment_versions WHERE assessment_id = ?1 ORDER BY version"));
    statement.bind(1, id);
    std::vector<AssessmentVersion> found;
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      found.push_back({statement.column_int(0), statement.column_text(1), statement.column_text(2), statement.column_text(3)});
    }
    return found;
  }

  Result<std::int64_t> stored_bytes() override {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT answers_bytes FROM assessment_storage WHERE id = 1"));
    TRY_ASSIGN(bool found, statement.step());
    return found ? statement.column_int(0) : std::int64_t{0};
  }

  Result<std::vector<PrunableVersion>> prunable_versions(std::size_t limit) override {
    TRY_ASSIGN(auto candidates, db_.prepare(
        "SELECT v.assessment_id, v.version, length(CAST(v.answers AS BLOB)) FROM assessment_versions v"
        " JOIN assessments a ON a.id = v.assessment_id"
        " WHERE a.use_case_id IS NULL"
        "   AND v.version < (SELECT max(w.version) FROM assessment_versions w WHERE w.assessment_id = v.assessment_id)"
        " ORDER BY v.saved_at, v.assessment_id, v.version LIMIT ?1"));
    candidates.bind(1, static_cast<std::int64_t>(limit));
    std::vector<PrunableVersion> batch;
    while (true) {
      TRY_ASSIGN(bool has_row, candidates.step());
      if (!has_row) break;
      batch.push_back({candidates.column_int(0), candidates.column_int(1), candidates.column_int(2)});
    }
    return batch;
  }

  Status delete_version(std::int64_t id, std::int64_t version) override {
    TRY_ASSIGN(auto remove, db_.prepare("DELETE FROM assessment_versions WHERE assessment_id = ?1 AND version = ?2"));
    remove.bind(1, id).bind(2, version);
    return remove.run();
  }

  Result<std::int64_t> delete_versions_up_to(std::int64_t id, std::int64_t version) override {
    TRY_ASSIGN(auto remove, db_.prepare("DELETE FROM assessment_versions WHERE assessment_id = ?1 AND version <= ?2"));
    remove.bind(1, id).bind(2, version);
    TRY_STATUS(remove.run());
    return static_cast<std::int64_t>(db_.changes());
  }

  Status attach(std::int64_t id, domain::UseCaseId use_case, bool published) override {
    TRY_ASSIGN(auto update, db_.prepare("UPDATE assessments SET use_case_id = ?2, published = ?3 WHERE id = ?1"));
    update.bind(1, id).bind(2, use_case).bind(3, std::int64_t{published ? 1 : 0});
    return update.run();
  }

  Status append_audit(const Actor& actor, std::string_view action, std::int64_t id, std::int64_t version,
                      const std::string& now) override {
    return sqlite::append_audit(db_, actor, action, "evaluation", std::to_string(id), version, now);
  }

 private:
  Database& db_;
};

// A transaction on a connection of the pool: BEGIN IMMEDIATE for writes (the write lock at once),
// deferred for reads.
class SqliteStoreTransaction final : public StoreTransaction {
 public:
  static Result<std::unique_ptr<StoreTransaction>> begin(ConnectionPool& pool, TransactionKind kind) {
    TRY_ASSIGN(auto db, pool.acquire());
    TRY_ASSIGN(auto transaction, Transaction::begin(*db, kind == TransactionKind::write ? Transaction::Kind::immediate
                                                                                         : Transaction::Kind::deferred));
    return std::unique_ptr<StoreTransaction>(new SqliteStoreTransaction(std::move(db), std::move(transaction)));
  }

  UseCaseTables& use_cases() override { return *use_cases_; }
  AssessmentTables& assessments() override { return assessments_; }
  Status commit() override { return transaction_.commit(); }

 private:
  SqliteStoreTransaction(ConnectionPool::Lease db, Transaction transaction)
      : db_(std::move(db)), transaction_(std::move(transaction)), use_cases_(use_case_tables(*db_)), assessments_(*db_) {}

  ConnectionPool::Lease db_;
  Transaction transaction_;  // rolls back unless committed, before the lease returns the connection
  std::unique_ptr<UseCaseTables> use_cases_;
  SqliteAssessmentTables assessments_;
};

}  // namespace

SqliteAssessmentStore::SqliteAssessmentStore(ConnectionPool& pool, const SqliteUseCaseStore& use_cases, const Clock& clock,
                                             AssessmentLimits limits)
    : TransactionalAssessmentStore([&pool](TransactionKind kind) { return SqliteStoreTransaction::begin(pool, kind); },
                                   use_cases.taxonomies(), clock, limits) {}

}  // namespace vigie::store::sqlite
