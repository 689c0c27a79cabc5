// libFuzzer target for the Accept-Encoding and Content-Type checks of the compression
// (web/compression.h): both headers come from the network or from handlers.
//
// Besides finding crashes, it checks that gzip refused with a weight of 0 stays refused after
// codings that do not mention it, and that gzip output is a gzip member (magic bytes).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/compression.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigie::web;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static_cast<void>(accepts_gzip(input));
  static_cast<void>(is_compressible_type(input));
  // A header that names neither gzip nor '*' before refusing gzip refuses it.
  std::string lowered(input);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowered.find("gzip") == std::string::npos && lowered.find('*') == std::string::npos && accepts_gzip(lowered + ", gzip;q=0")) {
    __builtin_trap();
  }
  if (size <= 4096) {
    const std::string compressed = gzip(input, GzipLevel::fast);
    if (compressed.size() < 18 || static_cast<unsigned char>(compressed[0]) != 0x1f || static_cast<unsigned char>(compressed[1]) != 0x8b) {
      __builtin_trap();
    }
  }
  return 0;
}
