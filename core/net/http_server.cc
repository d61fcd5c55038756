#include "core/net/http_server.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "core/net/tls.h"

namespace gitopsd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string HttpRequest::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> HttpRequest::QueryParams() const {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    std::string_view part(query.data() + pos, (amp == std::string::npos ? query.size() : amp) - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string key = PercentDecode(part.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1), true);
      out[key] = value;
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return out;
}

HttpResponse& HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& h : headers) {
    if (beast::iequals(h.first, name)) {
      h.second = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string_view StatusText(int status) {
  auto text = http::obsolete_reason(static_cast<http::status>(status));
  return std::string_view(text.data(), text.size());
}

namespace {

std::string FormatHead(int status, const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(StatusText(status)) + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  return out;
}

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Close() = 0;
  virtual bool Streaming() const = 0;
};

struct Shared {
  HttpServerOptions options;
  HttpHandler handler;
  std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  std::atomic<bool> refuse{false};

  void Add(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard lock(mu);
    sessions[s.get()] = s;
  }
  void Remove(SessionBase* s) {
    std::lock_guard lock(mu);
    sessions.erase(s);
  }
  void CloseAll(bool streams_only = false) {
    std::vector<std::shared_ptr<SessionBase>> all;
    {
      std::lock_guard lock(mu);
      for (auto& [p, w] : sessions) {
        if (auto s = w.lock()) all.push_back(std::move(s));
      }
    }
    for (auto& s : all) {
      if (!streams_only || s->Streaming()) s->Close();
    }
  }
};

template <typename Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, std::shared_ptr<Shared> shared, std::string remote)
      : stream_(std::move(stream)), shared_(std::move(shared)), remote_(std::move(remote)) {}
  ~Session() override { shared_->Remove(this); }

  void Run() {
    shared_->Add(this->shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void Close() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->DoClose(); });
  }

  // --- called from responders (any thread) ---
  void SendRaw(std::string bytes, bool keep_alive) {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), b = std::move(bytes),
                                        keep_alive]() mutable {
      self->after_drain_ = keep_alive ? After::kRead : After::kClose;
      self->Enqueue(std::move(b));
    });
  }
  void StartStream(std::string head) {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), h = std::move(head)]() mutable {
      self->streaming_ = true;
      self->after_drain_ = After::kNothing;
      beast::get_lowest_layer(self->stream_).expires_never();
      self->Enqueue(std::move(h));
      self->WatchForDisconnect();
    });
  }
  bool WriteChunk(std::string data) {
    if (closed_.load()) return false;
    size_t n = data.size();
    if (queued_bytes_.fetch_add(n) + n > shared_->options.max_stream_queue_bytes) {
      Close();
      return false;
    }
    char size_line[32];
    int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
    std::string chunk(size_line, static_cast<size_t>(len));
    chunk += data;
    chunk += "\r\n";
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), c = std::move(chunk), n]() mutable {
      self->queued_bytes_.fetch_sub(n);
      self->Enqueue(std::move(c));
    });
    return true;
  }
  void EndStream() {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->after_drain_ = After::kClose;
      self->Enqueue("0\r\n\r\n");
    });
  }
  bool closed() const { return closed_.load(); }
  bool Streaming() const override { return streaming_.load(); }
  void SetOnClose(std::function<void()> cb) {
    std::lock_guard lock(cb_mu_);
    on_close_ = std::move(cb);
  }
  const std::string& remote() const { return remote_; }

 private:
  enum class After { kNothing, kRead, kClose };

  void Begin();  // specialised below: TLS handshake or straight to reading

  void DoRead() {
    if (closed_.load()) return;
    parser_.emplace();
    parser_->body_limit(shared_->options.max_body_bytes);
    parser_->header_limit(64 * 1024);
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(shared_->options.idle_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      if (ec == http::error::body_limit) {
        after_drain_ = After::kClose;
        Enqueue(FormatHead(413, {{"Content-Length", "0"}, {"Connection", "close"}}) + "\r\n");
        return;
      }
      DoClose();
      return;
    }
    beast::get_lowest_layer(stream_).expires_never();
    auto& msg = parser_->get();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    size_t q = req.target.find('?');
    req.path = PercentDecode(std::string_view(req.target).substr(0, q), false);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    req.body = std::move(msg.body());
    req.remote = remote_;
    keep_alive_ = msg.keep_alive();
    parser_.reset();
    Dispatch(std::move(req));
  }

  void Dispatch(HttpRequest req);

  void Enqueue(std::string bytes) {
    if (closed_.load()) return;
    queue_.push_back(std::move(bytes));
    if (!writing_) WriteNext();
  }

  void WriteNext() {
    if (queue_.empty()) {
      writing_ = false;
      OnDrained();
      return;
    }
    writing_ = true;
    asio::async_write(stream_, asio::buffer(queue_.front()),
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        self->queue_.pop_front();
                        if (ec) {
                          self->DoClose();
                          return;
                        }
                        self->WriteNext();
                      });
  }

  void OnDrained() {
    After next = after_drain_;
    after_drain_ = After::kNothing;
    if (next == After::kRead) {
      if (keep_alive_) {
        DoRead();
      } else {
        DoClose();
      }
    } else if (next == After::kClose) {
      DoClose();
    }
  }

  void WatchForDisconnect() {
    stream_.async_read_some(asio::buffer(probe_),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                self->DoClose();
                                return;
                              }
                              self->WatchForDisconnect();  // ignore stray bytes
                            });
  }

  void DoClose() {
    if (closed_.exchange(true)) return;
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
    std::function<void()> cb;
    {
      std::lock_guard lock(cb_mu_);
      cb.swap(on_close_);
    }
    if (cb) cb();
  }

  Stream stream_;
  std::shared_ptr<Shared> shared_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool keep_alive_ = true;
  std::atomic<bool> streaming_{false};
  After after_drain_ = After::kNothing;
  std::atomic<bool> closed_{false};
  std::atomic<size_t> queued_bytes_{0};
  char probe_[512];
  std::mutex cb_mu_;
  std::function<void()> on_close_;
};

template <typename Stream>
class Responder : public HttpResponder {
 public:
  explicit Responder(std::shared_ptr<Session<Stream>> session) : session_(std::move(session)) {}
  ~Responder() override {
    if (!answered_.exchange(true)) {
      session_->SendRaw(FormatHead(500, {{"Content-Type", "text/plain"}, {"Content-Length", "0"}}) + "\r\n",
                        true);
    }
  }
  void Send(HttpResponse response) override {
    if (answered_.exchange(true)) return;
    response.SetHeader("Content-Length", std::to_string(response.body.size()));
    std::string bytes = FormatHead(response.status, response.headers) + "\r\n" + response.body;
    session_->SendRaw(std::move(bytes), true);
  }
  void StartStream(int status, std::vector<std::pair<std::string, std::string>> headers) override {
    if (answered_.exchange(true)) return;
    headers.emplace_back("Transfer-Encoding", "chunked");
    headers.emplace_back("Connection", "close");
    session_->StartStream(FormatHead(status, headers) + "\r\n");
  }
  bool Write(std::string data) override {
    if (data.empty()) return !session_->closed();
    return session_->WriteChunk(std::move(data));
  }
  void EndStream() override { session_->EndStream(); }
  void Abort() override {
    answered_ = true;
    session_->Close();
  }
  bool Closed() const override { return session_->closed(); }
  void OnClose(std::function<void()> callback) override { session_->SetOnClose(std::move(callback)); }

 private:
  std::shared_ptr<Session<Stream>> session_;
  std::atomic<bool> answered_{false};
};

template <typename Stream>
void Session<Stream>::Dispatch(HttpRequest req) {
  auto responder = std::make_shared<Responder<Stream>>(this->shared_from_this());
  try {
    shared_->handler(std::move(req), std::move(responder));
  } catch (const std::exception& e) {
    log::Error("http", "request handler threw", {{"error", e.what()}});
  }
}

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <>
void Session<PlainStream>::Begin() {
  DoRead();
}

template <>
void Session<TlsStream>::Begin() {
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  stream_.async_handshake(asio::ssl::stream_base::server,
                          [self = shared_from_this()](beast::error_code ec) {
                            if (ec) {
                              self->DoClose();
                              return;
                            }
                            self->DoRead();
                          });
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;

  void Accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        Accept();
        return;
      }
      if (shared->refuse.load()) {
        beast::error_code ignored;
        socket.close(ignored);
        Accept();
        return;
      }
      beast::error_code rec;
      auto ep = socket.remote_endpoint(rec);
      std::string remote = rec ? "" : ep.address().to_string() + ":" + std::to_string(ep.port());
      socket.set_option(tcp::no_delay(true), rec);
      if (shared->options.tls) {
        auto* ctx = static_cast<asio::ssl::context*>(shared->options.tls->native());
        std::make_shared<Session<TlsStream>>(TlsStream(beast::tcp_stream(std::move(socket)), *ctx),
                                             shared, remote)
            ->Run();
      } else {
        std::make_shared<Session<PlainStream>>(PlainStream(std::move(socket)), shared, remote)->Run();
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared->options = std::move(options);
  impl_->shared->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  if (impl_->started) return FailedPrecondition("http server already started");
  const std::string& listen = impl_->shared->options.listen;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("listen address \"" + listen + "\": want host:port");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return InvalidArgument("listen address \"" + listen + "\": bad port");
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return InvalidArgument("listen address \"" + listen + "\": " + ec.message());
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  impl_->acceptor.emplace(impl_->ioc);
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(endpoint, ec);
  if (!ec) impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("listen on " + listen + ": " + ec.message());
  impl_->port = impl_->acceptor->local_endpoint().port();
  impl_->started = true;
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->Accept();
  int threads = std::max(1, impl_->shared->options.threads);
  for (int i = 0; i < threads; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor->close(ec);
  });
  impl_->shared->CloseAll();
  impl_->work.reset();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!impl_->ioc.stopped() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::DropConnections() { impl_->shared->CloseAll(); }

void HttpServer::DropStreams() { impl_->shared->CloseAll(true); }

void HttpServer::SetRefuseConnections(bool refuse) { impl_->shared->refuse = refuse; }

}  // namespace gitopsd::net
