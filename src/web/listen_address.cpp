#include "web/listen_address.h"

#include <boost/asio.hpp>

#include <charconv>
#include <string_view>

namespace vigie::web {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Result<ListenAddress> parse_listen_address(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Error::invalid("Adresse d'écoute invalide « " + listen + " » : hôte:port attendu.");
  ListenAddress address;
  address.host = listen.substr(0, colon);
  if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  if (address.host.empty()) address.host = "0.0.0.0";
  address.port_text = listen.substr(colon + 1);
  const std::string_view port = address.port_text;
  const auto parsed = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (port.empty() || parsed.ec != std::errc{} || parsed.ptr != port.data() + port.size()) {
    return Error::invalid("Adresse d'écoute invalide « " + listen + " » : port incorrect.");
  }
  return address;
}

Result<tcp::endpoint> resolve_listen_address(const ListenAddress& address, const std::string& listen) {
  boost::system::error_code error;
  const asio::ip::address ip = asio::ip::make_address(address.host, error);
  if (!error) return tcp::endpoint(ip, address.port);
  asio::io_context io;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(address.host, address.port_text, error);
  if (!error && results.empty()) error = asio::error::host_not_found;
  if (error) return Error::unavailable("Impossible d'écouter sur " + listen + " : " + error.message());
  return results.begin()->endpoint();
}

Status probe_listen_address(const std::string& listen) {
  TRY_ASSIGN(const ListenAddress address, parse_listen_address(listen));
  if (address.port == 0) return {};
  TRY_ASSIGN(const tcp::endpoint endpoint, resolve_listen_address(address, listen));
  auto unavailable = [&](const boost::system::error_code& error) {
    const bool taken = error == asio::error::address_in_use;
    return Error::unavailable("Impossible d'écouter sur " + listen + " : " +
                              (taken ? std::string("adresse déjà utilisée (un autre serveur Vigie tourne-t-il ?)") : error.message()) +
                              ". Rien n'a été modifié.");
  };
  asio::io_context io;
  boost::system::error_code error;
  tcp::acceptor acceptor(io);
  if (acceptor.open(endpoint.protocol(), error)) return unavailable(error);
  if (acceptor.set_option(asio::socket_base::reuse_address(true), error)) return unavailable(error);
  if (acceptor.bind(endpoint, error)) return unavailable(error);
  return {};
}

}  // namespace vigie::web
