#include "web/router.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace vigie::web {
namespace {

using Items = std::vector<std::pair<std::string, std::string>>;
using Outcome = Router::Match::Outcome;

Handler answering(std::string body) {
  return [body = std::move(body)](const Request&) { return Response::text(body); };
}

// Calls the matched handler and returns its body, so a test can tell which route was chosen.
std::string body_of(const Router::Match& match) {
  if (match.handler == nullptr) return "(none)";
  return (*match.handler)(Request{}).body;
}

TEST(RouterTest, MatchesLiteralPath) {
  Router router;
  router.add(Verb::get, "/bibliotheque", "library", answering("library"));
  const Router::Match match = router.match(Verb::get, "/bibliotheque");
  EXPECT_EQ(match.outcome, Outcome::found);
  EXPECT_EQ(match.route_name, "library");
  EXPECT_EQ(body_of(match), "library");
  EXPECT_TRUE(match.params.empty());
}

TEST(RouterTest, RootMatchesOnlyRoot) {
  Router router;
  router.add(Verb::get, "/", "home", answering("home"));
  EXPECT_EQ(router.match(Verb::get, "/").outcome, Outcome::found);
  EXPECT_EQ(router.match(Verb::get, "/x").outcome, Outcome::not_found);
}

TEST(RouterTest, CapturesWholeSegments) {
  Router router;
  router.add(Verb::get, "/api/v1/collectivites/{siren}/fiches/{id}", "api.org.fiche", answering("x"));
  const Router::Match match = router.match(Verb::get, "/api/v1/collectivites/200046977/fiches/12-détection");
  ASSERT_EQ(match.outcome, Outcome::found);
  EXPECT_EQ(match.params, (Items{{"siren", "200046977"}, {"id", "12-détection"}}));
}

TEST(RouterTest, CaptureNeedsANonEmptySegment) {
  Router router;
  router.add(Verb::get, "/fiches/{id}", "fiche", answering("fiche"));
  EXPECT_EQ(router.match(Verb::get, "/fiches/").outcome, Outcome::not_found);
  EXPECT_EQ(router.match(Verb::get, "/fiches//").outcome, Outcome::not_found);
  EXPECT_EQ(router.match(Verb::get, "/fiches/1/2").outcome, Outcome::not_found);
}

TEST(RouterTest, UnknownPathIsNotFoundAndUnmatched) {
  Router router;
  router.add(Verb::get, "/fiches/{id}", "fiche", answering("fiche"));
  const Router::Match match = router.match(Verb::get, "/nulle-part");
  EXPECT_EQ(match.outcome, Outcome::not_found);
  EXPECT_EQ(match.route_name, "unmatched");
  EXPECT_EQ(match.handler, nullptr);
}

TEST(RouterTest, WrongMethodListsAllowedVerbs) {
  Router router;
  router.add(Verb::get, "/fiches/{id}", "fiche", answering("get"));
  router.add(Verb::put, "/fiches/{id}", "fiche.update", answering("put"));
  router.add(Verb::post, "/fiches", "fiche.create", answering("post"));
  const Router::Match match = router.match(Verb::delete_, "/fiches/12");
  EXPECT_EQ(match.outcome, Outcome::method_not_allowed);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_EQ(match.allowed, (std::vector<Verb>{Verb::get, Verb::head, Verb::put}));
}

TEST(RouterTest, HeadIsServedByGetRoute) {
  Router router;
  router.add(Verb::get, "/", "home", answering("home"));
  const Router::Match match = router.match(Verb::head, "/");
  EXPECT_EQ(match.outcome, Outcome::found);
  EXPECT_EQ(match.route_name, "home");
}

TEST(RouterTest, HeadRouteOfItsOwnWinsOverGet) {
  Router router;
  router.add(Verb::get, "/", "home", answering("get"));
  router.add(Verb::head, "/", "home.head", answering("head"));
  EXPECT_EQ(body_of(router.match(Verb::head, "/")), "head");
  EXPECT_EQ(body_of(router.match(Verb::get, "/")), "get");
}

TEST(RouterTest, GetDoesNotServePost) {
  Router router;
  router.add(Verb::get, "/compte", "account", answering("get"));
  const Router::Match match = router.match(Verb::post, "/compte");
  EXPECT_EQ(match.outcome, Outcome::method_not_allowed);
  EXPECT_EQ(match.allowed, (std::vector<Verb>{Verb::get, Verb::head}));
}

TEST(RouterTest, TrailingSlashIsNotSignificant) {
  Router router;
  router.add(Verb::get, "/bibliotheque", "library", answering("library"));
  router.add(Verb::get, "/outils/", "tools", answering("tools"));
  EXPECT_EQ(router.match(Verb::get, "/bibliotheque/").outcome, Outcome::found);
  EXPECT_EQ(router.match(Verb::get, "/outils").outcome, Outcome::found);
  EXPECT_EQ(router.match(Verb::get, "/outils/").outcome, Outcome::found);
}

TEST(RouterTest, LiteralSegmentWinsOverCapture) {
  Router router;
  router.add(Verb::get, "/fiches/{id}", "fiche", answering("capture"));
  router.add(Verb::get, "/fiches/nouvelle", "fiche.new", answering("literal"));
  EXPECT_EQ(body_of(router.match(Verb::get, "/fiches/nouvelle")), "literal");
  EXPECT_EQ(body_of(router.match(Verb::get, "/fiches/12")), "capture");
}

TEST(RouterTest, LaterRegistrationReplacesEarlier) {
  Router router;
  router.add(Verb::get, "/", "home", answering("first"));
  router.add(Verb::get, "/", "home2", answering("second"));
  const Router::Match match = router.match(Verb::get, "/");
  EXPECT_EQ(match.route_name, "home2");
  EXPECT_EQ(body_of(match), "second");
}

TEST(RouterTest, CapturedValueIsTheDecodedSegment) {
  Router router;
  router.add(Verb::get, "/territoires/{nom}", "territory", answering("t"));
  // The server percent-decodes the path before matching: "/territoires/Saint-%C3%89tienne".
  const Router::Match match = router.match(Verb::get, url_decode("/territoires/Saint-%C3%89tienne", false));
  ASSERT_EQ(match.outcome, Outcome::found);
  EXPECT_EQ(match.params, (Items{{"nom", "Saint-Étienne"}}));
}

TEST(RouterTest, PathNotStartingWithSlashIsNotFound) {
  Router router;
  router.add(Verb::get, "/", "home", answering("home"));
  EXPECT_EQ(router.match(Verb::get, "").outcome, Outcome::not_found);
  EXPECT_EQ(router.match(Verb::get, "*").outcome, Outcome::not_found);
}

Request get(std::string target) {
  Request request;
  request.target = target;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = QueryParams::parse(std::string_view(target).substr(question + 1));
  return request;
}

TEST(ReadParamsTest, TheCanonicalRequestKeepsTheParametersReadInNameOrder) {
  const ReadParams params{"q", "domaine", "page"};
  const Request canonical = params.canonical(get("/bibliotheque?utm_source=x&page=2&domaine=eau&q=fuites&domaine=air&_=123"));
  EXPECT_EQ(canonical.target, "/bibliotheque?domaine=eau&domaine=air&page=2&q=fuites");
  EXPECT_EQ(canonical.query.all("domaine"), (std::vector<std::string>{"eau", "air"})) << "values of one name keep their order";
  EXPECT_FALSE(canonical.query.has("utm_source"));
  EXPECT_EQ(canonical.path, "/bibliotheque");
  EXPECT_EQ(params.canonical(get("/bibliotheque?q=fuites&page=2")).target,
            params.canonical(get("/bibliotheque?page=2&x=1&q=fuites")).target);
}

TEST(ReadParamsTest, ARouteReadingNothingHasABareTarget) {
  EXPECT_EQ(ReadParams{}.canonical(get("/fiches/12-x?a=1&b=2")).target, "/fiches/12-x");
  EXPECT_EQ(ReadParams{}.canonical(get("/")).target, "/");
}

TEST(ReadParamsTest, TheCanonicalOnlyDecoratorGivesHandlersTheCanonicalRequest) {
  const Handler echo = canonical_only_decorator()({"q"}, [](const Request& request) { return Response::text(request.target); });
  EXPECT_EQ(echo(get("/territoires?x=1&q=rennes")).body, "/territoires?q=rennes");
}

}  // namespace
}  // namespace vigie::web
