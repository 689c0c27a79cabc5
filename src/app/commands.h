// The subcommands of `vigie`. Each returns the process exit code and reports in French on
// stderr/stdout for people.
#pragma once

#include "app/config.h"

namespace vigie::app {

int command_setup(const Config& config);
int command_demo(const Config& config);
int command_serve(const Config& config);
int command_index(const Config& config);
// Copies the database, online, to `destination` (a new file, or a directory where a dated file
// is created). Works while `vigie serve` runs.
int command_backup(const Config& config, const std::filesystem::path& destination);
// Replaces the database of the data directory by the backup `source`, after checking it; refused
// while an instance serves the directory. The search index is removed, to be rebuilt.
int command_restore(const Config& config, const std::filesystem::path& source);
// Copies the whole instance from the store at `from` (the configured one when empty) into the
// empty store at `to` (addresses as VIGIE_DATABASE_URL takes them), then checks the copy
// (store/store_copy.h).
int command_copy_store(const Config& config, const std::string& from, const std::string& to);

}  // namespace vigie::app
