#include "web/prepared_response.h"

namespace vigie::web {

WireResponse::WireResponse(unsigned status, std::string_view reason,
                           const std::vector<std::pair<std::string, std::string>>& fields, std::string_view body) {
  std::size_t bytes = 16 + reason.size() + body.size();
  for (const auto& [name, value] : fields) bytes += name.size() + value.size() + 4;
  text_.reserve(bytes);
  text_ += ' ';
  text_ += std::to_string(status);
  text_ += ' ';
  text_ += reason;
  text_ += "\r\n";
  for (const auto& [name, value] : fields) {
    text_ += name;
    text_ += ": ";
    text_ += value;
    text_ += "\r\n";
  }
  text_ += "Date: ";
  date_at_ = text_.size();
  text_ += "\r\n";
  text_ += body;
}

WireResponse::Pieces WireResponse::pieces(Version version, Connection connection, std::string_view date,
                                          Body body) const {
  // The end of the Date line and, when it departs from the version's default, the Connection
  // line (RFC 9112 §9.3).
  static constexpr std::string_view kPlain = "\r\n";
  static constexpr std::string_view kClose = "\r\nConnection: close\r\n";
  static constexpr std::string_view kKeepAlive = "\r\nConnection: keep-alive\r\n";
  const bool old = version == Version::http_1_0;
  std::string_view connection_line = kPlain;
  if (!old && connection == Connection::close) connection_line = kClose;
  if (old && connection == Connection::keep_alive) connection_line = kKeepAlive;
  const std::string_view text = text_;
  // The blank line ending the header section, then the body.
  const std::string_view rest = body == Body::included ? text.substr(date_at_) : text.substr(date_at_, 2);
  return {old ? std::string_view("HTTP/1.0") : std::string_view("HTTP/1.1"), text.substr(0, date_at_), date,
          connection_line, rest};
}

const PreparedResponse* PreparedSlot::set_once(std::unique_ptr<const PreparedResponse> prepared) {
  const std::lock_guard lock(mutex_);
  if (!owned_) {
    owned_ = std::move(prepared);
    ready_.store(owned_.get(), std::memory_order_release);
  }
  return owned_.get();
}

}  // namespace vigie::web
