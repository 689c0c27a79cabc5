// The HTTP/1.1 server: Boost.Beast on one Asio event loop per thread. Connections are given to
// the loops in turn when accepted, and every handler of a connection runs on its loop's thread:
// nothing is handed between threads on the way of a request. Handlers are synchronous and
// short; one that takes long (a page rendered) delays the other connections of its thread, not
// those of the other threads, and a slow client never blocks anyone (its I/O is asynchronous).
//
// A response that a cache serves many times (Response::prepared, web/prepared_response.h) is
// serialised once, per content coding, and every later answer is one gather write of those
// bytes with the Date and Connection fields spliced in; a 304 is prepared the same way. The
// bytes are those the general path would send.
//
// On every response the server adds the security headers (Content-Security-Policy,
// X-Content-Type-Options, Referrer-Policy, X-Frame-Options, Permissions-Policy,
// Cross-Origin-Opener-Policy; Strict-Transport-Security when configured), a Date, a
// Server-Timing-free Server header "Vigie", and `Cache-Control: private, no-store` when the
// handler chose no caching policy. It answers on its own, through `render_error`, when the
// router finds no route (404), the method is not allowed (405 + Allow), the body is larger than
// `max_body_bytes` (413), the request is malformed (400, also for an HTTP/1.1 request without
// a Host header or any request with several, RFC 9112 §3.2), or a handler throws (500, logged).
//
// HTTP caching: a GET or HEAD answer 200 carrying an ETag goes through the conditional request
// rules (web/conditional.h) after its encoding is chosen, so it may become 304 or 412; a
// response compressed on the fly gets the strong ETag of its gzip variant.
//
// CORS: under `cors_read_prefix`, answers to GET and HEAD carry
// `Access-Control-Allow-Origin: *` and OPTIONS is answered as a preflight for the paths that have
// a GET route; other methods never get CORS headers, so a browser refuses cross-site writes.
//
// Connections: beyond `max_connections` (or `max_connections_per_address` for one client
// address), a new connection first closes the longest-idle connection (keep-alive ones before
// those that never sent a request) of the same scope; when none is idle it is refused (closed
// at once). Accept failures are logged at most once a second, with the count of those left
// unlogged.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "web/http.h"
#include "web/metrics.h"
#include "web/router.h"

namespace vigie::web {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port
  unsigned threads = 0;                    // 0: one per core
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  std::chrono::seconds read_timeout{30};   // whole request, headers and body
  std::chrono::seconds idle_timeout{60};   // keep-alive between requests
  std::string static_dir;                  // served under /static/ when not empty
  std::size_t max_connections = 10'000;            // 0: no limit
  std::size_t max_connections_per_address = 1'000;  // 0: no limit
  std::chrono::seconds hsts_max_age{0};            // 0: no Strict-Transport-Security header
  std::string cors_read_prefix;                    // e.g. "/api/v1/"; empty: no CORS
};

// Raises the soft limit on open files (RLIMIT_NOFILE) to the hard limit, so that connections,
// not descriptors, are what the caps above bound. Returns the soft limit now in force (0 when it
// cannot be read); never fails.
std::uint64_t raise_open_file_limit();

// Renders an error the server produces itself (status and French message). The application
// supplies it, so that /api/ paths get an RFC 9457 problem document and pages an HTML page.
using ErrorRenderer = std::function<Response(const Request&, unsigned status, const std::string& message)>;

class Server {
 public:
  // Binds the listening socket. Fails with `unavailable` naming the address if it cannot, and
  // with `invalid` if `options.listen` is not host:port (IPv6 hosts in brackets).
  static Result<std::unique_ptr<Server>> create(ServerOptions options, const Router& router, Metrics& metrics,
                                                ErrorRenderer render_error);
  // Precondition: run() is not running (stop() it and let it return first).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (useful with port 0).
  std::uint16_t port() const;
  // Serves until stop() is called or SIGINT/SIGTERM is received. Blocks the calling thread,
  // which runs the first loop (with the acceptor). Call it once.
  void run();
  // Stops accepting and returns from run() once in-flight requests are answered. Thread-safe.
  // Idle keep-alive connections are closed at once; requests still unanswered after 10 s are
  // abandoned.
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigie::web
