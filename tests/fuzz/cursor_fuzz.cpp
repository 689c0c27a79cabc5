// libFuzzer target for the API's pagination cursors (`curseur`, read by the store's list()):
// clients send them back and may forge them. Each input is tried as a cursor as sent and as
// the base64url encoding of the input (to reach the decoded cursor's own syntax), in both
// sort orders, against a library of a few fiches.
//
// Besides finding crashes, it checks that a bad cursor is `invalid` (a 400, never a 500) and
// that a page never holds more fiches than asked.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/encoding.h"
#include "tests/fuzz/fuzz_library.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigie;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto& library = fuzz::library();
  for (const std::string& cursor : {std::string(input), encoding::base64url_encode(input)}) {
    if (cursor.empty()) continue;
    for (const auto sort : {store::UseCaseSort::recent, store::UseCaseSort::title}) {
      store::UseCaseListQuery query;
      query.sort = sort;
      query.limit = 2;
      query.after = cursor;
      auto page = library.store->list(query);
      if (!page.ok() && page.error().kind != ErrorKind::invalid) __builtin_trap();
      if (page.ok() && page->items.size() > query.limit) __builtin_trap();
    }
  }
  return 0;
}
