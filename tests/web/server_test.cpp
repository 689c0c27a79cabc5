#include "web/server.h"

// Same false positive as in server.cpp: Asio's scheduler, inlined, trips GCC's
// -Wnull-dereference; the warning comes after inlining, so system-header status does not hide it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>
#include <memory>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"
#include "web/prepared_response.h"

namespace vigie::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using BeastResponse = http::response<http::string_body>;

constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
constexpr std::size_t kMaxBody = 1024;

std::string str(beast::string_view view) { return std::string(view.data(), view.size()); }

// A blocking HTTP client over a real socket whose reads give up after a few seconds, so that a
// server which fails to answer fails the test instead of hanging it. It is a Beast sync stream.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  template <typename Buffers>
  std::size_t read_some(const Buffers& buffers, beast::error_code& error) {
    pollfd descriptor{socket_.native_handle(), POLLIN, 0};
    if (::poll(&descriptor, 1, 5000) <= 0) {
      error = asio::error::timed_out;
      return 0;
    }
    return socket_.read_some(buffers, error);
  }
  template <typename Buffers>
  std::size_t read_some(const Buffers& buffers) {
    beast::error_code error;
    const std::size_t bytes = read_some(buffers, error);
    if (error) throw beast::system_error(error);
    return bytes;
  }
  template <typename Buffers>
  std::size_t write_some(const Buffers& buffers, beast::error_code& error) {
    return socket_.write_some(buffers, error);
  }
  template <typename Buffers>
  std::size_t write_some(const Buffers& buffers) {
    return socket_.write_some(buffers);
  }

  void send_raw(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes.data(), bytes.size())); }

  void send(Verb method, const std::string& target, std::string body = {}) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.body() = std::move(body);
    request.prepare_payload();
    http::write(*this, request);
  }

  // Reads one response; for an answer to HEAD, `head` says not to expect a body.
  BeastResponse receive(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    beast::error_code error;
    http::read(*this, buffer_, parser, error);
    EXPECT_FALSE(error) << error.message();
    return parser.release();
  }

  BeastResponse exchange(Verb method, const std::string& target, std::string body = {}) {
    send(method, target, std::move(body));
    return receive(method == Verb::head);
  }

  // True once the server has closed the connection with nothing more to read.
  bool closed_by_server() {
    if (buffer_.size() != 0) return false;
    char byte = 0;
    beast::error_code error;
    read_some(asio::buffer(&byte, 1), error);
    return error == asio::error::eof || error == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

void expect_security_headers(const BeastResponse& response) {
  EXPECT_EQ(str(response["Content-Security-Policy"]), kPolicy);
  EXPECT_EQ(str(response["X-Content-Type-Options"]), "nosniff");
  EXPECT_EQ(str(response["Referrer-Policy"]), "strict-origin-when-cross-origin");
  EXPECT_EQ(str(response["X-Frame-Options"]), "DENY");
  EXPECT_EQ(str(response["Permissions-Policy"]), "camera=(), microphone=(), geolocation=()");
  EXPECT_EQ(str(response["Cross-Origin-Opener-Policy"]), "same-origin");
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_dir_.write("static/app.css", "body{color:#222}");
    root_dir_.write("secret.txt", "hors de /static");

    router_.add(Verb::get, "/", "home", [](const Request&) { return Response::html("<p>Bonjour</p>"); });
    router_.add(Verb::post, "/echo", "echo", [](const Request& request) { return Response::text(request.body); });
    router_.add(Verb::get, "/fiches/{id}", "fiche", [](const Request& request) {
      return Response::text(std::string(request.param("id")) + "|" + request.query.get("onglet"));
    });
    router_.add(Verb::get, "/panne", "failure", [](const Request&) -> Response {
      throw std::runtime_error("panne simulée");
    });
    router_.add(Verb::get, "/integration", "embed", [](const Request&) {
      return Response::html("<p>Intégrable</p>").with_header("Content-Security-Policy", "frame-ancestors *");
    });
    router_.add(Verb::get, "/lent", "slow", [](const Request&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return Response::text("enfin");
    });
    router_.add(Verb::get, "/entete-invalide", "bad_header", [](const Request&) {
      return Response::redirect("/\r\nSet-Cookie: volé=1", 302);
    });

    router_.add(Verb::get, "/page-validee", "validated", [](const Request&) {
      return Response::html(std::string(4000, 'x')).with_header("ETag", "\"v1\"").with_header("Cache-Control", "public, no-cache");
    });
    // The same page as a cache serves it: one response, copied with its prepared slot.
    auto shared = std::make_shared<Response>(
        Response::html(std::string(4000, 'x')).with_header("ETag", "\"v1\"").with_header("Cache-Control", "public, no-cache"));
    shared->prepared = std::make_shared<PreparedSlot>();
    router_.add(Verb::get, "/page-partagee", "shared", [shared](const Request&) { return *shared; });
    router_.add(Verb::get, "/api/v1/partagee", "api_shared", [shared](const Request&) { return *shared; });
    router_.add(Verb::get, "/api/v1/lecture", "api_read", [](const Request&) { return Response::json("{}"); });
    router_.add(Verb::post, "/api/v1/lecture", "api_write", [](const Request&) { return Response::json("{}", 201); });

    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.max_body_bytes = kMaxBody;
    options.static_dir = (root_dir_.path() / "static").string();
    options.cors_read_prefix = "/api/v1/";
    adjust(options);
    auto created = Server::create(options, router_, metrics_,
                                  [](const Request& request, unsigned status, const std::string& message) {
                                    Response response = Response::text(
                                        "erreur " + std::to_string(status) + " sur " + request.path + " : " + message,
                                        status);
                                    return response.with_header("X-Renderer", "test");
                                  });
    ASSERT_TRUE(created.ok()) << created.error().message;
    server_ = std::move(created).value();
    server_thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override { stop(); }
  // Lets a derived fixture change the options before the server starts.
  virtual void adjust(ServerOptions&) {}

  void stop() {
    if (!server_thread_.joinable()) return;
    server_->stop();
    server_thread_.join();
  }

  std::uint16_t port() const { return server_->port(); }

  vigie::test::TempDir root_dir_;  // static/ is served; secret.txt beside it must not be
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread server_thread_;
};

TEST_F(ServerTest, AnswersWithBodyAndSecurityHeaders) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "<p>Bonjour</p>");
  EXPECT_EQ(str(response[http::field::content_type]), "text/html; charset=utf-8");
  EXPECT_EQ(str(response[http::field::content_length]), "14");
  EXPECT_EQ(str(response[http::field::server]), "Vigie");
  EXPECT_EQ(response[http::field::date].size(), 29u);  // "Sun, 06 Nov 1994 08:49:37 GMT"
  expect_security_headers(response);
}

TEST_F(ServerTest, PassesDecodedCapturesAndQueryToHandler) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/fiches/12-d%C3%A9tection/?onglet=donn%C3%A9es");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "12-détection|données");
}

TEST_F(ServerTest, UnknownPathIsRenderedByTheErrorRenderer) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/nulle-part");
  EXPECT_EQ(response.result_int(), 404u);
  EXPECT_EQ(str(response["X-Renderer"]), "test");
  EXPECT_EQ(response.body(), "erreur 404 sur /nulle-part : Page introuvable.");
  expect_security_headers(response);
}

TEST_F(ServerTest, WrongMethodGets405WithAllow) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::delete_, "/");
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(str(response[http::field::allow]), "GET, HEAD");
  EXPECT_EQ(str(response["X-Renderer"]), "test");
  expect_security_headers(response);
}

TEST_F(ServerTest, HandlerExceptionGives500) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/panne");
  EXPECT_EQ(response.result_int(), 500u);
  EXPECT_EQ(str(response["X-Renderer"]), "test");
  expect_security_headers(response);
  EXPECT_EQ(client.exchange(Verb::get, "/").result_int(), 200u);  // the connection survives
}

TEST_F(ServerTest, HeaderWithLineBreakFromHandlerGives500NotASplitResponse) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/entete-invalide");
  EXPECT_EQ(response.result_int(), 500u);
  EXPECT_EQ(response.count(http::field::set_cookie), 0u);
  EXPECT_EQ(response.count(http::field::location), 0u);
}

TEST_F(ServerTest, HandlerMayReplaceTheContentSecurityPolicy) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/integration");
  EXPECT_EQ(response.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(str(response["Content-Security-Policy"]), "frame-ancestors *");
  EXPECT_EQ(str(response["X-Content-Type-Options"]), "nosniff");
}

TEST_F(ServerTest, BodyWithinTheLimitReachesTheHandler) {
  Client client(port());
  const std::string body(kMaxBody, 'x');
  const BeastResponse response = client.exchange(Verb::post, "/echo", body);
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), body);
}

TEST_F(ServerTest, AnnouncedBodyOverTheLimitGets413BeforeTheBodyIsSent) {
  Client client(port());
  client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
  const BeastResponse response = client.receive();
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_EQ(str(response["X-Renderer"]), "test");
  EXPECT_FALSE(response.keep_alive());
  expect_security_headers(response);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitGets413) {
  Client client(port());
  const std::string chunk(800, 'x');
  client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
                  "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  const BeastResponse response = client.receive();
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, ExpectContinueGets100ThenTheAnswer) {
  Client client(port());
  client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  const BeastResponse interim = client.receive();
  EXPECT_EQ(interim.result_int(), 100u);
  client.send_raw("bonjo");
  const BeastResponse response = client.receive();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "bonjo");
}

TEST_F(ServerTest, GarbageGets400AndClose) {
  Client client(port());
  client.send_raw("\x16\x03\x01\x02 n'importe quoi\r\n\r\n");
  const BeastResponse response = client.receive();
  EXPECT_EQ(response.result_int(), 400u);
  EXPECT_EQ(str(response["X-Renderer"]), "test");
  expect_security_headers(response);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, PathInvalidOnceDecodedGets400AndClose) {
  for (const std::string target : {"/a%00b", "/%C3", "http://exemple.fr/", "*"}) {
    Client client(port());
    client.send_raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.receive().result_int(), 400u) << target;
    EXPECT_TRUE(client.closed_by_server()) << target;
  }
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  Client client(port());
  client.send_raw("GET / HTTP/1.1\r\nHost: x\r\nCookie: " + std::string(20000, 'c') + "\r\n\r\n");
  EXPECT_EQ(client.receive().result_int(), 431u);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, HeadGivesHeadersWithoutBody) {
  Client client(port());
  const BeastResponse head = client.exchange(Verb::head, "/");
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(str(head[http::field::content_length]), "14");
  EXPECT_TRUE(head.body().empty());
  expect_security_headers(head);
  // No stray body bytes on the connection: the next answer parses cleanly.
  EXPECT_EQ(client.exchange(Verb::get, "/").body(), "<p>Bonjour</p>");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(port());
  const BeastResponse first = client.exchange(Verb::get, "/");
  EXPECT_TRUE(first.keep_alive());
  const BeastResponse second = client.exchange(Verb::get, "/nulle-part");
  EXPECT_EQ(second.result_int(), 404u);
  EXPECT_TRUE(second.keep_alive());
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client client(port());
  client.send_raw(
      "GET /lent HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nulle-part HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.receive().body(), "enfin");
  EXPECT_EQ(client.receive().result_int(), 404u);
  EXPECT_EQ(client.receive().body(), "<p>Bonjour</p>");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Client client(port());
  client.send_raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const BeastResponse response = client.receive();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, StaticFileIsServedWithCacheHeadersAndSecurityHeaders) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::get, "/static/app.css");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "body{color:#222}");
  EXPECT_EQ(str(response[http::field::content_type]), "text/css; charset=utf-8");
  EXPECT_EQ(str(response[http::field::cache_control]), "public, no-cache");
  EXPECT_FALSE(response[http::field::etag].empty());
  expect_security_headers(response);
}

TEST_F(ServerTest, StaticFileMatchingIfNoneMatchGets304) {
  Client client(port());
  const std::string etag = str(client.exchange(Verb::get, "/static/app.css")[http::field::etag]);
  client.send_raw("GET /static/app.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
  const BeastResponse response = client.receive();
  EXPECT_EQ(response.result_int(), 304u);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(str(response[http::field::etag]), etag);
  expect_security_headers(response);
  EXPECT_EQ(client.exchange(Verb::get, "/").result_int(), 200u);  // 304 carried no body
}

TEST_F(ServerTest, StaticPathTraversalIsRefused) {
  Client client(port());
  for (const std::string target : {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E%2Fsecret.txt",
                                   "/static/./../secret.txt"}) {
    const BeastResponse response = client.exchange(Verb::get, target);
    EXPECT_EQ(response.result_int(), 404u) << target;
    EXPECT_EQ(str(response["X-Renderer"]), "test");
    EXPECT_EQ(response.body().find("hors de /static"), std::string::npos);
  }
}

TEST_F(ServerTest, StaticFilesAcceptOnlyGetAndHead) {
  Client client(port());
  const BeastResponse response = client.exchange(Verb::post, "/static/app.css", "x");
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(str(response[http::field::allow]), "GET, HEAD");
  EXPECT_EQ(client.exchange(Verb::head, "/static/app.css").result_int(), 200u);
}

TEST_F(ServerTest, EveryAnswerIsCountedUnderItsRouteName) {
  Client client(port());
  static_cast<void>(client.exchange(Verb::get, "/"));
  static_cast<void>(client.exchange(Verb::get, "/nulle-part"));
  static_cast<void>(client.exchange(Verb::get, "/static/app.css"));
  static_cast<void>(client.exchange(Verb::get, "/panne"));
  const std::string text = metrics_.render_prometheus();
  EXPECT_NE(text.find("vigie_http_requests_total{route=\"home\",status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("vigie_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("vigie_http_requests_total{route=\"static\",status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("vigie_http_requests_total{route=\"failure\",status=\"500\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("vigie_http_request_duration_seconds_count{route=\"home\"} 1\n"), std::string::npos);
}

TEST_F(ServerTest, StopReturnsWhileAConnectionIsIdle) {
  Client client(port());
  EXPECT_EQ(client.exchange(Verb::get, "/").result_int(), 200u);
  const auto started = std::chrono::steady_clock::now();
  stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, StopAnswersTheRequestInFlight) {
  Client client(port());
  client.send(Verb::get, "/lent");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread stopper([this] { stop(); });
  const BeastResponse response = client.receive();
  stopper.join();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "enfin");
  EXPECT_FALSE(response.keep_alive());
}

TEST_F(ServerTest, SigtermStopsTheServer) {
  Client client(port());
  EXPECT_EQ(client.exchange(Verb::get, "/").result_int(), 200u);  // run() is serving, signals are caught
  std::raise(SIGTERM);
  server_thread_.join();
  EXPECT_TRUE(client.closed_by_server());
}

// RFC 9112 §3.2.
TEST_F(ServerTest, AnHttp11RequestWithoutOneHostGets400) {
  {
    Client client(port());
    client.send_raw("GET / HTTP/1.1\r\n\r\n");
    const BeastResponse response = client.receive();
    EXPECT_EQ(response.result_int(), 400u);
    EXPECT_NE(response.body().find("Host"), std::string::npos) << response.body();
    EXPECT_TRUE(client.closed_by_server());
  }
  {
    Client client(port());
    client.send_raw("GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n");
    EXPECT_EQ(client.receive().result_int(), 400u);
  }
  {
    Client client(port());
    client.send_raw("GET / HTTP/1.0\r\n\r\n");
    EXPECT_EQ(client.receive().result_int(), 200u) << "HTTP/1.0 has no Host requirement";
  }
}

TEST_F(ServerTest, ConditionalGetIsAnsweredForTheEncodingSent) {
  Client client(port());
  auto get = [&](std::string extra) {
    client.send_raw("GET /page-validee HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n");
    return client.receive();
  };
  const BeastResponse gzipped = get("Accept-Encoding: gzip\r\n");
  EXPECT_EQ(str(gzipped[http::field::content_encoding]), "gzip");
  EXPECT_EQ(str(gzipped[http::field::etag]), "\"v1-gz\"") << "the compressed bytes have their own strong tag";
  const BeastResponse plain = get("");
  EXPECT_EQ(str(plain[http::field::etag]), "\"v1\"");

  const BeastResponse not_modified = get("Accept-Encoding: gzip\r\nIf-None-Match: \"v0\", \"v1-gz\"\r\n");
  EXPECT_EQ(not_modified.result_int(), 304u);
  EXPECT_TRUE(not_modified.body().empty());
  EXPECT_EQ(str(not_modified[http::field::etag]), "\"v1-gz\"");
  EXPECT_EQ(str(not_modified[http::field::cache_control]), "public, no-cache");
  EXPECT_EQ(str(not_modified[http::field::vary]), "Accept-Encoding");
  EXPECT_EQ(get("If-None-Match: W/\"v1\"\r\n").result_int(), 304u) << "weak comparison";
  EXPECT_EQ(get("If-None-Match: *\r\n").result_int(), 304u);
  EXPECT_EQ(get("Accept-Encoding: gzip\r\nIf-None-Match: \"v1\"\r\n").result_int(), 200u) << "another variant";
  EXPECT_EQ(get("If-Match: \"v0\"\r\nIf-None-Match: \"v1\"\r\n").result_int(), 412u) << "If-Match first";
  EXPECT_EQ(get("If-Match: v1\r\n").result_int(), 412u) << "a malformed If-Match fails";
  EXPECT_EQ(get("If-Match: \"v1\"\r\n").result_int(), 200u);
}

// Every header field but Date, sorted, then the body: what must not depend on the path taken.
std::string fields_and_body(const BeastResponse& response) {
  std::vector<std::string> lines;
  for (const auto& field : response) {
    if (field.name() != http::field::date) lines.push_back(str(field.name_string()) + ": " + str(field.value()));
  }
  std::sort(lines.begin(), lines.end());
  std::string out = std::to_string(response.version()) + " " + std::to_string(response.result_int()) + "\n";
  for (const std::string& line : lines) out += line + "\n";
  return out + "\n" + response.body();
}

TEST_F(ServerTest, AResponseServedManyTimesIsSentAsTheGeneralPathSendsIt) {
  // One connection per request: an HTTP/1.0 request is answered, then closed.
  auto get = [&](std::string_view method, std::string_view path, std::string_view version, std::string extra) {
    Client client(port());
    client.send_raw(std::string(method) + " " + std::string(path) + " HTTP/" + std::string(version) + "\r\nHost: x\r\n" +
                    extra + "\r\n");
    const BeastResponse response = client.receive(method == "HEAD");
    const bool kept_alive = version == "1.1" ? extra.find("close") == std::string::npos
                                             : extra.find("keep-alive") != std::string::npos;
    EXPECT_EQ(response.keep_alive(), kept_alive) << method << " " << path << " " << version << " " << extra;
    if (!kept_alive) {
      EXPECT_TRUE(client.closed_by_server()) << method << " " << path << " " << version << " " << extra;
    }
    return response;
  };
  for (const char* extra : {"", "Accept-Encoding: gzip\r\n", "If-None-Match: \"v1\"\r\n",
                            "Accept-Encoding: gzip\r\nIf-None-Match: \"v1-gz\"\r\n",
                            "Accept-Encoding: gzip\r\nIf-None-Match: \"v1\"\r\n", "If-Match: \"v1\"\r\n",
                            "Connection: keep-alive\r\n", "Connection: close\r\n"}) {
    for (const char* method : {"GET", "HEAD"}) {
      for (const char* version : {"1.1", "1.0"}) {
        const std::string tag = std::string(method) + " HTTP/" + version + " " + extra;
        const std::string general = fields_and_body(get(method, "/page-validee", version, extra));
        // Twice: the first answer prepares the bytes, the second sends them.
        EXPECT_EQ(fields_and_body(get(method, "/page-partagee", version, extra)), general) << tag;
        EXPECT_EQ(fields_and_body(get(method, "/page-partagee", version, extra)), general) << tag;
      }
    }
  }
  EXPECT_EQ(get("GET", "/page-partagee", "1.1", "If-Match: \"v0\"\r\nIf-None-Match: \"v1\"\r\n").result_int(), 412u)
      << "If-Match first";
  // The same slot reached by another path, whose copies gain the CORS headers: not the bytes
  // prepared without them.
  const BeastResponse api = get("GET", "/api/v1/partagee", "1.1", "");
  EXPECT_EQ(str(api["Access-Control-Allow-Origin"]), "*") << "CORS on the read API";
  EXPECT_EQ(api.body(), std::string(4000, 'x'));

  Client client(port());
  for (int i = 0; i < 3; ++i) {
    const BeastResponse again = client.exchange(Verb::get, "/page-partagee");
    EXPECT_EQ(again.result_int(), 200u) << "keep-alive after a prepared answer";
    EXPECT_TRUE(again["Access-Control-Allow-Origin"].empty());
  }
}

TEST_F(ServerTest, AnswersWithoutACachingPolicyAreNotStored) {
  Client client(port());
  EXPECT_EQ(str(client.exchange(Verb::get, "/")[http::field::cache_control]), "private, no-store");
  EXPECT_EQ(str(client.exchange(Verb::get, "/page-validee")[http::field::cache_control]), "public, no-cache");
  EXPECT_EQ(str(client.exchange(Verb::get, "/introuvable")[http::field::cache_control]), "private, no-store");
  EXPECT_TRUE(client.exchange(Verb::get, "/")[http::field::strict_transport_security].empty()) << "HSTS is off by default";
}

TEST_F(ServerTest, TheReadApiIsOpenToOtherOriginsAndWritesAreNot) {
  Client client(port());
  const BeastResponse read = client.exchange(Verb::get, "/api/v1/lecture");
  EXPECT_EQ(str(read["Access-Control-Allow-Origin"]), "*");
  EXPECT_TRUE(client.exchange(Verb::post, "/api/v1/lecture")["Access-Control-Allow-Origin"].empty());
  EXPECT_TRUE(client.exchange(Verb::get, "/")["Access-Control-Allow-Origin"].empty());

  client.send_raw("OPTIONS /api/v1/lecture HTTP/1.1\r\nHost: x\r\nOrigin: https://reutilisateur.example\r\n"
                  "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: if-none-match\r\n\r\n");
  const BeastResponse preflight = client.receive();
  EXPECT_EQ(preflight.result_int(), 204u);
  EXPECT_EQ(str(preflight["Access-Control-Allow-Origin"]), "*");
  EXPECT_NE(str(preflight["Access-Control-Allow-Methods"]).find("GET"), std::string::npos);
  EXPECT_NE(str(preflight["Access-Control-Allow-Headers"]).find("If-None-Match"), std::string::npos);

  client.send_raw("OPTIONS /api/v1/lecture HTTP/1.1\r\nHost: x\r\nOrigin: https://attaquant.example\r\n"
                  "Access-Control-Request-Method: POST\r\n\r\n");
  const BeastResponse write_preflight = client.receive();
  EXPECT_TRUE(write_preflight["Access-Control-Allow-Origin"].empty()) << "the browser then refuses the write";
  EXPECT_EQ(client.exchange(Verb::options, "/").result_int(), 405u) << "no CORS outside the API";
}

class HardenedServerTest : public ServerTest {
 protected:
  void adjust(ServerOptions& options) override {
    options.hsts_max_age = std::chrono::seconds(600);
    options.max_connections = 4;
    options.max_connections_per_address = 0;
  }
};

TEST_F(HardenedServerTest, HstsIsSentWhenConfigured) {
  Client client(port());
  EXPECT_EQ(str(client.exchange(Verb::get, "/")[http::field::strict_transport_security]), "max-age=600");
}

TEST_F(HardenedServerTest, IdleConnectionsBeyondTheCapMakeRoomForANewClient) {
  std::vector<std::unique_ptr<Client>> idle;
  Client kept_alive(port());
  EXPECT_EQ(kept_alive.exchange(Verb::get, "/").result_int(), 200u);
  for (int i = 0; i < 10; ++i) idle.push_back(std::make_unique<Client>(port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto start = std::chrono::steady_clock::now();
  Client newcomer(port());
  EXPECT_EQ(newcomer.exchange(Verb::get, "/").result_int(), 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(kept_alive.closed_by_server()) << "the idle keep-alive connection goes first";
  EXPECT_TRUE(idle.front()->closed_by_server()) << "then the longest idle";
}

class PerAddressCapTest : public ServerTest {
 protected:
  void adjust(ServerOptions& options) override { options.max_connections_per_address = 3; }
};

TEST_F(PerAddressCapTest, OneAddressCannotHoldMoreThanItsShare) {
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 6; ++i) idle.push_back(std::make_unique<Client>(port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Client newcomer(port());
  EXPECT_EQ(newcomer.exchange(Verb::get, "/").result_int(), 200u);
  int closed = 0;
  for (auto& client : idle) closed += client->closed_by_server() ? 1 : 0;
  EXPECT_GE(closed, 4);
}

TEST(OpenFileLimitTest, TheSoftLimitIsRaisedToTheHardOne) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max <= 64) GTEST_SKIP() << "no finite hard limit to raise to";
  limit.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(raise_open_file_limit(), static_cast<std::uint64_t>(limit.rlim_max));
  rlimit raised{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &raised), 0);
  EXPECT_EQ(raised.rlim_cur, limit.rlim_max);
}

TEST(ServerCreateTest, PortInUseIsUnavailable) {
  Router router;
  Metrics metrics;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto first = Server::create(options, router, metrics, nullptr);
  ASSERT_TRUE(first.ok());
  options.listen = "127.0.0.1:" + std::to_string(first.value()->port());
  const auto second = Server::create(options, router, metrics, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::unavailable);
  EXPECT_NE(second.error().message.find(options.listen), std::string::npos);
}

TEST(ServerCreateTest, MalformedListenAddressIsInvalid) {
  Router router;
  Metrics metrics;
  for (const std::string listen : {"127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000", "127.0.0.1:"}) {
    ServerOptions options;
    options.listen = listen;
    const auto created = Server::create(options, router, metrics, nullptr);
    ASSERT_FALSE(created.ok()) << listen;
    EXPECT_EQ(created.error().kind, ErrorKind::invalid) << listen;
  }
}

}  // namespace
}  // namespace vigie::web
