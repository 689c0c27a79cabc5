#include <gtest/gtest.h>

#include <map>
#include <string>

#include "pages/site_support.h"

namespace vigie::pages {
namespace {

// A directory that knows one authority, can be made unavailable, and counts what it is asked.
class CountingDirectory final : public store::OrganisationDirectory {
 public:
  bool down = false;
  std::map<std::string, int> asked;

  Result<domain::Organisation> find(std::string_view code) override {
    ++asked[std::string(code)];
    if (down) return Error::unavailable("base de données injoignable");
    if (code != "213502388") return Error::not_found("inconnue");
    domain::Organisation rennes;
    rennes.code = "213502388";
    rennes.name = "Rennes";
    return rennes;
  }
  Result<std::vector<domain::Organisation>> search(std::string_view, std::size_t) override { return std::vector<domain::Organisation>{}; }
  Result<std::vector<domain::Organisation>> closest_names(std::string_view, std::size_t) override { return std::vector<domain::Organisation>{}; }
  Result<std::vector<domain::Organisation>> parents(const domain::Organisation&) override { return std::vector<domain::Organisation>{}; }
  Result<std::vector<domain::Organisation>> members(const domain::Organisation&) override { return std::vector<domain::Organisation>{}; }
  Result<std::map<std::string, std::int64_t>> count_by_kind() override { return std::map<std::string, std::int64_t>{}; }
  Result<std::vector<store::OrganisationPeer>> peers_with_fiches(const domain::Organisation&, std::size_t) override {
    return std::vector<store::OrganisationPeer>{};
  }
  Result<std::int64_t> write_referential(std::string_view, std::string_view, const std::vector<domain::Organisation>&,
                                         std::string_view) override {
    return Error::internal("not used");
  }
};

TEST(RequestDirectoryTest, EachCodeIsLookedUpOnceFoundOrNot) {
  CountingDirectory backend;
  RequestDirectory directory(backend);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(directory.find("213502388"));
    EXPECT_EQ(directory.find("213502388")->name, "Rennes");
    EXPECT_FALSE(directory.find("000000000"));
  }
  EXPECT_EQ(backend.asked["213502388"], 1);
  EXPECT_EQ(backend.asked["000000000"], 1);
  EXPECT_FALSE(directory.unavailable());
}

TEST(RequestDirectoryTest, ADatabaseDownIsToldApartFromAnUnknownCodeAndNotRemembered) {
  CountingDirectory backend;
  backend.down = true;
  RequestDirectory directory(backend);
  EXPECT_FALSE(directory.find("213502388"));
  EXPECT_TRUE(directory.unavailable());
  backend.down = false;
  ASSERT_TRUE(directory.find("213502388"));
  EXPECT_EQ(backend.asked["213502388"], 2);
}

}  // namespace
}  // namespace vigie::pages
