#include "search/index_follower.h"

#include <algorithm>

namespace vigie::search {

IndexDocument IndexFollower::document_for(domain::UseCase use_case) const {
  IndexDocument document{std::move(use_case), {}, {}};
  for (const auto& code : document.use_case.owners) {
    auto owner = lookup_(code);
    if (!owner) continue;
    // Where the owner is, so that « Bretagne » or « Gard » finds its fiches.
    for (const auto& place : {owner->department_code.empty() ? std::string() : "departement-" + owner->department_code,
                              owner->region_code.empty() ? std::string() : "region-" + owner->region_code}) {
      if (place.empty()) continue;
      if (auto found = lookup_(place); found && found->code != owner->code) document.places.push_back(found->name);
    }
    document.owners.push_back(std::move(*owner));
  }
  return document;
}

Status IndexFollower::rebuild() {
  std::lock_guard lock(mutex_);
  // The sequence is read first: a change landing during the rebuild is applied again later,
  // which is harmless, rather than missed.
  TRY_ASSIGN(const std::int64_t sequence, store_.last_change());
  // Page by page, so that memory does not grow with the number of fiches.
  store::UseCaseListQuery query;
  query.limit = 1000;
  bool done = false;
  auto next_batch = [&]() -> Result<std::vector<IndexDocument>> {
    std::vector<IndexDocument> documents;
    if (done) return documents;
    TRY_ASSIGN(auto page, store_.list(query));
    documents.reserve(page.items.size());
    for (auto& use_case : page.items) documents.push_back(document_for(std::move(use_case)));
    done = page.next_cursor.empty() || page.items.empty();
    query.after = page.next_cursor;
    return documents;
  };
  return index_.rebuild(next_batch, sequence);
}

Result<std::size_t> IndexFollower::catch_up() {
  // Far behind (never built, or a bulk load such as the demo into a small index): one rebuild
  // beats catching up. Changes are applied by batches of 200 with one commit each, so a large
  // index is caught up rather than rebuilt unless it lags by more than it holds (a node of a
  // busy site may lag by thousands of changes after a pause; rebuilding 100,000 fiches takes
  // minutes).
  constexpr std::int64_t kAlwaysCatchUpBelow = 5000;
  TRY_ASSIGN(const std::int64_t last, store_.last_change());
  const std::int64_t behind = last - index_.sequence();
  if (index_.sequence() < 0 || behind > std::max(kAlwaysCatchUpBelow, index_.document_count())) {
    TRY_STATUS(rebuild());
    return std::size_t{0};
  }
  std::lock_guard lock(mutex_);
  std::size_t applied = 0;
  // Up to the change seen on entry: under a steady stream of writes (another node's), a
  // catch-up ends instead of chasing the stream, and the caller (a page about to be rendered)
  // sees every change made before it asked.
  while (index_.sequence() < last) {
    TRY_ASSIGN(auto changes, store_.changes_after(index_.sequence(), 200));
    if (changes.empty()) return applied;
    // One commit for the whole batch: under many writers, a catch-up carries every change
    // that arrived while the previous one committed.
    std::vector<IndexChange> batch;
    batch.reserve(changes.size());
    for (const auto& change : changes) {
      auto use_case = store_.get(change.id);
      if (use_case.ok()) {
        batch.push_back({change.sequence, change.id, document_for(std::move(use_case).value())});
      } else if (use_case.error().kind == ErrorKind::not_found) {
        batch.push_back({change.sequence, change.id, std::nullopt});
      } else {
        return std::move(use_case).error();
      }
    }
    TRY_STATUS(index_.apply_all(batch));
    applied += batch.size();
  }
  return applied;
}

}  // namespace vigie::search
