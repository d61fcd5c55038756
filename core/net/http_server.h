// A generic HTTP/1.1 server (Boost.Beast) for gitopsd's own listeners:
// kubesim, the daemon API, webhooks, server-sent events and the console.
//
// Plain TCP or TLS (see core/net/tls.h), keep-alive, one request handler
// callback, and streaming responses (chunked transfer encoding) for watches
// and SSE. The server owns an io_context run by `threads` threads; every
// connection lives on its own strand.
//
// Ownership and threading: HttpServer is created, started and stopped by one
// owner thread. The handler is called on an I/O thread, once per request; it
// must answer through the HttpResponder it is given (now or later, from any
// thread) and must not block for long. HttpResponder is thread-safe: all its
// methods post to the connection's strand. A responder that is dropped
// without an answer sends 500.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gitopsd::net {

class TlsContext;  // core/net/tls.h

struct HttpRequest {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw request target: path + "?" + query
  std::string path;     // percent-decoded path without the query
  std::string query;    // raw query string (no '?')
  // Header names are lower-cased; repeated headers are joined with ", ".
  std::map<std::string, std::string> headers;
  std::string body;
  std::string remote;   // "ip:port" of the peer

  // The value of header `name` (lower-case), or "".
  std::string Header(std::string_view name) const;
  // Query parameters, percent-decoded ('+' is a space); last value wins.
  std::map<std::string, std::string> QueryParams() const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  HttpResponse& SetHeader(std::string name, std::string value);
};

// Answers one request: either Send() once, or StartStream() then any number
// of Write() calls and a final EndStream(). Thread-safe.
class HttpResponder {
 public:
  virtual ~HttpResponder() = default;
  // Sends a complete response (Content-Length is set automatically).
  virtual void Send(HttpResponse response) = 0;
  // Sends the status line and headers of a chunked response.
  virtual void StartStream(int status,
                           std::vector<std::pair<std::string, std::string>> headers) = 0;
  // Queues one chunk. Returns false when the connection is gone or its
  // queue exceeds the server's max_stream_queue_bytes (the connection is
  // then closed: a slow consumer never grows memory without bound).
  virtual bool Write(std::string data) = 0;
  // Sends the terminating chunk; the connection may then serve the next
  // request (keep-alive).
  virtual void EndStream() = 0;
  // Closes the connection without a clean end (used to simulate failures).
  virtual void Abort() = 0;
  // True once the peer disconnected or the connection was closed.
  virtual bool Closed() const = 0;
  // Called once (on an I/O thread) when the connection closes while a
  // stream is open; used to unregister watchers. Set before StartStream.
  virtual void OnClose(std::function<void()> callback) = 0;
};

using HttpHandler = std::function<void(HttpRequest request, std::shared_ptr<HttpResponder>)>;

struct HttpServerOptions {
  // "host:port"; port 0 picks a free port (see HttpServer::port()).
  std::string listen = "127.0.0.1:0";
  // TLS when set (shared, may serve several servers); plain HTTP otherwise.
  std::shared_ptr<TlsContext> tls;
  int threads = 2;
  size_t max_body_bytes = 64u << 20;
  size_t max_stream_queue_bytes = 16u << 20;
  // Idle keep-alive connections are closed after this many seconds.
  int idle_timeout_seconds = 120;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the I/O threads. Error when the address is unusable.
  Status Start();
  // Closes the listener and every connection, joins the threads. Idempotent.
  void Stop();
  // The bound port (after Start).
  uint16_t port() const;
  // Closes every open connection now (idle, busy or streaming) while the
  // server keeps accepting new ones. Used for fault injection.
  void DropConnections();
  // Closes only the connections that are streaming a response (watches,
  // server-sent events).
  void DropStreams();
  // While `refuse` is true, new connections are accepted and closed at once.
  void SetRefuseConnections(bool refuse);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Percent-decodes `s` ('+' becomes a space when `plus_is_space`).
std::string PercentDecode(std::string_view s, bool plus_is_space);

// The reason phrase of an HTTP status code ("Not Found").
std::string_view StatusText(int status);

}  // namespace gitopsd::net
