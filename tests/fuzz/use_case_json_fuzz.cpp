// libFuzzer target for the fiche's JSON form (domain/use_case_json.h): API bodies and import
// files reach from_json as parsed JSON.
//
// Besides finding crashes, it checks that a fiche read back from its own JSON gives the same
// JSON (to_json ∘ from_json is the identity on what to_json produces).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/use_case_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using vigie::domain::ReadOnlyFields;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const nlohmann::json document = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  for (const ReadOnlyFields mode : {ReadOnlyFields::ignore, ReadOnlyFields::keep}) {
    auto fiche = vigie::domain::from_json(document, mode);
    if (!fiche.ok()) continue;
    const nlohmann::json written = vigie::domain::to_json(*fiche);
    auto again = vigie::domain::from_json(written, ReadOnlyFields::keep);
    if (!again.ok() || vigie::domain::to_json(*again) != written) __builtin_trap();
  }
  return 0;
}
