// libFuzzer target for the territorial referential reader (territory/referential_reader.h),
// which turns the npm package's JSON files into organisations: a new release of the package
// with an unexpected shape must be refused with a message, never crash `vigie setup`.
//
// The input is the package's files separated by NUL bytes, in this order: package.json,
// regions.json, departements.json, communes.json, epci.json, ept.json (a missing part is an
// empty file). They are written to a scratch directory, read, and removed.
//
// Besides finding crashes, it checks that every organisation read has a code and a name and
// comes after the organisation its parent_code names, when that one is in the referential.
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "territory/referential_reader.h"

namespace {

const std::filesystem::path& scratch_directory() {
  static const std::filesystem::path directory = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "vigie-referential-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) __builtin_trap();
    std::filesystem::create_directories(std::filesystem::path(pattern) / "data");
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_directory(), ignored);
    });
    return std::filesystem::path(pattern);
  }();
  return directory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<const char*, 6> kFiles = {"package.json", "data/regions.json", "data/departements.json",
                                                         "data/communes.json", "data/epci.json", "data/ept.json"};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto& directory = scratch_directory();
  for (const char* file : kFiles) {
    const std::size_t end = input.find('\0');
    const std::string_view part = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    std::ofstream(directory / file, std::ios::binary | std::ios::trunc).write(part.data(), static_cast<std::streamsize>(part.size()));
  }
  auto referential = vigie::territory::read_referential(directory);
  if (!referential.ok()) return 0;
  std::set<std::string, std::less<>> seen;
  std::set<std::string, std::less<>> all;
  for (const auto& organisation : referential->organisations) all.insert(organisation.code);
  for (const auto& organisation : referential->organisations) {
    if (organisation.code.empty() || organisation.name.empty()) __builtin_trap();
    if (!organisation.parent_code.empty() && all.contains(organisation.parent_code) && !seen.contains(organisation.parent_code)) {
      __builtin_trap();
    }
    seen.insert(organisation.code);
  }
  return 0;
}
