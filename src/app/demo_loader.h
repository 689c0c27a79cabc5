// The demonstration library (data/demo/fiches.json): fictitious fiches about real
// authorities, every one flagged `demo`. Loaded as one batch (all or nothing); loading the same
// file again changes nothing, a changed file replaces the previous demonstration fiches.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"
#include "core/clock.h"
#include "store/instance.h"
#include "store/use_case_store.h"

namespace vigie::app {

struct DemoLoadReport {
  std::size_t loaded = 0;     // 0 when the same file was already loaded
  bool already_loaded = false;
  std::string version;        // SHA-256 of the file
};

// Fails with `invalid` naming the file, the fiche ("cle") and the broken rules.
Result<DemoLoadReport> load_demo(const std::filesystem::path& file, store::Instance& instance, store::UseCaseStore& store,
                                 const Clock& clock);

}  // namespace vigie::app
