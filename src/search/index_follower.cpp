#include "search/index_follower.h"

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
  // Far behind (never built, or a bulk load such as the demo): one rebuild beats thousands of
  // commits.
  constexpr std::int64_t kRebuildBeyond = 500;
  TRY_ASSIGN(const std::int64_t last, store_.last_change());
  if (index_.sequence() < 0 || last - index_.sequence() > kRebuildBeyond) {
    TRY_STATUS(rebuild());
    return std::size_t{0};
  }
  std::lock_guard lock(mutex_);
  std::size_t applied = 0;
  while (true) {
    TRY_ASSIGN(auto changes, store_.changes_after(index_.sequence(), 200));
    if (changes.empty()) return applied;
    for (const auto& change : changes) {
      auto use_case = store_.get(change.id);
      if (use_case.ok()) {
        TRY_STATUS(index_.apply(document_for(std::move(use_case).value()), change.sequence));
      } else if (use_case.error().kind == ErrorKind::not_found) {
        TRY_STATUS(index_.remove(change.id, change.sequence));
      } else {
        return std::move(use_case).error();
      }
      ++applied;
    }
  }
}

}  // namespace vigie::search
