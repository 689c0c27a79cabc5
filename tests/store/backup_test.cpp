#include "store/sqlite/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_assessment_store.h"
#include "store/sqlite/sqlite_use_case_store.h"
#include "tests/support/fixtures.h"

namespace vigie::store::sqlite {
namespace {

// Every row of `sql` as one string per row (columns joined by tabs).
std::vector<std::string> rows(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  EXPECT_TRUE(statement.ok()) << sql << " : " << (statement.ok() ? std::string() : statement.error().message);
  std::vector<std::string> found;
  if (!statement.ok()) return found;
  while (true) {
    auto has_row = statement->step();
    EXPECT_TRUE(has_row.ok());
    if (!has_row.ok() || !*has_row) break;
    std::string row;
    for (int column = 0; column < statement->column_count(); ++column) row += (column ? "\t" : "") + statement->column_text(column);
    found.push_back(row);
  }
  return found;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = ConnectionPool::open(dir_.file("vigie.db"));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
    auto db = pool_->acquire();
    ASSERT_TRUE(db.ok());
    test::insert_organisations(**db);
    use_cases_ = std::make_unique<SqliteUseCaseStore>(*pool_, test::taxonomies(), clock_);
    assessments_ = std::make_unique<SqliteAssessmentStore>(*pool_, *use_cases_, clock_);
  }

  test::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<SqliteUseCaseStore> use_cases_;
  std::unique_ptr<SqliteAssessmentStore> assessments_;
  Actor actor_{"test"};
};

// The backup is taken while two threads write fiches and assessments: it must be exactly the
// source as it was at one instant, and hold everything committed before it started.
TEST_F(BackupTest, ABackupTakenDuringWritesIsOneConsistentSnapshot) {
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::atomic<int> saved{0};
  auto fiche_writer = [&] {
    while (!stop) {
      auto created = use_cases_->create(test::minimal_use_case(), actor_);
      ASSERT_TRUE(created.ok()) << created.error().message;
      domain::UseCase changed = *created;
      changed.summary = "Résumé modifié.";
      ASSERT_TRUE(use_cases_->update(changed, created->revision, actor_).ok());
      ++written;
    }
  };
  auto assessment_writer = [&] {
    while (!stop) {
      auto created = assessments_->create("analyse-droits-fondamentaux", "2026.1", R"({"champs":{"risques":"aucun"}})", actor_);
      ASSERT_TRUE(created.ok()) << created.error().message;
      ASSERT_TRUE(assessments_->save(created->second, "2026.1", R"({"champs":{"risques":"un"}})", 1, {}, actor_).ok());
      ++saved;
    }
  };
  std::thread fiches(fiche_writer);
  std::thread saves(assessment_writer);
  while (written < 20 || saved < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::int64_t committed_before = 0;
  {
    auto db = pool_->acquire();
    committed_before = std::stoll(rows(**db, "SELECT max(sequence) FROM changes").front());
  }
  auto summary = backup_database(dir_.file("vigie.db"), dir_.file("sauvegarde.db"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // writes go on after the backup
  stop = true;
  fiches.join();
  saves.join();
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->schema_version, latest_schema_version());
  EXPECT_GE(summary->last_change, committed_before);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("sauvegarde.db-wal")));

  auto backup = Database::open(dir_.file("sauvegarde.db"), OpenMode::read_only);
  ASSERT_TRUE(backup.ok());
  auto source = pool_->acquire();
  ASSERT_TRUE(source.ok());
  const std::int64_t last_change = summary->last_change;
  const std::string last_audit = rows(**backup, "SELECT max(id) FROM audit_log").front();
  ASSERT_LT(last_change, std::stoll(rows(**source, "SELECT max(sequence) FROM changes").front())) << "writes went on after the backup";
  // The log tables: exactly the source's rows up to the snapshot.
  EXPECT_EQ(rows(**backup, "SELECT * FROM changes ORDER BY sequence"),
            rows(**source, "SELECT * FROM changes WHERE sequence <= " + std::to_string(last_change) + " ORDER BY sequence"));
  EXPECT_EQ(rows(**backup, "SELECT * FROM audit_log ORDER BY id"),
            rows(**source, "SELECT * FROM audit_log WHERE id <= " + last_audit + " ORDER BY id"));
  // Every fiche is the source's fiche at the revision the snapshot holds, and that revision is
  // the latest of the snapshot's history.
  for (const auto& row : rows(**backup, "SELECT id, revision FROM use_cases ORDER BY id")) {
    const auto tab = row.find('\t');
    const std::string id = row.substr(0, tab);
    const std::string revision = row.substr(tab + 1);
    EXPECT_EQ(rows(**backup, "SELECT document FROM use_cases WHERE id = " + id),
              rows(**source, "SELECT document FROM use_case_revisions WHERE use_case_id = " + id + " AND revision = " + revision));
    EXPECT_EQ(rows(**backup, "SELECT max(revision) FROM use_case_revisions WHERE use_case_id = " + id).front(), revision);
  }
  EXPECT_EQ(rows(**backup, "SELECT count(*) FROM use_cases WHERE id NOT IN (SELECT CAST(entity_id AS INTEGER) FROM changes)").front(),
            "0");
  // Assessments and their versions: the source's rows.
  const std::string last_assessment = rows(**backup, "SELECT max(id) FROM assessments").front();
  EXPECT_EQ(rows(**backup, "SELECT * FROM assessments ORDER BY id"),
            rows(**source, "SELECT * FROM assessments WHERE id <= " + last_assessment + " ORDER BY id"));
  for (const auto& version : rows(**backup, "SELECT assessment_id, version, answers FROM assessment_versions ORDER BY 1, 2")) {
    const auto tab = version.find('\t');
    const auto tab2 = version.find('\t', tab + 1);
    EXPECT_EQ(rows(**source, "SELECT assessment_id, version, answers FROM assessment_versions WHERE assessment_id = " +
                             version.substr(0, tab) + " AND version = " + version.substr(tab + 1, tab2 - tab - 1)),
              std::vector<std::string>{version});
  }
}

TEST_F(BackupTest, AnExistingDestinationIsNeverOverwritten) {
  test::TempDir other;
  other.write("existant.db", "à garder");
  auto summary = backup_database(dir_.file("vigie.db"), other.file("existant.db"));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().kind, ErrorKind::conflict);
  std::ifstream kept(other.file("existant.db"));
  std::string content((std::istreambuf_iterator<char>(kept)), {});
  EXPECT_EQ(content, "à garder");
}

TEST_F(BackupTest, OnlyAnIntactVigieDatabaseOfAKnownSchemaPassesTheCheck) {
  ASSERT_TRUE(backup_database(dir_.file("vigie.db"), dir_.file("copie.db")).ok());
  EXPECT_TRUE(check_database(dir_.file("copie.db")).ok());

  EXPECT_EQ(check_database(dir_.file("absente.db")).error().kind, ErrorKind::not_found);

  dir_.write("texte.db", "ceci n’est pas une base");
  auto text = check_database(dir_.file("texte.db"));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().kind, ErrorKind::invalid);
  EXPECT_NE(text.error().message.find("n’est pas une base SQLite"), std::string::npos) << text.error().message;

  {
    auto other = Database::open(dir_.file("autre.db"));
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE((*other)->execute("CREATE TABLE notes (texte TEXT)").ok());
  }
  auto foreign = check_database(dir_.file("autre.db"));
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("n’est pas une base de Vigie"), std::string::npos) << foreign.error().message;

  {
    auto newer = Database::open(dir_.file("copie.db"));
    ASSERT_TRUE(newer.ok());
    ASSERT_TRUE((*newer)->execute("PRAGMA user_version = 9999").ok());
  }
  auto future = check_database(dir_.file("copie.db"));
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("version plus récente"), std::string::npos) << future.error().message;
}

TEST_F(BackupTest, ADamagedFileFailsTheIntegrityCheck) {
  ASSERT_TRUE(backup_database(dir_.file("vigie.db"), dir_.file("copie.db")).ok());
  // Overwrite pages in the middle of the file, the header left intact.
  {
    std::fstream file(dir_.file("copie.db"), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096 * 3);
    const std::string garbage(4096 * 4, '\x5a');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto damaged = check_database(dir_.file("copie.db"));
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.error().kind, ErrorKind::invalid);
}

}  // namespace
}  // namespace vigie::store::sqlite
