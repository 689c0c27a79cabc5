#include "web/server.h"

// GCC 12 at -O2/-O3 reports a "potential null pointer dereference" inside Asio's scheduler
// (scheduler.ipp, thread_info of the calling thread) once inlined here. It is a false positive
// that system-header status does not silence, because the warning comes after inlining; it is
// turned off for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.h"
#include "web/compression.h"
#include "web/conditional.h"
#include "web/listen_address.h"
#include "web/log_throttle.h"
#include "web/prepared_response.h"
#include "web/security_headers.h"
#include "web/static_files.h"

namespace vigie::web {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

// Headers larger than this are refused with 431; Beast's default (8 KiB) is tight with cookies.
constexpr std::uint32_t kHeaderLimitBytes = 16 * 1024;
// After answering with "Connection: close", unread request bytes (the rest of a refused body)
// are read and dropped for a while before closing: closing a socket with unread data sends a
// TCP reset, which can destroy the answer before the client has read it.
constexpr std::chrono::seconds kLingerTimeout{2};
// Large enough for the refused bodies clients really send (a client uploading a 10 MB
// description must read its 413, not a reset); the timeout bounds what a slow client costs.
constexpr std::size_t kLingerMaxBytes = 64 * 1024 * 1024;
// stop(): how long in-flight requests may take before the pool is stopped regardless.
constexpr std::chrono::seconds kDrainTimeout{10};
constexpr std::chrono::milliseconds kDrainPollInterval{10};
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr std::size_t kFirstReadBytes = 4096;
// CORS preflight answers may be reused by the browser for a day.
constexpr std::string_view kCorsMaxAgeSeconds = "86400";

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// Beast 1.74 speaks boost::string_view.
std::string_view to_std(beast::string_view view) { return {view.data(), view.size()}; }
beast::string_view to_beast(std::string_view view) { return {view.data(), view.size()}; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 §5.1 and §5.5: a field name is a token; a value has no CR, LF or NUL (which would
// let a value taken from user input split the response).
bool is_valid_header(std::string_view name, std::string_view value) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_token_char) &&
         value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Headers the server sets itself, ignored when a handler sets them: the framing of the
// message, Date and Server.
bool is_server_owned_header(std::string_view name) {
  for (const std::string_view owned : {"content-length", "transfer-encoding", "connection", "date", "server"}) {
    if (beast::iequals(to_beast(name), to_beast(owned))) return true;
  }
  return false;
}

bool status_has_no_body(unsigned status) { return status < 200 || status == 204 || status == 304; }

// RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, and to any
// request with more than one Host field line.
bool has_valid_host_fields(const BeastRequest& message) {
  const auto [first, last] = message.equal_range(http::field::host);
  const auto count = std::distance(first, last);
  return count == 1 || (count == 0 && message.version() < 11);
}

std::string join_verbs(const std::vector<Verb>& verbs) {
  std::string out;
  for (const Verb verb : verbs) {
    if (!out.empty()) out += ", ";
    out += to_std(http::to_string(verb));
  }
  return out;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), independent of the C locale. Formatting is
// cached for the current second.
class DateHeader {
 public:
  std::string_view now() {
    const std::time_t seconds = std::time(nullptr);
    if (seconds != cached_second_) {
      cached_second_ = seconds;
      std::tm utc{};
      gmtime_r(&seconds, &utc);
      static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
      static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
      auto two = [](int value) {
        return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
      };
      text_.clear();
      text_ += kDays[static_cast<std::size_t>(utc.tm_wday)];
      text_ += ", ";
      text_ += two(utc.tm_mday);
      text_ += ' ';
      text_ += kMonths[static_cast<std::size_t>(utc.tm_mon)];
      text_ += ' ';
      text_ += std::to_string(utc.tm_year + 1900);
      text_ += ' ';
      text_ += two(utc.tm_hour) + ':' + two(utc.tm_min) + ':' + two(utc.tm_sec);
      text_ += " GMT";
    }
    return text_;
  }

 private:
  std::time_t cached_second_ = -1;
  std::string text_;
};

// Fills `out` from a parsed (possibly partial) message. Returns false when the target is not a
// usable path: empty, not starting with '/' (absolute or asterisk form), or, once
// percent-decoded, holding a NUL or invalid UTF-8.
bool to_request(BeastRequest& message, std::string_view remote_address, Request& out) {
  out.method = message.method();
  out.target = std::string(to_std(message.target()));
  const std::string_view target = out.target;
  const std::size_t question = target.find('?');
  out.path = url_decode(target.substr(0, question), false);
  if (question != std::string_view::npos) out.query = QueryParams::parse(target.substr(question + 1));
  out.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    std::string name(to_std(field.name_string()));
    std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
    out.headers.emplace_back(std::move(name), std::string(to_std(field.value())));
  }
  out.body = std::move(message.body());
  out.remote_address = std::string(remote_address);
  const bool valid = !out.path.empty() && out.path.front() == '/' &&
                     out.path.find('\0') == std::string::npos && text::is_valid_utf8(out.path);
  if (!valid) out.path = "/";
  return valid;
}

class Session;

// Everything the server shares between its connections. Lives in Server::Impl.
class Engine {
 public:
  Engine(ServerOptions options, const Router& router, Metrics& metrics, ErrorRenderer render_error)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        render_error_(std::move(render_error)),
        threads_(options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency())),
        loops_(make_loops(threads_)),
        acceptor_(main_loop()),
        signals_(main_loop()),
        accept_retry_timer_(main_loop()),
        drain_timer_(main_loop()) {
    if (!options_.static_dir.empty()) static_files_.emplace(options_.static_dir);
  }

  Status listen();
  std::uint16_t port() const { return port_; }
  void run();
  void stop() {
    // Seen at once by the connections of every loop (an answer being prepared on the main loop
    // then closes its connection), before the main loop gets to the shutdown.
    stopping_.store(true, std::memory_order_relaxed);
    asio::post(main_loop(), [this] { shut_down(); });
  }

  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  Metrics& metrics() { return metrics_; }

  // Routes the request and calls its handler; `route_name` receives the metrics label.
  Response dispatch(Request& request, std::string& route_name);
  void note_write(const Request& request, const std::string& route_name, const Response& response);
  // The application's rendering of an error the server produces itself; never throws.
  Response error(const Request& request, unsigned status, const std::string& message);

  // The registry of open connections, which stop() closes. Thread-safe.
  void remember(const std::shared_ptr<Session>& session);
  void forget(const Session* session, const std::string& address);

  // Whether a new connection from `address` may be served under the connection caps, after
  // closing an idle one if a cap is reached. Thread-safe.
  bool admit(const std::string& address);

  // Adds to `response` the CORS header of a read under cors_read_prefix.
  void add_cors(const Request& request, Response& response) const;

 private:
  void start();
  void accept();
  void on_accept(beast::error_code error, tcp::socket socket);
  void shut_down();
  void wait_for_drain(Clock::time_point deadline);
  void run_loop(asio::io_context& loop);
  static std::vector<std::unique_ptr<asio::io_context>> make_loops(unsigned count);
  asio::io_context& main_loop() { return *loops_.front(); }
  void log_accept_failure(const std::string& what);
  // The answer to an OPTIONS request under cors_read_prefix, or nullopt when not one.
  std::optional<Response> preflight(const Request& request) const;

  const ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  const ErrorRenderer render_error_;
  std::optional<StaticFiles> static_files_;
  const unsigned threads_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  bool shut_down_ = false;  // main loop only
  LogThrottle accept_failures_;  // main loop only
  std::size_t next_loop_ = 0;  // main loop only: the loop of the next connection accepted

  mutable std::mutex sessions_mutex_;  // guards sessions_ and sessions_by_address_
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::size_t> sessions_by_address_;

  // Declared after what sessions use: destroying the io_context destroys the handlers it still
  // holds, and with them the last references to their sessions.
  //
  // One event loop per thread, each run by its thread alone: a connection is served, from its
  // accept to its close, by the thread of the loop it was given at accept (in turn), so its
  // handlers need no strand and never move between threads (which cost more than answering a
  // cached page). The first loop also runs the acceptor, the signals and the shutdown.
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  // Keep the loops running while they have no connection; released once every connection ended.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;  // main loop only once run
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer accept_retry_timer_;
  asio::steady_timer drain_timer_;
};

// One connection: reads a request, answers it, and repeats while keep-alive holds. Every
// handler runs on the thread of the connection's loop, so requests of one connection are
// answered one at a time and in order, even when pipelined.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Engine& engine, tcp::socket socket, std::string remote_address)
      : engine_(engine), stream_(std::move(socket)), remote_address_(std::move(remote_address)) {}
  ~Session() { engine_.forget(this, remote_address_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  const std::string& remote_address() const { return remote_address_; }

  // Connection caps (read by the engine from another thread): how the connection waits.
  enum class Idleness { busy, idle_new, idle_kept_alive };
  Idleness idleness() const { return idleness_.load(std::memory_order_relaxed); }
  std::int64_t idle_since_ns() const { return idle_since_ns_.load(std::memory_order_relaxed); }
  // True for the first caller only: the engine closes a connection once.
  bool mark_evicted() { return !evicted_.exchange(true); }
  bool evicted() const { return evicted_.load(std::memory_order_relaxed); }

  // Closes the connection if it is between requests, or after the answer being prepared.
  void request_stop() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stop_requested_ = true;
      if (self->phase_ == Phase::waiting || self->phase_ == Phase::lingering) self->close();
    });
  }

 private:
  enum class Phase { waiting, handling, lingering, closed };

  void wait_for_request() {
    phase_ = Phase::waiting;
    if (stop_requested_ || engine_.stopping()) return close();
    parser_.emplace();
    parser_->body_limit(static_cast<std::uint64_t>(engine_.options().max_body_bytes));
    parser_->header_limit(kHeaderLimitBytes);
    if (buffer_.size() > 0) return read_header();  // the next pipelined request is already here
    // Idle until the first byte; then the whole request must arrive within read_timeout.
    idle_since_ns_.store(steady_now_ns(), std::memory_order_relaxed);
    idleness_.store(first_request_ ? Idleness::idle_new : Idleness::idle_kept_alive, std::memory_order_relaxed);
    stream_.expires_after(first_request_ ? engine_.options().read_timeout : engine_.options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(beast::error_code error, std::size_t bytes) {
    idleness_.store(Idleness::busy, std::memory_order_relaxed);
    if (error) return close();
    buffer_.commit(bytes);
    read_header();
  }

  void read_header() {
    stream_.expires_after(engine_.options().read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code error, std::size_t) {
    phase_ = Phase::handling;
    started_ = Clock::now();
    if (error) return on_read_error(error);
    if (parser_->is_done()) return answer();
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                               beast::bind_front_handler(&Session::on_continue_written, shared_from_this()));
    }
    read_body();
  }

  void on_continue_written(beast::error_code error, std::size_t) {
    if (error) return close();
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code error, std::size_t) {
    if (error) return on_read_error(error);
    answer();
  }

  void on_read_error(beast::error_code error) {
    if (error == http::error::body_limit) {
      return answer_error(413, "Le contenu de la requête dépasse la taille autorisée.");
    }
    if (error == http::error::header_limit) {
      return answer_error(431, "Les en-têtes de la requête sont trop longs.");
    }
    // The client went away or was too slow: nobody to answer.
    const bool malformed = error.category() == http::make_error_code(http::error::bad_target).category() &&
                           error != http::error::end_of_stream && error != http::error::partial_message;
    if (!malformed) return close();
    answer_error(400, "Requête mal formée.");
  }

  void answer() {
    Request request;
    std::string route_name = "unmatched";
    const bool hosted = has_valid_host_fields(parser_->get());
    const bool valid = to_request(parser_->get(), remote_address_, request) && hosted;
    Response response = valid    ? engine_.dispatch(request, route_name)
                        : hosted ? engine_.error(request, 400, "Adresse de la requête invalide.")
                                 : engine_.error(request, 400, "La requête doit porter un et un seul en-tête Host.");
    const bool keep_alive = valid && parser_->get().keep_alive() && !stop_requested_ && !engine_.stopping();
    send(request, std::move(response), route_name, keep_alive);
  }

  // Answers a request that could not be read whole, then closes the connection.
  void answer_error(unsigned status, const std::string& message) {
    Request request;
    static_cast<void>(to_request(parser_->get(), remote_address_, request));
    request.body.clear();
    send(request, engine_.error(request, status, message), "unmatched", false);
  }

  void send(const Request& request, Response response, const std::string& route_name, bool keep_alive) {
    const unsigned version = parser_->get().version() == 10 ? 10 : 11;
    if (send_prepared(request, response, route_name, keep_alive, version)) return;
    if (!build(request, std::move(response), version, keep_alive) &&
        !build(request, engine_.error(request, 500, "Erreur interne du serveur."), version, keep_alive)) {
      build(request, Response::text("Erreur interne du serveur.", 500), version, keep_alive);
    }
    engine_.metrics().record(route_name, response_.result_int(), Clock::now() - started_);
    stream_.expires_after(engine_.options().read_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::on_written, shared_from_this(), !keep_alive));
  }

  // Sends a response served many times (Response::prepared) from the bytes prepared the first
  // time, preparing them now if needed. Returns false, having sent nothing, when the general
  // path must answer: another method, a status other than 200, an If-Match to evaluate (412 is
  // rare enough), or a response this server cannot prepare.
  bool send_prepared(const Request& request, const Response& response, const std::string& route_name, bool keep_alive,
                     unsigned version) {
    if (!response.prepared || response.status != 200 || (request.method != Verb::get && request.method != Verb::head) ||
        request.has_header("if-match")) {
      return false;
    }
    const PreparedResponse* prepared = response.prepared->get();
    if (prepared == nullptr) {
      std::unique_ptr<const PreparedResponse> made = prepare(request, response);
      if (!made) return false;
      prepared = response.prepared->set_once(std::move(made));
    }
    if (prepared->owner != &engine_ || prepared->headers != response.headers ||
        prepared->content_type != response.content_type || prepared->body_bytes != response.body.size()) {
      return false;
    }
    const bool gzipped = prepared->varies_with_encoding && accepts_gzip(request.header("accept-encoding"));
    const PreparedResponse::Coding& coding = gzipped ? prepared->gzip : prepared->identity;
    // RFC 9110 §13.2.2 step 3 (step 1, If-Match, is left to the general path).
    const bool not_modified = !coding.etag.empty() && if_none_match(request, coding.etag) == Precondition::fails;
    const WireResponse& wire = not_modified ? coding.not_modified : coding.ok;
    const WireResponse::Pieces pieces =
        wire.pieces(version == 10 ? WireResponse::Version::http_1_0 : WireResponse::Version::http_1_1,
                    keep_alive ? WireResponse::Connection::keep_alive : WireResponse::Connection::close, date_.now(),
                    request.method == Verb::head ? WireResponse::Body::omitted : WireResponse::Body::included);
    for (std::size_t i = 0; i < pieces.size(); ++i) wire_buffers_[i] = asio::const_buffer(pieces[i].data(), pieces[i].size());
    prepared_ = response.prepared;  // keeps the bytes alive until they are written
    engine_.metrics().record(route_name, not_modified ? 304 : 200, Clock::now() - started_);
    stream_.expires_after(engine_.options().read_timeout);
    asio::async_write(stream_, wire_buffers_,
                      beast::bind_front_handler(&Session::on_written, shared_from_this(), !keep_alive));
    return true;
  }

  // The bytes of `response` (a 200 answer to `request`), as build() would send them to a GET,
  // for each content coding, and the 304 of each; null when build() would refuse the response.
  // Uses response_ as scratch space.
  std::unique_ptr<const PreparedResponse> prepare(const Request& request, const Response& response) {
    auto prepared = std::make_unique<PreparedResponse>();
    prepared->owner = &engine_;
    prepared->content_type = response.content_type;
    prepared->headers = response.headers;
    prepared->body_bytes = response.body.size();
    Request probe;
    probe.method = Verb::get;
    probe.target = request.target;
    probe.path = request.path;
    if (!prepare_coding(probe, response, prepared->identity)) return nullptr;
    prepared->varies_with_encoding = may_compress(response);
    if (prepared->varies_with_encoding) {
      probe.headers.emplace_back("accept-encoding", "gzip");
      if (!prepare_coding(probe, response, prepared->gzip)) return nullptr;
    }
    response_ = {};
    return prepared;
  }

  bool prepare_coding(const Request& probe, const Response& response, PreparedResponse::Coding& coding) {
    // The version and keep-alive of the probe do not matter: Date and Connection are left out.
    if (!build_representation(probe, response, 11, true) || response_.result_int() != 200) return false;
    std::vector<std::pair<std::string, std::string>> fields = wire_fields();
    coding.ok = WireResponse(200, reason(), fields, response_.body());
    if (auto etag = response_.find(http::field::etag); etag != response_.end()) coding.etag = to_std(etag->value());
    if (coding.etag.empty()) return true;
    // The 304 the general path would send: evaluate_preconditions() keeps the fields a 304 keeps.
    Response sent;
    sent.status = 200;
    sent.headers = std::move(fields);
    Request revalidation = probe;
    revalidation.headers.emplace_back("if-none-match", "*");
    std::optional<Response> not_modified = evaluate_preconditions(revalidation, sent);
    if (!not_modified || not_modified->status != 304 ||
        !build_representation(probe, std::move(*not_modified), 11, true)) {
      return false;
    }
    coding.not_modified = WireResponse(304, reason(), wire_fields(), {});
    return true;
  }

  // The reason phrase Beast writes for response_.
  std::string_view reason() const {
    const std::string_view set = to_std(response_.reason());
    return set.empty() ? to_std(http::obsolete_reason(response_.result())) : set;
  }

  // The header fields of response_ but Date and Connection, which vary per request.
  std::vector<std::pair<std::string, std::string>> wire_fields() const {
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& field : response_) {
      if (field.name() == http::field::date || field.name() == http::field::connection) continue;
      fields.emplace_back(to_std(field.name_string()), to_std(field.value()));
    }
    return fields;
  }

  // Converts `response` into response_. Returns false, leaving response_ to be rebuilt, when
  // the handler produced a status or header that cannot be sent (a bug, logged).
  bool build(const Request& request, Response response, unsigned version, bool keep_alive) {
    if (!build_representation(request, std::move(response), version, keep_alive)) return false;
    if ((request.method != Verb::get && request.method != Verb::head) || response_.result_int() != 200 ||
        response_.find(http::field::etag) == response_.end()) {
      return true;
    }
    // The conditional request is evaluated against the representation chosen, its encoding
    // included (RFC 9110 §13.2.1).
    Response sent;
    sent.status = 200;
    for (const auto& field : response_) sent.headers.emplace_back(to_std(field.name_string()), to_std(field.value()));
    std::optional<Response> conditional = evaluate_preconditions(request, sent);
    if (!conditional) return true;
    if (conditional->status == 412) {
      return build_representation(
          request, engine_.error(request, 412, "La ressource a changé depuis votre lecture (en-tête If-Match)."), version,
          keep_alive);
    }
    return build_representation(request, std::move(*conditional), version, keep_alive);
  }

  bool build_representation(const Request& request, Response response, unsigned version, bool keep_alive) {
    response_ = {};
    if (response.status < 100 || response.status > 999) {
      spdlog::error("{} {} : statut HTTP impossible {}", to_std(http::to_string(request.method)), request.target,
                    response.status);
      return false;
    }
    response_.version(version);
    response_.result(response.status);
    response_.set(http::field::server, "Vigie");
    response_.set(http::field::date, to_beast(date_.now()));
    const bool no_body = status_has_no_body(response.status);
    if (!no_body && !response.content_type.empty()) response_.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) {
      if (!is_valid_header(name, value)) {
        spdlog::error("{} {} : en-tête de réponse invalide « {} »", to_std(http::to_string(request.method)),
                      request.target, name);
        return false;
      }
      if (!is_server_owned_header(name)) response_.insert(name, value);
    }
    for (const auto& [name, value] : kDefaultSecurityHeaders) {
      if (response_.find(to_beast(name)) == response_.end()) response_.set(to_beast(name), to_beast(value));
    }
    // What the handler did not declare cacheable is not stored anywhere: it may carry a CSRF
    // token, a Set-Cookie or content for one visitor.
    if (response_.find(http::field::cache_control) == response_.end()) {
      response_.set(http::field::cache_control, "private, no-store");
    }
    if (engine_.options().hsts_max_age.count() > 0) {
      response_.set(http::field::strict_transport_security,
                    "max-age=" + std::to_string(engine_.options().hsts_max_age.count()));
    }
    response_.keep_alive(keep_alive);
    if (!no_body && may_compress(response)) {
      // The representation varies with Accept-Encoding, whether this client gets gzip or not.
      response_.set(http::field::vary, "Accept-Encoding");
      if (accepts_gzip(request.header("accept-encoding"))) {
        response.body = response.gzipped ? *response.gzipped : gzip(response.body, GzipLevel::fast);
        response_.set(http::field::content_encoding, "gzip");
        if (auto etag = response_.find(http::field::etag); etag != response_.end()) {
          response_.set(http::field::etag, gzip_variant_etag(to_std(etag->value())));
        }
      }
    }
    if (!no_body) {
      // HEAD: the headers of the GET answer, Content-Length included, without its body.
      response_.content_length(response.body.size());
      if (request.method != Verb::head) response_.body() = std::move(response.body);
    }
    return true;
  }

  void on_written(bool close_after, beast::error_code error, std::size_t) {
    response_ = {};
    prepared_.reset();
    if (error) return close();
    if (close_after) return linger();
    if (stop_requested_) return close();
    first_request_ = false;
    wait_for_request();
  }

  void linger() {
    phase_ = Phase::lingering;
    if (stop_requested_) return close();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.clear();
    lingered_bytes_ = 0;
    stream_.expires_after(kLingerTimeout);
    drop_unread();
  }

  void drop_unread() {
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            beast::bind_front_handler(&Session::on_dropped, shared_from_this()));
  }

  void on_dropped(beast::error_code error, std::size_t bytes) {
    lingered_bytes_ += bytes;
    if (error || lingered_bytes_ > kLingerMaxBytes) return close();
    drop_unread();
  }

  void close() {
    phase_ = Phase::closed;
    stream_.close();
  }

  Engine& engine_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  BeastResponse response_;
  // The bytes being written by send_prepared(), and the pieces pointing into them.
  std::shared_ptr<PreparedSlot> prepared_;
  std::array<asio::const_buffer, WireResponse::kPieces> wire_buffers_;
  const std::string remote_address_;
  DateHeader date_;
  Clock::time_point started_;
  std::size_t lingered_bytes_ = 0;
  Phase phase_ = Phase::waiting;
  bool first_request_ = true;
  bool stop_requested_ = false;
  std::atomic<Idleness> idleness_{Idleness::busy};
  std::atomic<std::int64_t> idle_since_ns_{0};
  std::atomic<bool> evicted_{false};
};

Status Engine::listen() {
  const std::string& listen = options_.listen;
  TRY_ASSIGN(const ListenAddress address, parse_listen_address(listen));
  TRY_ASSIGN(const tcp::endpoint endpoint, resolve_listen_address(address, listen));
  auto unavailable = [&](const beast::error_code& error) {
    return Error::unavailable("Impossible d'écouter sur " + listen + " : " + error.message());
  };
  beast::error_code error;
  if (acceptor_.open(endpoint.protocol(), error)) return unavailable(error);
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), error)) return unavailable(error);
  if (acceptor_.bind(endpoint, error)) return unavailable(error);
  if (acceptor_.listen(asio::socket_base::max_listen_connections, error)) return unavailable(error);
  port_ = acceptor_.local_endpoint(error).port();
  if (error) return unavailable(error);
  return {};
}

std::vector<std::unique_ptr<asio::io_context>> Engine::make_loops(unsigned count) {
  std::vector<std::unique_ptr<asio::io_context>> loops;
  loops.reserve(count);
  // Concurrency hint 1: each loop is run by one thread, which lets Asio skip some locking.
  for (unsigned i = 0; i < count; ++i) loops.push_back(std::make_unique<asio::io_context>(1));
  return loops;
}

void Engine::run() {
  for (const auto& loop : loops_) keep_running_.push_back(asio::make_work_guard(*loop));
  asio::post(main_loop(), [this] { start(); });
  std::vector<std::thread> workers;
  workers.reserve(threads_ - 1);
  for (unsigned i = 1; i < threads_; ++i) workers.emplace_back([this, i] { run_loop(*loops_[i]); });
  run_loop(main_loop());
  for (std::thread& worker : workers) worker.join();
}

void Engine::run_loop(asio::io_context& loop) {
  for (;;) {
    try {
      loop.run();
      return;
    } catch (const std::exception& exception) {
      spdlog::error("Exception inattendue dans le serveur HTTP : {}", exception.what());
    }
  }
}

void Engine::start() {
  if (shut_down_) return;  // stop() came before run()
  beast::error_code ignored;
  signals_.add(SIGINT, ignored);
  signals_.add(SIGTERM, ignored);
  signals_.async_wait([this](beast::error_code error, int signal_number) {
    if (error) return;
    spdlog::info("Signal {} reçu : arrêt du serveur HTTP.", signal_number);
    shut_down();
  });
  accept();
}

void Engine::accept() {
  asio::io_context& loop = *loops_[next_loop_];
  next_loop_ = (next_loop_ + 1) % loops_.size();
  acceptor_.async_accept(loop, [this](beast::error_code error, tcp::socket socket) {
    on_accept(error, std::move(socket));
  });
}

void Engine::on_accept(beast::error_code error, tcp::socket socket) {
  if (shut_down_ || error == asio::error::operation_aborted) return;
  if (error) {
    // Out of file descriptors, typically: wait a little instead of spinning.
    log_accept_failure(error.message());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](beast::error_code timer_error) {
      if (!timer_error && !shut_down_) accept();
    });
    return;
  }
  beast::error_code ignored;
  std::string address = socket.remote_endpoint(ignored).address().to_string();
  if (!admit(address)) {
    log_accept_failure("trop de connexions ouvertes (" + address + ")");
    socket.close(ignored);
    return accept();
  }
  socket.set_option(tcp::no_delay(true), ignored);
  auto session = std::make_shared<Session>(*this, std::move(socket), std::move(address));
  remember(session);
  session->start();
  accept();
}

void Engine::log_accept_failure(const std::string& what) {
  if (const auto suppressed = accept_failures_.admit(Clock::now())) {
    if (*suppressed == 0) {
      spdlog::warn("Connexion refusée : {}", what);
    } else {
      spdlog::warn("Connexion refusée : {} ({} autre(s) refus non journalisé(s) depuis le précédent)", what, *suppressed);
    }
  }
}

bool Engine::admit(const std::string& address) {
  const std::size_t total_cap = options_.max_connections;
  const std::size_t address_cap = options_.max_connections_per_address;
  std::shared_ptr<Session> victim;
  // Sessions locked here are released after the mutex: the last release runs ~Session, which
  // takes the mutex to forget itself.
  std::vector<std::shared_ptr<Session>> seen;
  std::shared_ptr<Session> oldest_any;
  std::shared_ptr<Session> oldest_here;
  {
    const std::lock_guard lock(sessions_mutex_);
    const auto here = sessions_by_address_.find(address);
    const std::size_t from_here = here == sessions_by_address_.end() ? 0 : here->second;
    // The counts include connections already being closed: only then is a full pass needed.
    const bool near_total = total_cap != 0 && sessions_.size() >= total_cap;
    const bool near_address = address_cap != 0 && from_here >= address_cap;
    if (!near_total && !near_address) return true;
    std::size_t live_total = 0;
    std::size_t live_here = 0;
    seen.reserve(sessions_.size());
    // Keep-alive connections are closed before those that never sent a request, the longest
    // idle first.
    auto better = [](const std::shared_ptr<Session>& candidate, const std::shared_ptr<Session>& best) {
      if (!best) return true;
      const bool kept = candidate->idleness() == Session::Idleness::idle_kept_alive;
      const bool best_kept = best->idleness() == Session::Idleness::idle_kept_alive;
      if (kept != best_kept) return kept;
      return candidate->idle_since_ns() < best->idle_since_ns();
    };
    for (const auto& [key, weak] : sessions_) {
      auto session = weak.lock();
      if (!session || session->evicted()) continue;
      seen.push_back(session);
      const bool same_address = session->remote_address() == address;
      ++live_total;
      if (same_address) ++live_here;
      if (session->idleness() == Session::Idleness::busy) continue;
      if (better(session, oldest_any)) oldest_any = session;
      if (same_address && better(session, oldest_here)) oldest_here = session;
    }
    const bool over_address = address_cap != 0 && live_here >= address_cap;
    const bool over_total = total_cap != 0 && live_total >= total_cap;
    if (!over_address && !over_total) return true;
    // Closing one of this address's connections also frees a place under the total cap.
    victim = over_address ? oldest_here : oldest_any;
    if (!victim || !victim->mark_evicted()) return false;
  }
  victim->request_stop();
  return true;
}

void Engine::remember(const std::shared_ptr<Session>& session) {
  const std::lock_guard lock(sessions_mutex_);
  sessions_.emplace(session.get(), session);
  ++sessions_by_address_[session->remote_address()];
}

void Engine::forget(const Session* session, const std::string& address) {
  const std::lock_guard lock(sessions_mutex_);
  if (sessions_.erase(session) == 0) return;
  const auto here = sessions_by_address_.find(address);
  if (here != sessions_by_address_.end() && --here->second == 0) sessions_by_address_.erase(here);
}

void Engine::shut_down() {
  if (shut_down_) return;
  shut_down_ = true;
  stopping_.store(true, std::memory_order_relaxed);
  beast::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  signals_.cancel(ignored);
  signals_.clear(ignored);
  // Locked sessions are released outside the lock: the last release runs ~Session, which
  // takes the lock to forget itself.
  std::vector<std::shared_ptr<Session>> open;
  {
    const std::lock_guard lock(sessions_mutex_);
    open.reserve(sessions_.size());
    for (const auto& [key, weak] : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->request_stop();
  open.clear();
  wait_for_drain(Clock::now() + kDrainTimeout);
}

// Polls until every connection has ended, then lets the loops run out of work so that run()
// returns; stops them at the deadline if some request never finishes.
void Engine::wait_for_drain(Clock::time_point deadline) {
  std::size_t open = 0;
  {
    const std::lock_guard lock(sessions_mutex_);
    open = sessions_.size();
  }
  if (open == 0) {
    keep_running_.clear();
    return;
  }
  if (Clock::now() >= deadline) {
    spdlog::warn("Arrêt du serveur HTTP : {} connexion(s) encore ouvertes, abandonnées.", open);
    keep_running_.clear();
    for (const auto& loop : loops_) loop->stop();
    return;
  }
  drain_timer_.expires_after(kDrainPollInterval);
  drain_timer_.async_wait([this, deadline](beast::error_code error) {
    if (!error) wait_for_drain(deadline);
  });
}

// A write answered with a 5xx status (a full disk, a database that cannot write) is logged, at
// most one line a second, with the start of the answer (its French message); /healthz counts
// the failures in a row (Metrics::failed_writes_in_a_row).
void Engine::note_write(const Request& request, const std::string& route_name, const Response& response) {
  const auto log_now = metrics_.record_write(response.status);
  if (!log_now) return;
  constexpr std::size_t kExcerpt = 300;
  spdlog::error("{} {} (route {}) : écriture en échec, statut {} : {}{}", to_std(http::to_string(request.method)),
                request.path, route_name, response.status, response.body.substr(0, kExcerpt),
                *log_now == 0 ? std::string() : fmt::format(" ({} autre(s) échec(s) non journalisé(s))", *log_now));
}

Response Engine::dispatch(Request& request, std::string& route_name) {
  static constexpr std::string_view kStaticPrefix = "/static/";
  if (static_files_ && request.path.compare(0, kStaticPrefix.size(), kStaticPrefix) == 0) {
    route_name = "static";
    if (request.method != Verb::get && request.method != Verb::head) {
      return error(request, 405, "Méthode non autorisée pour cette adresse.")
          .with_header("Allow", join_verbs({Verb::get, Verb::head}));
    }
    if (std::optional<Response> file = static_files_->serve(request)) return std::move(*file);
    return error(request, 404, "Page introuvable.");
  }

  if (std::optional<Response> answer = preflight(request)) {
    route_name = "cors_preflight";
    return std::move(*answer);
  }
  Router::Match match = router_.match(request.method, request.path);
  route_name = std::move(match.route_name);
  switch (match.outcome) {
    case Router::Match::Outcome::not_found:
      return error(request, 404, "Page introuvable.");
    case Router::Match::Outcome::method_not_allowed:
      return error(request, 405, "Méthode non autorisée pour cette adresse.")
          .with_header("Allow", join_verbs(match.allowed));
    case Router::Match::Outcome::found:
      break;
  }
  request.params = std::move(match.params);
  try {
    Response response = (*match.handler)(request);
    add_cors(request, response);
    if (request.method != Verb::get && request.method != Verb::head && request.method != Verb::options) {
      note_write(request, route_name, response);
    }
    return response;
  } catch (const std::exception& exception) {
    spdlog::error("{} {} (route {}) : exception {}", to_std(http::to_string(request.method)), request.target,
                  route_name, exception.what());
  } catch (...) {
    spdlog::error("{} {} (route {}) : exception inconnue", to_std(http::to_string(request.method)), request.target,
                  route_name);
  }
  return error(request, 500, "Erreur interne du serveur.");
}

// The Fetch standard's CORS protocol, for reads only: any origin may read the public API
// (no credentials: "*" forbids them), and a preflight allows the headers a reader sends.
std::optional<Response> Engine::preflight(const Request& request) const {
  const std::string& prefix = options_.cors_read_prefix;
  if (request.method != Verb::options || prefix.empty() || request.path.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  if (router_.match(Verb::get, request.path).outcome != Router::Match::Outcome::found) return std::nullopt;
  Response response;
  response.status = 204;
  response.content_type.clear();
  response.with_header("Allow", "GET, HEAD, OPTIONS");
  const std::string_view method = request.header("access-control-request-method");
  // A preflight for a write gets no CORS headers: the browser then refuses the request.
  if (!request.header("origin").empty() && (method.empty() || method == "GET" || method == "HEAD")) {
    response.with_header("Access-Control-Allow-Origin", "*");
    response.with_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    response.with_header("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, If-Match");
    response.with_header("Access-Control-Max-Age", std::string(kCorsMaxAgeSeconds));
  }
  response.with_header("Cache-Control", "public, max-age=" + std::string(kCorsMaxAgeSeconds));
  return response;
}

void Engine::add_cors(const Request& request, Response& response) const {
  const std::string& prefix = options_.cors_read_prefix;
  if ((request.method != Verb::get && request.method != Verb::head) || prefix.empty() ||
      request.path.compare(0, prefix.size(), prefix) != 0 || response.has_header("Access-Control-Allow-Origin")) {
    return;
  }
  response.with_header("Access-Control-Allow-Origin", "*");
  response.with_header("Access-Control-Expose-Headers", "ETag, Location");
}

Response Engine::error(const Request& request, unsigned status, const std::string& message) {
  if (render_error_) {
    try {
      Response response = render_error_(request, status, message);
      response.status = status;
      return response;
    } catch (const std::exception& exception) {
      spdlog::error("Rendu de l'erreur {} impossible : {}", status, exception.what());
    } catch (...) {
      spdlog::error("Rendu de l'erreur {} impossible : exception inconnue", status);
    }
  }
  return Response::text(message, status);
}

}  // namespace

std::uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t previous = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::warn("Limite de fichiers ouverts laissée à {} : {}", previous, std::strerror(errno));
      limit.rlim_cur = previous;
    } else {
      spdlog::info("Limite de fichiers ouverts relevée de {} à {}.", previous, limit.rlim_cur);
    }
  }
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

struct Server::Impl {
  Impl(ServerOptions options, const Router& router, Metrics& metrics, ErrorRenderer render_error)
      : engine(std::move(options), router, metrics, std::move(render_error)) {}
  Engine engine;
};

Result<std::unique_ptr<Server>> Server::create(ServerOptions options, const Router& router, Metrics& metrics,
                                               ErrorRenderer render_error) {
  auto impl = std::make_unique<Impl>(std::move(options), router, metrics, std::move(render_error));
  if (Status listening = impl->engine.listen(); !listening.ok()) return std::move(listening).error();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

std::uint16_t Server::port() const { return impl_->engine.port(); }
void Server::run() { impl_->engine.run(); }
void Server::stop() { impl_->engine.stop(); }

}  // namespace vigie::web
