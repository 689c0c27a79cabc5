#include "app/page_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace vigie::app {
namespace {

using namespace std::chrono_literals;

web::Request get(std::string target) {
  web::Request request;
  request.target = target;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = web::QueryParams::parse(std::string_view(target).substr(question + 1));
  return request;
}

std::string header(const web::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

class PageCacheTest : public ::testing::Test {
 protected:
  PageCache make(PageCacheOptions options = {}) {
    return PageCache([this] { return Result<std::int64_t>(sequence_.load()); }, nullptr, std::move(options));
  }

  std::atomic<std::int64_t> sequence_{7};
};

TEST_F(PageCacheTest, ParametersThePageDoesNotReadHitTheCache) {
  PageCache cache = make();
  std::atomic<int> renders{0};
  const web::Handler library = cache.decorator()({"q", "page"}, [&](const web::Request& request) {
    ++renders;
    return web::Response::html("<p>" + request.target + "</p>");
  });
  const web::Response first = library(get("/bibliotheque?q=eau&page=2"));
  EXPECT_EQ(first.body, "<p>/bibliotheque?page=2&q=eau</p>");
  for (const char* junk : {"/bibliotheque?q=eau&page=2&utm_source=lettre", "/bibliotheque?page=2&q=eau",
                           "/bibliotheque?_=1&q=eau&x=%00&page=2&y=2"}) {
    EXPECT_EQ(library(get(junk)).body, first.body) << junk;
  }
  EXPECT_EQ(renders.load(), 1);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.hits(), 3u);
  library(get("/bibliotheque?q=air&page=2"));
  EXPECT_EQ(renders.load(), 2) << "a parameter read is part of the key";
}

TEST_F(PageCacheTest, CachedAnswersCarryAnETagOfTheChangeSequenceAndRevalidate) {
  PageCache cache = make();
  const web::Handler page = cache.decorator()({}, [](const web::Request&) { return web::Response::html("<p>accueil</p>"); });
  const web::Response first = page(get("/"));
  const std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(etag.find("\"7-"), std::string::npos) << etag;
  EXPECT_EQ(header(first, "Cache-Control"), "public, no-cache");
  EXPECT_EQ(header(page(get("/?x=1")), "ETag"), etag);
  sequence_ = 8;
  cache.refresh();
  EXPECT_NE(header(page(get("/")), "ETag"), etag) << "a write changes the validator";
}

TEST_F(PageCacheTest, AHandlersOwnValidatorAndPolicyAreKept) {
  PageCache cache = make();
  const web::Handler fiche = cache.decorator()({}, [](const web::Request&) {
    return web::Response::json("{}").with_header("ETag", "\"12-3\"").with_header("Cache-Control", "public, max-age=5");
  });
  const web::Response answer = fiche(get("/api/v1/fiches/12"));
  EXPECT_EQ(header(answer, "ETag"), "\"12-3\"");
  EXPECT_EQ(header(answer, "Cache-Control"), "public, max-age=5");
}

TEST_F(PageCacheTest, ConcurrentMissesOfOneKeyRenderOnce) {
  PageCacheOptions options;
  options.max_concurrent_renders = 4;
  PageCache cache = make(options);
  std::atomic<int> renders{0};
  const web::Handler slow = cache.decorator()({"q"}, [&](const web::Request&) {
    ++renders;
    std::this_thread::sleep_for(200ms);
    return web::Response::html("<p>lent</p>");
  });
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&, i] {
      if (slow(get("/bibliotheque?q=eau&n=" + std::to_string(i))).body == "<p>lent</p>") ++answered;
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(answered.load(), 6);
  EXPECT_EQ(renders.load(), 1);
}

TEST_F(PageCacheTest, MissesBeyondTheBoundWaitThenGet503WithRetryAfter) {
  PageCacheOptions options;
  options.max_concurrent_renders = 1;
  options.render_wait = 50ms;
  PageCache cache = make(options);
  std::atomic<bool> release{false};
  const web::Handler slow = cache.decorator()({"q"}, [&](const web::Request&) {
    while (!release) std::this_thread::sleep_for(5ms);
    return web::Response::html("<p>lent</p>");
  });
  std::thread first([&] { EXPECT_EQ(slow(get("/bibliotheque?q=a")).status, 200u); });
  std::this_thread::sleep_for(30ms);
  const web::Response refused = slow(get("/bibliotheque?q=b"));
  EXPECT_EQ(refused.status, 503u);
  EXPECT_EQ(header(refused, "Retry-After"), "1");
  release = true;
  first.join();
  EXPECT_EQ(slow(get("/bibliotheque?q=b")).status, 200u) << "a later miss renders";
}

TEST_F(PageCacheTest, AnAuthorisedRequestIsNeverCached) {
  PageCache cache = make();
  std::atomic<int> renders{0};
  const web::Handler fiche = cache.decorator()({}, [&](const web::Request&) {
    ++renders;
    return web::Response::json("{}");
  });
  web::Request request = get("/api/v1/fiches/3");
  request.headers.emplace_back("authorization", "Bearer x");
  fiche(request);
  fiche(request);
  EXPECT_EQ(renders.load(), 2);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace vigie::app
