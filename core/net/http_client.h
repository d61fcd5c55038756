// HttpClient: a blocking HTTP/1.1 client over Boost.Beast, plain or TLS
// (OpenSSL), with keep-alive connection pooling, a deadline on every call and
// streamed response bodies (for Kubernetes watches and event streams).
//
// One HttpClient talks with one TLS identity (trusted CAs, optional client
// certificate) to any number of hosts; pooled connections are keyed by
// scheme, host and port. HttpClient is thread-safe: concurrent calls each
// check a connection out of the pool (or dial a new one) and return it after
// a complete keep-alive response. Each connection owns a private io_context,
// so a call never depends on another thread running an event loop.
//
// A call never retries by itself except once, transparently, when a pooled
// (reused) connection turns out to be dead before any response byte arrived
// and the request is idempotent (GET, HEAD, PUT, DELETE, OPTIONS) - the
// request cannot have been processed twice in a way the caller did not ask
// for. Retrying on 429/5xx is the caller's policy (see daemon/kube).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gitopsd::net {

// A parsed absolute http(s) URL. Parse() refuses anything else.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6 literals
  std::string port;    // always set ("80"/"443" by default)
  std::string target;  // path + "?" + query, at least "/"

  static Result<Url> Parse(std::string_view url);
  // "host:port" as the Host header wants it (port omitted when default).
  std::string HostHeader() const;
};

// Percent-encodes a query parameter value (RFC 3986 unreserved kept).
std::string QueryEscape(std::string_view value);

struct ClientTlsOptions {
  // PEM bundle of trusted CAs. Empty: the system's default trust store.
  std::string ca_pem;
  // Skip server certificate verification (kubeconfig
  // insecure-skip-tls-verify). Never the default.
  bool insecure_skip_verify = false;
  // Name used for SNI and certificate verification instead of the URL's
  // host (kubeconfig tls-server-name). Empty: the URL's host.
  std::string server_name;
  // Client certificate (chain) and its private key, PEM. Both or neither.
  std::string client_cert_pem;
  std::string client_key_pem;
};

struct HttpClientOptions {
  ClientTlsOptions tls;
  // Dial + TLS handshake budget (also bounded by the call's own timeout).
  std::chrono::milliseconds connect_timeout{10'000};
  // Default whole-call budget when HttpClientRequest::timeout is zero.
  std::chrono::milliseconds default_timeout{30'000};
  // Idle keep-alive connections kept per host; 0 disables pooling.
  size_t max_idle_per_host = 8;
  // Pooled connections idle longer than this are closed, not reused.
  std::chrono::milliseconds max_idle_time{60'000};
  // Responses with a larger body are refused (ResourceExhausted).
  size_t max_response_bytes = 256u << 20;
  std::string user_agent = "gitopsd";
};

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;  // absolute: https://host:port/path?query
  std::vector<HttpHeader> headers;
  std::string body;
  // Whole-call budget (connect, send, headers, body); zero = the client's
  // default. For Stream() it bounds only the response head.
  std::chrono::milliseconds timeout{0};
};

struct HttpClientResponse {
  int status = 0;
  std::vector<HttpHeader> headers;  // names lower-cased, in arrival order
  std::string body;

  // The first value of a header (name case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

struct StreamOptions {
  // The stream fails with DeadlineExceeded when no byte arrives for this
  // long. Zero: no idle limit.
  std::chrono::milliseconds idle_timeout{0};
  // When set and it becomes true (from any thread), the stream ends with
  // Cancelled within ~100 ms.
  const std::atomic<bool>* cancel = nullptr;
};

// Transport errors map to: Unavailable (refused, reset, TLS handshake
// failure, DNS), DeadlineExceeded (timeouts), InvalidArgument (bad URL),
// ResourceExhausted (body too large), Cancelled. HTTP error statuses are not
// errors at this layer: they come back as responses.
class HttpClient {
 public:
  // Fails (InvalidArgument) when TLS material cannot be loaded.
  static Result<std::unique_ptr<HttpClient>> Create(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and reads the whole response.
  Result<HttpClientResponse> Do(const HttpClientRequest& request);

  // Sends the request; for a 2xx answer, passes body bytes to on_data as
  // they arrive (on_data returns false to stop) and returns the head with an
  // empty body when the body ends or the caller stopped. For other statuses
  // the whole body is read into the returned response and on_data is not
  // called.
  Result<HttpClientResponse> Stream(const HttpClientRequest& request,
                              const std::function<bool(std::string_view)>& on_data,
                              const StreamOptions& options = {});

  // Connections dialled so far (to observe keep-alive reuse in tests).
  size_t connections_opened() const;

  class Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gitopsd::net
