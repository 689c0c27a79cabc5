// Keeps a SearchIndex in step with the store: a full rebuild, or the changes recorded after
// the index's sequence. Thread-safe (one catch-up at a time).
#pragma once

#include <functional>
#include <mutex>
#include <optional>

#include "search/search_index.h"
#include "store/use_case_store.h"

namespace vigie::search {

using OrganisationLookup = std::function<std::optional<domain::Organisation>(const std::string& code)>;

class IndexFollower {
 public:
  // References must outlive the follower.
  IndexFollower(SearchIndex& index, store::UseCaseStore& store, OrganisationLookup lookup)
      : index_(index), store_(store), lookup_(std::move(lookup)) {}

  // Reindexes every published fiche and records the store's last change.
  Status rebuild();
  // Applies the changes after the index's sequence (rebuilds when the index was never built).
  // Returns the number of changes applied.
  Result<std::size_t> catch_up();

 private:
  IndexDocument document_for(domain::UseCase use_case) const;

  SearchIndex& index_;
  store::UseCaseStore& store_;
  OrganisationLookup lookup_;
  std::mutex mutex_;  // one rebuild or catch-up at a time
};

}  // namespace vigie::search
