// Reading whole files, with French errors naming the file.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace vigie {

// The bytes of `path`; `unavailable` naming the file when it cannot be read.
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace vigie
