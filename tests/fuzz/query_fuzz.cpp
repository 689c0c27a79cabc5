// libFuzzer target for the query-string decoder: QueryParams::parse and url_decode take bytes
// straight from the network.
//
// Built by cmake/fuzzing.cmake: `make fuzz` runs it under libFuzzer; CTest replays its seeds.
//
// Besides finding crashes, it checks two properties on every input:
//   - parse(encode(parse(x))) == parse(x): encoding loses nothing parse produced;
//   - url_decode(url_encode(s)) == s, for both query and path decoding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/http.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using vigie::web::QueryParams;

  const QueryParams query = QueryParams::parse(input);
  for (const auto& [key, value] : query.items()) {
    if (!query.has(key)) __builtin_trap();
    static_cast<void>(query.get(key));
    static_cast<void>(query.all(key));
  }
  if (QueryParams::parse(query.encode()).items() != query.items()) __builtin_trap();

  for (const bool plus_is_space : {true, false}) {
    const std::string decoded = vigie::web::url_decode(input, plus_is_space);
    if (decoded.size() > input.size()) __builtin_trap();
    if (vigie::web::url_decode(vigie::web::url_encode(input), plus_is_space) != input) __builtin_trap();
  }
  return 0;
}
