// UseCaseStore's contract, on every backend (tests/support/backends.h).
#include "store/use_case_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "core/text.h"
#include "tests/support/backends.h"

namespace vigie::store {
namespace {

using domain::UseCase;
using test::Backend;

class UseCaseStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.ok());
    ASSERT_TRUE(backend_.execute(test::kOrganisationsSql).ok());
  }

  // What the store holds, seen through its interfaces: every fiche whatever its state, the
  // change sequence, the audit log.
  std::vector<UseCase> all_fiches() {
    std::vector<UseCase> all;
    for (const char* state : {domain::kPublished, domain::kDraft, domain::kArchived}) {
      UseCaseListQuery query;
      query.filter.publication_state = state;
      query.limit = 1000;
      auto page = store_->list(query);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (page.ok()) all.insert(all.end(), page->items.begin(), page->items.end());
    }
    return all;
  }
  std::size_t changes() { return store_->changes_after(0, 100000).value().size(); }
  std::size_t audit_entries(AuditQuery query) {
    query.limit = 100000;
    auto entries = backend_.audit_log().entries(query);
    EXPECT_TRUE(entries.ok()) << entries.error().message;
    return entries.ok() ? entries->size() : 0;
  }
  std::size_t revisions(domain::UseCaseId id) { return store_->revisions(id).value().size(); }

  bool has_error_on(const Error& error, const std::string& field) {
    for (const auto& f : error.fields) {
      if (f.field == field) return true;
    }
    return false;
  }

  test::BackendStore backend_{GetParam()};
  UseCaseStore* store_ = backend_.ok() ? &backend_.use_cases() : nullptr;
  FixedClock& clock_ = backend_.clock();
  Actor actor_{"test"};
};

TEST_P(UseCaseStoreTest, FullFicheRoundTripsUnchanged) {
  UseCase original = test::full_use_case();
  auto created = store_->create(original, actor_);
  ASSERT_TRUE(created.ok()) << created.error().message << " " << (created.error().fields.empty() ? "" : created.error().fields[0].field + " " + created.error().fields[0].message);
  auto read = store_->get(created->id);
  ASSERT_TRUE(read.ok());
  original.id = created->id;
  original.revision = 1;
  original.created_at = original.updated_at = "2026-03-01T00:00:00Z";
  EXPECT_EQ(*read, original);
}

TEST_P(UseCaseStoreTest, CreateWritesRevisionChangeAndAuditEntry) {
  auto created = store_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(created.ok());
  const auto kept = store_->revisions(created->id).value();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].revision, 1);
  EXPECT_EQ(kept[0].actor, "test");
  EXPECT_EQ(kept[0].changed_at, "2026-03-01T00:00:00Z");
  EXPECT_EQ(changes(), 1u);
  const auto entries = backend_.audit_log().entries({.entity = "fiche", .entity_id = std::to_string(created->id)}).value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "test");
  EXPECT_EQ(entries[0].action, "create");
  EXPECT_EQ(entries[0].revision, 1);
  EXPECT_TRUE(store_->revisions(424242).value().empty());
  EXPECT_EQ(*store_->last_change(), 1);
}

TEST_P(UseCaseStoreTest, UnknownSirenIsRefusedAndNothingWritten) {
  UseCase u = test::minimal_use_case();
  u.owners = {"999999999"};
  auto created = store_->create(u, actor_);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, ErrorKind::invalid);
  EXPECT_TRUE(has_error_on(created.error(), "porteurs[0]"));
  EXPECT_TRUE(all_fiches().empty());
  EXPECT_EQ(changes(), 0u);
  EXPECT_EQ(audit_entries({}), 0u);
}

TEST_P(UseCaseStoreTest, UnknownTaxonomyCodeIsRefused) {
  UseCase u = test::minimal_use_case();
  u.techniques = {"telepathie"};
  auto created = store_->create(u, actor_);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(has_error_on(created.error(), "techniques[0]"));
  EXPECT_TRUE(all_fiches().empty());
}

TEST_P(UseCaseStoreTest, StaleRevisionIsAConflict) {
  auto created = store_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(created.ok());
  UseCase changed = *created;
  changed.title = "Nouveau titre";
  auto updated = store_->update(changed, 1, actor_);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->revision, 2);
  auto stale = store_->update(changed, 1, actor_);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
  EXPECT_EQ(store_->get(created->id)->title, "Nouveau titre");
  EXPECT_EQ(revisions(created->id), 2u);
}

TEST_P(UseCaseStoreTest, ArchiveHidesFromPublishedListButKeepsFiche) {
  auto created = store_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(created.ok());
  auto archived = store_->archive(created->id, 1, actor_);
  ASSERT_TRUE(archived.ok());
  EXPECT_EQ(archived->publication_state, domain::kArchived);
  EXPECT_EQ(store_->list({})->total, 0);
  EXPECT_TRUE(store_->get(created->id).ok());
}

TEST_P(UseCaseStoreTest, UpdateOfMissingFicheIsNotFound) {
  UseCase u = test::minimal_use_case();
  u.id = 42;
  auto updated = store_->update(u, 1, actor_);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().kind, ErrorKind::not_found);
}

TEST_P(UseCaseStoreTest, ListFiltersCombineOrWithinAndAcross) {
  UseCase a = test::minimal_use_case();
  UseCase b = test::minimal_use_case();
  b.title = "Chatbot";
  b.domains = {"relation-usagers"};
  b.techniques = {"ia-generative"};
  UseCase c = test::minimal_use_case();
  c.title = "Région";
  c.owners = {"region-53"};
  c.domains = {"relation-usagers"};
  for (const auto& u : {a, b, c}) ASSERT_TRUE(store_->create(u, actor_).ok());

  UseCaseListQuery query;
  query.filter.domains = {"dechets-proprete", "relation-usagers"};
  EXPECT_EQ(store_->list(query)->total, 3);
  query.filter.techniques = {"vision"};
  EXPECT_EQ(store_->list(query)->total, 2);
  query.filter.organisation_kinds = {"region"};
  EXPECT_EQ(store_->list(query)->total, 1);
  query.filter = {};
  query.filter.owner = "region-53";
  EXPECT_EQ(store_->list(query)->total, 1);
  // Bytes from an address bar that are not text find nothing, on every backend.
  for (const std::string& owner : {std::string("\xFF\xFE"), std::string("region-53\0x", 11)}) {
    query.filter.owner = owner;
    auto none = store_->list(query);
    ASSERT_TRUE(none.ok()) << none.error().message;
    EXPECT_EQ(none->total, 0);
  }
  query.filter = {};
  query.filter.text = "d\xE9" "chets";  // Latin-1, not UTF-8
  ASSERT_TRUE(store_->list(query).ok());
}

TEST_P(UseCaseStoreTest, CursorPaginationVisitsEveryFicheOnce) {
  for (int i = 0; i < 7; ++i) {
    UseCase u = test::minimal_use_case();
    u.title = "Fiche " + std::to_string(i);
    ASSERT_TRUE(store_->create(u, actor_).ok());
    clock_.advance(std::chrono::seconds(i % 2));  // ties on the sort key too
  }
  for (UseCaseSort sort : {UseCaseSort::recent, UseCaseSort::title}) {
    UseCaseListQuery query;
    query.sort = sort;
    query.limit = 3;
    std::set<domain::UseCaseId> seen;
    int pages = 0;
    while (true) {
      auto page = store_->list(query);
      ASSERT_TRUE(page.ok()) << page.error().message;
      for (const auto& u : page->items) EXPECT_TRUE(seen.insert(u.id).second);
      ++pages;
      if (page->next_cursor.empty()) break;
      query.after = page->next_cursor;
    }
    EXPECT_EQ(seen.size(), 7u);
    EXPECT_EQ(pages, 3);
  }
}

TEST_P(UseCaseStoreTest, GarbageCursorIsInvalid) {
  UseCaseListQuery query;
  query.after = "%%%";
  auto page = store_->list(query);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().kind, ErrorKind::invalid);
}

TEST_P(UseCaseStoreTest, SimilarAndByOwnersExcludeTheFicheItself) {
  auto a = store_->create(test::minimal_use_case(), actor_);
  auto b = store_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(a.ok() && b.ok());
  auto similar = store_->similar(a->id, 5);
  ASSERT_TRUE(similar.ok());
  ASSERT_EQ(similar->size(), 1u);
  EXPECT_EQ((*similar)[0].id, b->id);
  auto same_owner = store_->by_owners(a->owners, a->id, 5);
  ASSERT_TRUE(same_owner.ok());
  ASSERT_EQ(same_owner->size(), 1u);
  EXPECT_EQ((*same_owner)[0].id, b->id);
}

TEST_P(UseCaseStoreTest, DeploymentsFollowDeclaredLinksThenTheSameSolution) {
  UseCase original = test::minimal_use_case();
  original.provider = {"prestataire", "Civitek"};
  auto a = store_->create(original, actor_);
  ASSERT_TRUE(a.ok()) << a.error().message;
  UseCase reuse = test::minimal_use_case();
  reuse.owners = {"243500139"};
  reuse.relations = {{"reutilise", a->id}};
  auto b = store_->create(reuse, actor_);
  UseCase same_solution = test::minimal_use_case();
  same_solution.provider = {"prestataire", "CIVITEK"};  // names compare without case
  auto c = store_->create(same_solution, actor_);
  UseCase other_domain = same_solution;
  other_domain.domains = {"environnement"};
  auto d = store_->create(other_domain, actor_);
  UseCase draft = reuse;
  draft.publication_state = domain::kDraft;
  auto e = store_->create(draft, actor_);
  UseCase alternative = test::minimal_use_case();
  alternative.relations = {{"alternative-a", a->id}};
  auto f = store_->create(alternative, actor_);
  ASSERT_TRUE(b.ok() && c.ok() && d.ok() && e.ok() && f.ok());

  auto of_original = store_->deployments(a->id, 10);
  ASSERT_TRUE(of_original.ok()) << of_original.error().message;
  ASSERT_EQ(of_original->size(), 2u);
  EXPECT_EQ((*of_original)[0].use_case.id, b->id);
  EXPECT_EQ((*of_original)[0].link, DeploymentLink::reuses_it);
  EXPECT_EQ((*of_original)[1].use_case.id, c->id);
  EXPECT_EQ((*of_original)[1].link, DeploymentLink::same_solution);

  auto of_reuse = store_->deployments(b->id, 10);
  ASSERT_TRUE(of_reuse.ok());
  ASSERT_EQ(of_reuse->size(), 1u);
  EXPECT_EQ((*of_reuse)[0].use_case.id, a->id);
  EXPECT_EQ((*of_reuse)[0].link, DeploymentLink::reused_by_it);

  auto limited = store_->deployments(a->id, 1);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].use_case.id, b->id);
}

TEST_P(UseCaseStoreTest, ProviderNamesStartWithThePrefixWhateverTheCase) {
  for (const char* name : {"Civitek", "CIVITEK", "Civilis", "Aquaprévi"}) {
    UseCase u = test::minimal_use_case();
    u.provider = {"prestataire", name};
    ASSERT_TRUE(store_->create(u, actor_).ok());
  }
  ASSERT_TRUE(store_->create(test::minimal_use_case(), actor_).ok());  // no provider
  UseCase draft = test::minimal_use_case();
  draft.provider = {"prestataire", "Civigarde"};
  draft.publication_state = domain::kDraft;
  ASSERT_TRUE(store_->create(draft, actor_).ok());

  auto names = store_->provider_names("civi", 5);
  ASSERT_TRUE(names.ok()) << names.error().message;
  ASSERT_EQ(names->size(), 2u);
  EXPECT_EQ((*names)[0].second, 2);  // Civitek and CIVITEK are one provider
  EXPECT_EQ(text::fold((*names)[0].first), "civitek");
  EXPECT_EQ((*names)[1], (std::pair<std::string, std::int64_t>{"Civilis", 1}));
  EXPECT_EQ(store_->provider_names("aquapré", 5)->size(), 1u);
  EXPECT_TRUE(store_->provider_names("", 5)->empty());
  EXPECT_TRUE(store_->provider_names("zz", 5)->empty());
}

TEST_P(UseCaseStoreTest, KeyFiguresCountPublishedFiches) {
  UseCase production = test::minimal_use_case();
  production.status = "production";
  production.owners = {"213502388", "region-53"};
  ASSERT_TRUE(store_->create(production, actor_).ok());
  UseCase draft = test::minimal_use_case();
  draft.publication_state = domain::kDraft;
  ASSERT_TRUE(store_->create(draft, actor_).ok());
  auto figures = store_->key_figures();
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->published, 1);
  EXPECT_EQ(figures->in_production, 1);
  EXPECT_EQ(figures->organisations, 2);
  EXPECT_EQ(figures->domains, 1);
}

TEST_P(UseCaseStoreTest, ImportBatchLinksFichesOfTheBatchByPosition) {
  std::vector<ImportItem> items{{test::minimal_use_case(), "a", {}}, {test::minimal_use_case(), "b", {{"reutilise", 0}}}};
  auto ids = store_->import_batch(std::move(items), actor_, Timestamps::now, ImportMode::append);
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_EQ(ids->size(), 2u);
  auto second = store_->get((*ids)[1]);
  ASSERT_EQ(second->relations.size(), 1u);
  EXPECT_EQ(second->relations[0].target, (*ids)[0]);
}

TEST_P(UseCaseStoreTest, ImportBatchIsAllOrNothingAndNamesTheItem) {
  UseCase broken = test::minimal_use_case();
  broken.domains = {"inconnu"};
  std::vector<ImportItem> items{{test::minimal_use_case(), "ligne 2", {}}, {broken, "ligne 3", {}}};
  auto ids = store_->import_batch(std::move(items), actor_, Timestamps::now, ImportMode::append);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().message.rfind("ligne 3 : ", 0), 0u) << ids.error().message;
  EXPECT_TRUE(has_error_on(ids.error(), "domaines[0]"));
  EXPECT_TRUE(all_fiches().empty());
  EXPECT_EQ(changes(), 0u);
  EXPECT_EQ(audit_entries({}), 0u);
}

TEST_P(UseCaseStoreTest, ReplaceDemoRemovesOnlyDemonstrationFiches) {
  UseCase demo = test::minimal_use_case();
  demo.demo = true;
  ASSERT_TRUE(store_->create(demo, actor_).ok());
  ASSERT_TRUE(store_->create(test::minimal_use_case(), actor_).ok());
  std::vector<ImportItem> items{{demo, "nouvelle", {}}};
  ASSERT_TRUE(store_->import_batch(std::move(items), actor_, Timestamps::now, ImportMode::replace_demo).ok());
  const auto kept = all_fiches();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_NE(kept[0].demo, kept[1].demo) << "one demonstration fiche (the new one), one other";
  EXPECT_EQ(audit_entries({.action = "delete-demo"}), 1u);
}

TEST_P(UseCaseStoreTest, ReadersKeepWorkingDuringAWrite) {
  auto created = store_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(created.ok());
  auto write = backend_.open_write("UPDATE use_cases SET title = 'en cours' WHERE id = " + std::to_string(created->id));
  // While the write transaction is open, another thread reads the committed state.
  std::string title_seen;
  std::thread reader([&] {
    auto read = store_->get(created->id);
    if (read.ok()) title_seen = read->title;
  });
  reader.join();
  EXPECT_EQ(title_seen, created->title);
}

TEST_P(UseCaseStoreTest, ViewsAddUpAndListTheMostConsultedPublishedFichesWithoutChangingThem) {
  std::vector<domain::UseCaseId> ids;
  for (int i = 0; i < 3; ++i) {
    UseCase u = test::minimal_use_case();
    u.title = "Fiche " + std::to_string(i);
    ids.push_back(store_->create(u, actor_).value().id);
  }
  UseCase draft = test::minimal_use_case();
  draft.publication_state = domain::kDraft;
  const auto draft_id = store_->create(draft, actor_).value().id;
  const auto changes_before = store_->last_change().value();
  ASSERT_TRUE(store_->add_views({{ids[1], 2}, {ids[2], 5}, {draft_id, 50}, {999999, 7}}).ok());  // 999999: no such fiche
  ASSERT_TRUE(store_->add_views({{ids[1], 4}}).ok());
  ASSERT_TRUE(store_->add_views({}).ok());
  const auto most = store_->most_viewed(10).value();
  ASSERT_EQ(most.size(), 2u);  // never consulted and unpublished fiches are not listed
  EXPECT_EQ(most[0].id, ids[1]);  // 6 views
  EXPECT_EQ(most[1].id, ids[2]);  // 5 views
  EXPECT_EQ(store_->most_viewed(1).value().size(), 1u);
  EXPECT_EQ(store_->last_change().value(), changes_before);  // counting is no change of a fiche
  EXPECT_EQ(store_->get(ids[1]).value().revision, 1);
}

TEST_P(UseCaseStoreTest, CardsHoldWhatAListShowsInTheOrderAsked) {
  const auto first = store_->create(test::full_use_case(), actor_).value();
  UseCase other = test::minimal_use_case();
  other.title = "Autre fiche";
  const auto second = store_->create(other, actor_).value();
  const auto cards = store_->cards({second.id, 424242, first.id}).value();  // 424242: no such fiche
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].id, second.id);
  EXPECT_EQ(cards[1].id, first.id);
  const UseCase& card = cards[1];
  EXPECT_EQ(card.title, first.title);
  EXPECT_EQ(card.summary, first.summary);
  EXPECT_EQ(card.status, first.status);
  EXPECT_EQ(card.domains, first.domains);
  EXPECT_EQ(card.owners, first.owners);
  EXPECT_EQ(card.updated_at, first.updated_at);
  EXPECT_EQ(card.demo, first.demo);
  EXPECT_EQ(card.publication_state, first.publication_state);
  EXPECT_EQ(card.revision, first.revision);
  EXPECT_TRUE(card.description.empty());
  EXPECT_TRUE(store_->cards({}).value().empty());
}

// Two people saving the same revision at the same moment: one wins, the other is told the fiche
// changed, and no revision is lost or written twice.
TEST_P(UseCaseStoreTest, SimultaneousSavesOfOneRevisionGiveOneWinnerAndOneConflict) {
  const auto created = store_->create(test::minimal_use_case(), actor_).value();
  for (int round = 0; round < 5; ++round) {
    const auto current = store_->get(created.id).value();
    std::vector<Result<UseCase>> results(2, Error::internal("pas lancé"));
    std::vector<std::thread> writers;
    for (std::size_t w = 0; w < 2; ++w) {
      writers.emplace_back([&, w] {
        UseCase changed = current;
        changed.title = "Version " + std::to_string(round) + "-" + std::to_string(w);
        results[w] = store_->update(changed, current.revision, Actor{"agent-" + std::to_string(w)});
      });
    }
    for (auto& writer : writers) writer.join();
    const int won = (results[0].ok() ? 1 : 0) + (results[1].ok() ? 1 : 0);
    ASSERT_EQ(won, 1) << "round " << round;
    const auto& lost = results[0].ok() ? results[1] : results[0];
    EXPECT_EQ(lost.error().kind, ErrorKind::conflict) << lost.error().message;
  }
  EXPECT_EQ(store_->get(created.id).value().revision, 6);
  const auto kept = store_->revisions(created.id).value();
  ASSERT_EQ(kept.size(), 6u);
  for (std::size_t i = 0; i < kept.size(); ++i) EXPECT_EQ(kept[i].revision, static_cast<std::int64_t>(i + 1));
}

// Writers on several threads (on PostgreSQL, as on several nodes) while a follower reads the
// change sequence as a search index does: every change is seen, once, in order, even though
// transactions commit in any order.
TEST_P(UseCaseStoreTest, AFollowerOfTheChangeSequenceMissesNoWriteOfConcurrentWriters) {
  constexpr int kWriters = 8;
  constexpr int kWritesEach = 12;
  std::atomic<bool> done{false};
  std::vector<Change> followed;
  std::thread follower([&] {
    std::int64_t seen = 0;
    while (true) {
      const bool last_round = done.load();
      auto changes = store_->changes_after(seen, 1000);
      ASSERT_TRUE(changes.ok()) << changes.error().message;
      for (const auto& change : *changes) {
        EXPECT_GT(change.sequence, seen);
        seen = change.sequence;
        followed.push_back(change);
      }
      if (last_round && changes->empty()) break;
    }
  });
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      // Batches of 4 keep a transaction open well after its first change took its number.
      for (int i = 0; i < kWritesEach; i += 4) {
        std::vector<ImportItem> batch;
        for (int j = i; j < i + 4; ++j) {
          UseCase u = test::minimal_use_case();
          u.title = "Fiche " + std::to_string(w) + "-" + std::to_string(j);
          batch.push_back({u, u.title, {}});
        }
        if (!store_->import_batch(std::move(batch), Actor{"agent-" + std::to_string(w)}, Timestamps::now, ImportMode::append).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& writer : writers) writer.join();
  done = true;
  follower.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(followed.size(), static_cast<std::size_t>(kWriters * kWritesEach));
  std::set<domain::UseCaseId> ids;
  for (const auto& change : followed) ids.insert(change.id);
  EXPECT_EQ(ids.size(), followed.size()) << "each fiche created once, each creation seen once";
  for (const auto id : ids) EXPECT_EQ(revisions(id), 1u);
}

TEST_P(UseCaseStoreTest, TheAuditLogTellsWhoDidWhatMostRecentFirst) {
  const auto created = store_->create(test::minimal_use_case(), Actor{"agent-a"}).value();
  clock_.advance(std::chrono::seconds(60));
  UseCase changed = created;
  changed.title = "Titre revu";
  ASSERT_TRUE(store_->update(changed, 1, Actor{"agent-b"}).ok());
  clock_.advance(std::chrono::seconds(60));
  ASSERT_TRUE(store_->archive(created.id, 2, Actor{"moderation"}).ok());
  ASSERT_TRUE(store_->create(test::minimal_use_case(), Actor{"agent-a"}).ok());  // another fiche

  const auto of_fiche = backend_.audit_log().entries({.entity = "fiche", .entity_id = std::to_string(created.id)}).value();
  ASSERT_EQ(of_fiche.size(), 3u);
  EXPECT_EQ(of_fiche[0].action, "archive");
  EXPECT_EQ(of_fiche[0].actor, "moderation");
  EXPECT_EQ(of_fiche[0].revision, 3);
  EXPECT_EQ(of_fiche[0].at, "2026-03-01T00:02:00Z");
  EXPECT_EQ(of_fiche[1].action, "update");
  EXPECT_EQ(of_fiche[1].actor, "agent-b");
  EXPECT_EQ(of_fiche[2].action, "create");
  EXPECT_EQ(audit_entries({.actor = "agent-a"}), 2u);
  EXPECT_EQ(audit_entries({.actor = "agent-a", .action = "update"}), 0u);
  EXPECT_EQ(backend_.audit_log().entries({.limit = 1}).value().size(), 1u);
  const auto history = store_->revisions(created.id).value();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].actor, "agent-b");
  EXPECT_EQ(history[1].changed_at, "2026-03-01T00:01:00Z");
}

INSTANTIATE_TEST_SUITE_P(Backends, UseCaseStoreTest, testing::Values(Backend::sqlite, Backend::postgres), test::backend_name);

}  // namespace
}  // namespace vigie::store
