#!/usr/bin/env bash
# A real smart-HTTP Git server for tests: nginx -> fcgiwrap -> git http-backend,
# all Debian packages (nginx-light, fcgiwrap, git), on 127.0.0.1.
#
#   git_server.sh start DIR [--user U --password P] [--tls] [--port N]
#       Serves every bare repository DIR/repos/<name>.git at <URL>/<name>.git
#       (clone, fetch and push). Prints <URL> (e.g. http://127.0.0.1:40123) on
#       stdout and returns once the server answers. With --user/--password every
#       request needs HTTP basic auth. With --tls it serves HTTPS with a
#       certificate for 127.0.0.1 signed by a fresh CA: DIR/run/ca.crt.
#       A restart reuses the previous port (DIR/run/port) unless --port is given,
#       so a test can stop the server for a while and bring it back.
#   git_server.sh stop DIR
#       Stops it (idempotent). The repositories stay.
#   git_server.sh url DIR
#       Prints the URL of a running server.
#   git_server.sh create DIR NAME
#       Creates the empty bare repository DIR/repos/NAME.git (default branch
#       main) and prints its path; push to it over HTTP or to that path.
set -euo pipefail

die() { echo "git_server.sh: $*" >&2; exit 1; }

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || die "usage: git_server.sh start|stop|url|create DIR [--user U --password P] [--tls] [--port N] | [NAME]"
shift 2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
run="$dir/run"

stop() {
  for name in nginx fcgiwrap; do
    if [[ -f "$run/$name.pid" ]]; then
      pid=$(cat "$run/$name.pid")
      if kill "$pid" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$run/$name.pid"
    fi
  done
  rm -f "$run/fcgiwrap.sock"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

make_cert() {
  [[ -f "$run/server.crt" ]] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=gitopsd test CA" \
    -keyout "$run/ca.key" -out "$run/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$run/server.key" -out "$run/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$run/ext.cnf"
  openssl x509 -req -in "$run/server.csr" -CA "$run/ca.crt" -CAkey "$run/ca.key" \
    -CAcreateserial -days 30 -extfile "$run/ext.cnf" -out "$run/server.crt" 2>/dev/null
}

start() {
  local user="" password="" tls=0 port=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --user) user=$2; shift 2 ;;
      --password) password=$2; shift 2 ;;
      --tls) tls=1; shift ;;
      --port) port=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  stop
  mkdir -p "$dir/repos" "$run/tmp"
  [[ -z "$port" && -f "$run/port" ]] && port=$(cat "$run/port")
  [[ -n "$port" ]] || port=$(free_port)
  echo "$port" > "$run/port"

  local scheme=http listen="127.0.0.1:$port" ssl=""
  if [[ $tls == 1 ]]; then
    make_cert
    scheme=https listen="127.0.0.1:$port ssl"
    ssl="ssl_certificate $run/server.crt; ssl_certificate_key $run/server.key;"
  fi
  local auth=""
  if [[ -n "$user" ]]; then
    printf '%s:%s\n' "$user" "$(openssl passwd -apr1 "$password")" > "$run/htpasswd"
    auth="auth_basic \"git\"; auth_basic_user_file $run/htpasswd;"
  fi
  local run_as=""
  [[ $(id -u) == 0 ]] && run_as="user root;"

  cat > "$run/nginx.conf" <<CONF
$run_as
daemon on;
pid $run/nginx.pid;
error_log $run/error.log;
worker_processes 1;
events { worker_connections 256; }
http {
  access_log $run/access.log;
  client_body_temp_path $run/tmp/body;
  fastcgi_temp_path $run/tmp/fastcgi;
  proxy_temp_path $run/tmp/proxy;
  uwsgi_temp_path $run/tmp/uwsgi;
  scgi_temp_path $run/tmp/scgi;
  client_max_body_size 0;
  server {
    listen $listen;
    $ssl
    location / {
      $auth
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$run/fcgiwrap.sock;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $dir/repos;
      fastcgi_param GIT_HTTP_EXPORT_ALL 1;
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param REMOTE_USER \$remote_user;
      fastcgi_param GIT_CONFIG_COUNT 2;
      fastcgi_param GIT_CONFIG_KEY_0 http.receivepack;
      fastcgi_param GIT_CONFIG_VALUE_0 true;
      fastcgi_param GIT_CONFIG_KEY_1 safe.directory;
      fastcgi_param GIT_CONFIG_VALUE_1 *;
    }
  }
}
CONF
  setsid fcgiwrap -c 4 -s "unix:$run/fcgiwrap.sock" </dev/null >>"$run/fcgiwrap.log" 2>&1 &
  echo $! > "$run/fcgiwrap.pid"
  for _ in $(seq 50); do [[ -S "$run/fcgiwrap.sock" ]] && break; sleep 0.1; done
  [[ -S "$run/fcgiwrap.sock" ]] || { stop; die "fcgiwrap did not start (see $run/fcgiwrap.log)"; }
  nginx -c "$run/nginx.conf" -p "$run" -e "$run/error.log" 2>>"$run/error.log" \
    || { stop; die "nginx did not start (see $run/error.log)"; }

  local url="$scheme://127.0.0.1:$port"
  echo "$url" > "$run/url"
  for _ in $(seq 100); do
    if curl -s -k -o /dev/null "$url/" 2>/dev/null; then echo "$url"; return; fi
    sleep 0.1
  done
  stop
  die "server at $url did not answer (see $run/error.log)"
}

case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  create)
    name=${1:-}; [[ -n "$name" ]] || die "usage: git_server.sh create DIR NAME"
    repo="$dir/repos/${name%.git}.git"
    [[ -d "$repo" ]] || git init -q --bare -b main "$repo"
    echo "$repo" ;;
  url) [[ -f "$run/url" && -f "$run/nginx.pid" ]] || die "no server running in $dir"; cat "$run/url" ;;
  *) die "unknown command $cmd" ;;
esac
