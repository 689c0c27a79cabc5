// libFuzzer target for the conditional request headers, parsed where they are used: If-Match
// by the API's writes (DELETE /api/v1/fiches/{id}), If-None-Match by the API's reads and by the
// static files (web/static_files.h). The input is the header's value.
//
// Besides finding crashes, it checks the answers: an archive of a fiche that does not exist is
// 400 (no revision read) or 404, never a 5xx; a read is 200 or 304, and 304 only when the
// header names the response's ETag or is "*".
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "api/api.h"
#include "store/sqlite/sqlite_directory.h"
#include "tests/fuzz/fuzz_library.h"
#include "web/router.h"
#include "web/static_files.h"

namespace {

constexpr std::string_view kToken = "fuzz-token-0123456789abcdef0123456789";

struct Fixture {
  vigie::web::Router router;
  std::unique_ptr<vigie::store::sqlite::SqliteDirectory> organisations;
  std::unique_ptr<vigie::api::Api> api;
  std::unique_ptr<vigie::web::StaticFiles> static_files;
};

Fixture& fixture() {
  static Fixture* made = [] {
    auto* fixture = new Fixture;
    auto& library = vigie::fuzz::library();
    vigie::api::ApiOptions options;
    options.admin_token = std::string(kToken);
    fixture->organisations = std::make_unique<vigie::store::sqlite::SqliteDirectory>(*library.pool);
    fixture->api = std::make_unique<vigie::api::Api>(library.taxonomies, *library.store, *fixture->organisations, nullptr, options);
    fixture->api->register_routes(fixture->router, vigie::web::canonical_only_decorator());
    std::filesystem::create_directories(library.directory / "static");
    std::ofstream(library.directory / "static" / "site.css") << "body { color: black; }\n";
    fixture->static_files = std::make_unique<vigie::web::StaticFiles>(library.directory / "static");
    return fixture;
  }();
  return *made;
}

vigie::web::Response call(vigie::web::Verb method, const std::string& path, const char* header, std::string_view value) {
  auto& router = fixture().router;
  vigie::web::Request request;
  request.method = method;
  request.path = path;
  request.target = path;
  request.headers = {{header, std::string(value)}, {"authorization", "Bearer " + std::string(kToken)}};
  const auto match = router.match(method, path);
  if (match.outcome != vigie::web::Router::Match::Outcome::found) __builtin_trap();
  request.params = match.params;
  return (*match.handler)(request);
}

std::string etag_of(const vigie::web::Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "ETag") return value;
  }
  return {};
}

void expect_read(const vigie::web::Response& response, std::string_view if_none_match) {
  if (response.status == 304) {
    std::string opaque = etag_of(response);
    if (opaque.size() >= 2 && opaque.front() == '"' && opaque.back() == '"') opaque = opaque.substr(1, opaque.size() - 2);
    // RFC 9110 §13.1.2: "*" matches any current representation.
    const bool any = if_none_match.find('*') != std::string_view::npos;
    if (opaque.empty() || (!any && if_none_match.find(opaque) == std::string_view::npos)) __builtin_trap();
  } else if (response.status != 200) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using vigie::web::Verb;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto& f = fixture();

  const auto archived = call(Verb::delete_, "/api/v1/fiches/999999", "if-match", input);
  if (archived.status != 400 && archived.status != 404) __builtin_trap();
  expect_read(call(Verb::get, "/api/v1/fiches/1", "if-none-match", input), input);

  vigie::web::Request request;
  request.path = "/static/site.css";
  request.target = request.path;
  request.headers = {{"if-none-match", std::string(input)}};
  const auto served = f.static_files->serve(request);
  if (!served) __builtin_trap();
  expect_read(*served, input);
  return 0;
}
