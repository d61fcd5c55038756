#include "core/net/http_client.h"

#include <poll.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>

namespace gitopsd::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

bool IsIdempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// One keep-alive connection. It owns its io_context so a blocking call can
// drive it from whichever thread checked it out.
struct Connection {
  explicit Connection(ssl::context* tls_ctx) {
    if (tls_ctx != nullptr) {
      tls = std::make_unique<TlsStream>(ioc, *tls_ctx);
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
    }
  }
  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // True when an idle pooled connection is still usable: nothing readable
  // (neither data nor a hang-up) has arrived since the last response.
  bool LooksAlive() {
    auto& sock = Lowest().socket();
    if (!sock.is_open()) return false;
    pollfd pfd{sock.native_handle(), POLLIN | POLLRDHUP, 0};
    return ::poll(&pfd, 1, 0) == 0;
  }

  asio::io_context ioc;  // declared first: destroyed after the streams
  std::unique_ptr<TlsStream> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  beast::flat_buffer buffer;
  Clock::time_point idle_since;
  bool reused = false;
};

// Completion handler accepting any (error_code, ...) signature.
struct Done {
  std::optional<beast::error_code>* out;
  template <typename... Args>
  void operator()(beast::error_code ec, Args&&...) const { *out = ec; }
};

// Runs the operation `start(Done)` begins until it completes; the tcp
// stream's expiry enforces `deadline`; `cancel` aborts it.
template <typename Start>
beast::error_code Run(Connection& conn, Clock::time_point deadline,
                      const std::atomic<bool>* cancel, Start&& start) {
  std::optional<beast::error_code> result;
  if (deadline == Clock::time_point::max()) {
    conn.Lowest().expires_never();
  } else {
    conn.Lowest().expires_at(deadline);
  }
  start(Done{&result});
  bool cancelled = false;
  while (!result) {
    conn.ioc.restart();
    conn.ioc.run_for(std::chrono::milliseconds(100));
    if (!result && !cancelled && cancel != nullptr && cancel->load()) {
      conn.Lowest().cancel();
      cancelled = true;
    }
  }
  return *result;
}

bool IsStaleConnectionError(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == ssl::error::stream_truncated || ec == http::error::partial_message;
}

// What went wrong in one exchange, and whether a retry on a fresh
// connection is safe.
struct Failure {
  beast::error_code ec;
  std::string phase;  // "connect", "write", "read"
};

}  // namespace

class HttpClient::Impl {
 public:
  explicit Impl(HttpClientOptions options) : options_(std::move(options)) {}

  Status Init() {
    try {
      tls_ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3);
      if (options_.tls.ca_pem.empty()) {
        tls_ctx_.set_default_verify_paths();
      } else {
        tls_ctx_.add_certificate_authority(asio::buffer(options_.tls.ca_pem));
      }
      if (options_.tls.client_cert_pem.empty() != options_.tls.client_key_pem.empty()) {
        return InvalidArgument("client certificate and key must be given together");
      }
      if (!options_.tls.client_cert_pem.empty()) {
        tls_ctx_.use_certificate_chain(asio::buffer(options_.tls.client_cert_pem));
        tls_ctx_.use_private_key(asio::buffer(options_.tls.client_key_pem),
                                 ssl::context::pem);
      }
    } catch (const boost::system::system_error& e) {
      return InvalidArgument(std::string("loading TLS material: ") + e.what());
    }
    return Status::Ok();
  }

  Result<HttpClientResponse> Call(const HttpClientRequest& request,
                            const std::function<bool(std::string_view)>* on_data,
                            const StreamOptions& stream_options);

  size_t connections_opened() const { return opened_.load(); }

 private:
  using ConnPtr = std::unique_ptr<Connection>;

  static std::string PoolKey(const Url& url) {
    return url.scheme + "://" + url.host + ":" + url.port;
  }
  Result<ConnPtr> Acquire(const Url& url, Clock::time_point deadline);
  void Release(const Url& url, ConnPtr conn);
  std::optional<Failure> Dial(Connection& conn, const Url& url, Clock::time_point deadline);
  std::optional<Failure> Exchange(Connection& conn, const http::request<http::string_body>& req,
                                  Clock::time_point deadline,
                                  const std::function<bool(std::string_view)>* on_data,
                                  const StreamOptions& so, HttpClientResponse* out, bool* reusable);
  Status ToStatus(const HttpClientRequest& req, const Failure& f,
                  const std::atomic<bool>* cancel) const;

  HttpClientOptions options_;
  ssl::context tls_ctx_{ssl::context::tls_client};
  std::mutex mu_;
  std::map<std::string, std::vector<ConnPtr>> idle_;
  std::atomic<size_t> opened_{0};
};

std::optional<Failure> HttpClient::Impl::Dial(Connection& conn, const Url& url,
                                              Clock::time_point deadline) {
  deadline = std::min(deadline, Clock::now() + options_.connect_timeout);
  tcp::resolver resolver(conn.ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return Failure{ec, "resolve " + url.host};
  ec = Run(conn, deadline, nullptr,
           [&](Done done) { conn.Lowest().async_connect(endpoints, done); });
  if (ec) return Failure{ec, "connect"};
  // Requests are small writes (TLS records of the header, then the body)
  // followed by a read: with Nagle's algorithm the second write waits for
  // the peer's delayed ACK, 40 ms on Linux, on every request.
  beast::error_code nodelay_ec;
  conn.Lowest().socket().set_option(tcp::no_delay(true), nodelay_ec);
  opened_++;
  if (!conn.tls) return std::nullopt;
  const std::string& name =
      options_.tls.server_name.empty() ? url.host : options_.tls.server_name;
  if (!IsIpLiteral(name)) SSL_set_tlsext_host_name(conn.tls->native_handle(), name.c_str());
  if (options_.tls.insecure_skip_verify) {
    conn.tls->set_verify_mode(ssl::verify_none);
  } else {
    conn.tls->set_verify_mode(ssl::verify_peer);
    conn.tls->set_verify_callback(ssl::host_name_verification(name));
  }
  ec = Run(conn, deadline, nullptr, [&](Done done) {
    conn.tls->async_handshake(ssl::stream_base::client, done);
  });
  if (ec) return Failure{ec, "TLS handshake"};
  return std::nullopt;
}

Result<HttpClient::Impl::ConnPtr> HttpClient::Impl::Acquire(const Url& url,
                                                            Clock::time_point deadline) {
  {
    std::lock_guard lock(mu_);
    auto& idle = idle_[PoolKey(url)];
    while (!idle.empty()) {
      ConnPtr conn = std::move(idle.back());
      idle.pop_back();
      if (Clock::now() - conn->idle_since < options_.max_idle_time && conn->LooksAlive()) {
        conn->reused = true;
        return conn;
      }
    }
  }
  auto conn = std::make_unique<Connection>(url.scheme == "https" ? &tls_ctx_ : nullptr);
  if (auto failure = Dial(*conn, url, deadline)) {
    HttpClientRequest dummy;
    dummy.url = url.scheme + "://" + url.HostHeader();
    return ToStatus(dummy, *failure, nullptr);
  }
  return conn;
}

void HttpClient::Impl::Release(const Url& url, ConnPtr conn) {
  conn->idle_since = Clock::now();
  conn->buffer.clear();
  std::lock_guard lock(mu_);
  auto& idle = idle_[PoolKey(url)];
  if (idle.size() < options_.max_idle_per_host) idle.push_back(std::move(conn));
}

std::optional<Failure> HttpClient::Impl::Exchange(
    Connection& conn, const http::request<http::string_body>& req, Clock::time_point deadline,
    const std::function<bool(std::string_view)>* on_data, const StreamOptions& so,
    HttpClientResponse* out, bool* reusable) {
  *reusable = false;
  auto ec = Run(conn, deadline, so.cancel, [&](Done done) {
    if (conn.tls) {
      http::async_write(*conn.tls, req, done);
    } else {
      http::async_write(*conn.plain, req, done);
    }
  });
  if (ec) return Failure{ec, "write"};

  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  auto read = [&](auto&& op, Clock::time_point until) {
    return Run(conn, until, so.cancel, [&](Done done) {
      if (conn.tls) {
        op(*conn.tls, done);
      } else {
        op(*conn.plain, done);
      }
    });
  };
  ec = read([&](auto& s, Done d) { http::async_read_header(s, conn.buffer, parser, d); },
            deadline);
  if (ec) return Failure{ec, "read"};

  const auto& head = parser.get();
  out->status = static_cast<int>(head.result_int());
  for (const auto& field : head) {
    out->headers.push_back({Lower(field.name_string()), std::string(field.value())});
  }
  const bool streamed = on_data != nullptr && out->status / 100 == 2;
  std::vector<char> buf(64 * 1024);
  bool stopped = false;
  while (!parser.is_done()) {
    parser.get().body().data = buf.data();
    parser.get().body().size = buf.size();
    Clock::time_point until = deadline;
    if (streamed) {
      until = so.idle_timeout.count() > 0 ? Clock::now() + so.idle_timeout
                                          : Clock::time_point::max();
    }
    ec = read([&](auto& s, Done d) { http::async_read_some(s, conn.buffer, parser, d); }, until);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return Failure{ec, "read body"};
    const size_t n = buf.size() - parser.get().body().size;
    if (n == 0) continue;
    if (streamed) {
      if (!(*on_data)(std::string_view(buf.data(), n))) {
        stopped = true;
        break;
      }
    } else {
      if (out->body.size() + n > options_.max_response_bytes) {
        return Failure{http::error::body_limit, "read body"};
      }
      out->body.append(buf.data(), n);
    }
  }
  *reusable = !stopped && parser.is_done() && parser.keep_alive();
  return std::nullopt;
}

Status HttpClient::Impl::ToStatus(const HttpClientRequest& req, const Failure& f,
                                  const std::atomic<bool>* cancel) const {
  std::string what = req.method + " " + req.url + ": " + f.phase + ": ";
  if (f.ec == beast::error::timeout) return DeadlineExceeded(what + "timed out");
  if (f.ec == http::error::body_limit) {
    return ResourceExhausted(what + "response body larger than " +
                             std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (cancel != nullptr && cancel->load()) return Cancelled(what + "cancelled");
  return Unavailable(what + f.ec.message());
}

Result<HttpClientResponse> HttpClient::Impl::Call(const HttpClientRequest& request,
                                            const std::function<bool(std::string_view)>* on_data,
                                            const StreamOptions& so) {
  ASSIGN_OR_RETURN(Url url, Url::Parse(request.url));
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    return InvalidArgument("unknown HTTP method \"" + request.method + "\"");
  }
  http::request<http::string_body> req{verb, url.target, 11};
  req.set(http::field::host, url.HostHeader());
  req.set(http::field::user_agent, options_.user_agent);
  for (const auto& h : request.headers) req.insert(h.name, h.value);
  req.body() = request.body;
  req.keep_alive(true);
  req.prepare_payload();

  auto budget = request.timeout.count() > 0 ? request.timeout : options_.default_timeout;
  const auto deadline = Clock::now() + budget;
  for (int attempt = 0;; ++attempt) {
    if (so.cancel != nullptr && so.cancel->load()) {
      return Cancelled(request.method + " " + request.url + ": cancelled");
    }
    ASSIGN_OR_RETURN(ConnPtr conn, Acquire(url, deadline));
    HttpClientResponse response;
    bool reusable = false;
    auto failure = Exchange(*conn, req, deadline, on_data, so, &response, &reusable);
    if (!failure) {
      if (reusable && options_.max_idle_per_host > 0) Release(url, std::move(conn));
      return response;
    }
    const bool nothing_received = response.status == 0;
    if (attempt == 0 && conn->reused && nothing_received && IsStaleConnectionError(failure->ec) &&
        IsIdempotent(request.method)) {
      continue;  // a dead keep-alive connection: retry once on a fresh one
    }
    return ToStatus(request, *failure, so.cancel);
  }
}

Result<Url> Url::Parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument("invalid URL \"" + std::string(text) + "\": " + std::string(why));
  };
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return bad("no scheme");
  Url url;
  url.scheme = Lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") return bad("scheme must be http or https");
  std::string_view rest = text.substr(sep + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view target = end == std::string_view::npos ? "" : rest.substr(end);
  if (size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  if (authority.find('@') != std::string_view::npos) return bad("user info is not supported");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("garbage after IPv6 literal");
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("no host");
  if (!port.empty() && !std::all_of(port.begin(), port.end(), ::isdigit)) return bad("bad port");
  url.port = port.empty() ? (url.scheme == "https" ? "443" : "80") : std::string(port);
  url.target = target.empty() ? "/" : std::string(target);
  if (url.target.front() == '?') url.target.insert(url.target.begin(), '/');
  return url;
}

std::string Url::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  return default_port ? h : h + ":" + port;
}

std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string HttpClientResponse::Header(std::string_view name) const {
  std::string lower = Lower(name);
  for (const auto& h : headers) {
    if (h.name == lower) return h.value;
  }
  return "";
}

Result<std::unique_ptr<HttpClient>> HttpClient::Create(HttpClientOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<HttpClientResponse> HttpClient::Do(const HttpClientRequest& request) {
  return impl_->Call(request, nullptr, StreamOptions{});
}

Result<HttpClientResponse> HttpClient::Stream(const HttpClientRequest& request,
                                        const std::function<bool(std::string_view)>& on_data,
                                        const StreamOptions& options) {
  return impl_->Call(request, &on_data, options);
}

size_t HttpClient::connections_opened() const { return impl_->connections_opened(); }

}  // namespace gitopsd::net
