// A response serialised once and written many times: the server prepares the bytes of a cached
// page (status line, header fields and body, one set per content coding) the first time it sends
// it, and answers every later hit by writing those bytes with a scatter/gather write, with only
// the parts that vary per request spliced in (the HTTP version, Date, Connection, and whether
// the body follows: not for HEAD). No allocation and no copy of the body per request.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigie::web {

// One serialised message (RFC 9112 §4 status line, §5 field lines, §6 body).
class WireResponse {
 public:
  enum class Version { http_1_0, http_1_1 };
  // Whether the connection stays open after this answer. HTTP/1.1 keeps connections open unless
  // told "Connection: close"; HTTP/1.0 closes them unless told "Connection: keep-alive"
  // (RFC 9112 §9.3), so only the departure from each version's default is written.
  enum class Connection { keep_alive, close };
  enum class Body { included, omitted };  // omitted: the answer to HEAD, same header fields

  // The pieces to write, in order (some may be empty), for one request.
  static constexpr std::size_t kPieces = 5;
  using Pieces = std::array<std::string_view, kPieces>;

  WireResponse() = default;
  // `fields` must not hold Date or Connection, which pieces() adds; they are written in their
  // order, as given (names and values are not checked: the caller has validated them).
  // Content-Length is the caller's to include. `reason` may be empty.
  WireResponse(unsigned status, std::string_view reason, const std::vector<std::pair<std::string, std::string>>& fields,
               std::string_view body);

  // The message for one request. `date` is the Date value (RFC 9110 §5.6.7). The views point
  // into this object and into static storage: they live as long as this object and `date`.
  Pieces pieces(Version version, Connection connection, std::string_view date, Body body) const;

 private:
  // " 200 OK\r\n<fields>Date: " then "\r\n" and the body: the Date value and the Connection
  // line go between the two.
  std::string text_;
  std::size_t date_at_ = 0;  // where the second part starts
};

// What a server prepared for one response it sends many times: the answer 200 and 304 for the
// identity coding and, when the representation varies with Accept-Encoding, for gzip, with the
// entity tags that decide the 304. Built by the server (web/server.cpp) from its own rendering
// of the response, so the bytes are exactly what the general path would send.
struct PreparedResponse {
  struct Coding {
    WireResponse ok;
    WireResponse not_modified;  // meaningful when `etag` is not empty
    std::string etag;           // the ETag field value sent with this coding
  };
  const void* owner = nullptr;  // the server that prepared it, whose options shaped the bytes
  // What it was prepared from: a copy of the response that differs (a header added on one path
  // only) is not sent from these bytes.
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t body_bytes = 0;
  Coding identity;
  bool varies_with_encoding = false;  // then `gzip` is set
  Coding gzip;
};

// The slot a cache attaches to a response it serves many times (Response::prepared): filled once
// by the first server to send the response, then read by every request. Thread-safe.
class PreparedSlot {
 public:
  // The prepared response, or null while none is set.
  const PreparedResponse* get() const { return ready_.load(std::memory_order_acquire); }
  // Sets the prepared response unless one is set already; returns the one in force.
  const PreparedResponse* set_once(std::unique_ptr<const PreparedResponse> prepared);

 private:
  std::mutex mutex_;  // guards owned_
  std::unique_ptr<const PreparedResponse> owned_;
  std::atomic<const PreparedResponse*> ready_{nullptr};  // owned_, published once
};

}  // namespace vigie::web
