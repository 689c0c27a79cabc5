#include "api/json_body.h"

#include <gtest/gtest.h>

namespace vigie::api {
namespace {

web::Request json_request(std::string body) {
  web::Request request;
  request.method = web::Verb::post;
  request.headers.emplace_back("content-type", "application/json");
  request.body = std::move(body);
  return request;
}

TEST(JsonBodyTest, AWellFormedBodyIsRead) {
  auto document = read_json_body(json_request(R"({"titre": "A", "porteurs": [{"code": "1"}, {"code": "2"}]})"));
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ((*document)["titre"], "A");
}

TEST(JsonBodyTest, ARepeatedMemberIsRefusedNamingTheField) {
  const struct {
    const char* body;
    const char* field;
  } cases[] = {
      {R"({"titre": "A", "titre": "B"})", "titre"},
      {R"({"donnees": {"aipd": true, "aipd": false}})", "donnees.aipd"},
      {R"({"porteurs": [{"code": "1", "code": "2"}]})", "porteurs.code"},
  };
  for (const auto& c : cases) {
    auto document = read_json_body(json_request(c.body));
    ASSERT_FALSE(document.ok()) << c.body;
    EXPECT_EQ(document.error().kind, ErrorKind::invalid);
    ASSERT_EQ(document.error().fields.size(), 1u);
    EXPECT_EQ(document.error().fields[0].field, c.field);
    EXPECT_NE(document.error().message.find(std::string("« ") + c.field + " »"), std::string::npos) << document.error().message;
  }
}

TEST(JsonBodyTest, TheSameNameInSiblingObjectsIsNotARepetition) {
  EXPECT_TRUE(read_json_body(json_request(R"({"a": {"code": 1}, "b": {"code": 2}, "code": 3})")).ok());
  EXPECT_TRUE(read_json_body(json_request(R"([{"code": 1}, {"code": 2}])")).ok());
}

}  // namespace
}  // namespace vigie::api
