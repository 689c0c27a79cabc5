// The address a server listens on ("host:port", IPv6 hosts in brackets), read and tried.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>

#include "core/result.h"

namespace vigie::web {

struct ListenAddress {
  std::string host;  // without brackets; "0.0.0.0" when empty
  std::string port_text;
  std::uint16_t port = 0;
};

// `invalid`, in French, when `listen` is not host:port.
Result<ListenAddress> parse_listen_address(const std::string& listen);

// The endpoint of `address` (an IP address as is, a host name resolved). `unavailable`, in
// French and naming `listen`, when the name does not resolve.
Result<boost::asio::ip::tcp::endpoint> resolve_listen_address(const ListenAddress& address, const std::string& listen);

// Binds `listen` once and lets it go: `unavailable`, in French and naming the address, when
// another process holds it (a server already running). Port 0 always succeeds. Lets a command
// stop before it touches its data; the server binds again for good.
Status probe_listen_address(const std::string& listen);

}  // namespace vigie::web
