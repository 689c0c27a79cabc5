#include "web/access_rule.h"

#include <boost/asio/ip/address.hpp>
#include <sodium.h>

#include <algorithm>

namespace vigie::web {

namespace {

// The address in a form comparable with another's, or empty when it does not parse.
std::string normalised(std::string_view text) {
  boost::system::error_code error;
  auto address = boost::asio::ip::make_address(std::string(text), error);
  if (error) return {};
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

}  // namespace

Result<AccessRule> AccessRule::create(const std::vector<std::string>& addresses, std::string token) {
  AccessRule rule;
  for (const std::string& address : addresses) {
    std::string parsed = normalised(address);
    if (parsed.empty()) return Error::invalid("adresse IP invalide « " + address + " »");
    rule.addresses_.push_back(std::move(parsed));
  }
  rule.token_ = std::move(token);
  return rule;
}

bool AccessRule::allows(const Request& request) const {
  const std::string remote = normalised(request.remote_address);
  if (!remote.empty() && std::find(addresses_.begin(), addresses_.end(), remote) != addresses_.end()) return true;
  if (token_.empty()) return false;
  const std::string_view presented = bearer_token(request.header("authorization"));
  return presented.size() == token_.size() && sodium_memcmp(presented.data(), token_.data(), token_.size()) == 0;
}

}  // namespace vigie::web
