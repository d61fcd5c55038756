// kubesim: run the Kubernetes API server simulator until SIGINT/SIGTERM.
//
//   kubesim --listen 127.0.0.1:6443 --token T --kubeconfig-out kubeconfig
//           [--state-file F] [--time-scale N] [--plain-http] [--cert-dir D]
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "core/log.h"
#include "kubesim/server.h"

int main(int argc, char** argv) {
  gitopsd::kubesim::Options o;
  bool plain = false;
  std::string log_level = "info";
  CLI::App app{"kubesim: a Kubernetes API server simulator (HTTPS, bearer token, fake controllers)"};
  app.add_option("--listen", o.listen, "host:port to listen on (port 0 = any free port)")->capture_default_str();
  app.add_option("--token", o.token, "bearer token clients must send (empty = no authentication)");
  app.add_option("--kubeconfig-out", o.kubeconfig_out, "write a kubeconfig for this server to FILE");
  app.add_option("--state-file", o.state_file, "durable JSON state file (loaded at start, written atomically)");
  app.add_option("--time-scale", o.time_scale, "divide controller delays and progress deadlines by N")
      ->capture_default_str();
  app.add_option("--controller-delay-ms", o.controller_delay_ms, "delay before controllers react")
      ->capture_default_str();
  app.add_option("--ready-delay-ms", o.ready_delay_ms, "further delay until workloads are ready")
      ->capture_default_str();
  app.add_option("--cert-dir", o.cert_dir, "keep the CA and serving certificate in DIR (reused across restarts)");
  app.add_flag("--plain-http", plain, "serve plain HTTP instead of HTTPS");
  app.add_option("--threads", o.threads, "I/O threads")->capture_default_str();
  app.add_option("--log-level", log_level, "debug, info, warn, error")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  o.tls = !plain;
  auto level = gitopsd::log::ParseLevel(log_level);
  gitopsd::log::Init({level.ok() ? *level : gitopsd::log::Level::kInfo, gitopsd::log::Format::kAuto});

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  gitopsd::kubesim::Server server(o);
  gitopsd::Status st = server.Start();
  if (!st.ok()) {
    std::cerr << "kubesim: " << st.message() << "\n";
    return 1;
  }
  std::cout << "kubesim serving on " << server.url() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  server.Stop();
  return 0;
}
