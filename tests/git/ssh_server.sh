#!/usr/bin/env bash
# A throwaway OpenSSH server for the git-over-SSH tests (Debian's
# openssh-server). Needs root (sshd's privilege separation).
#
#   ssh_server.sh start DIR   -> prints the port; DIR gets host_key(.pub),
#                                client_key(.pub) (authorized), other_key(.pub)
#   ssh_server.sh stop DIR
set -euo pipefail
cmd=${1:?usage: ssh_server.sh start|stop DIR}; dir=${2:?usage: ssh_server.sh start|stop DIR}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

case "$cmd" in
  start)
    [[ -x /usr/sbin/sshd ]] || { echo "ssh_server.sh: /usr/sbin/sshd missing (apt-get install openssh-server)" >&2; exit 2; }
    [[ $(id -u) == 0 ]] || { echo "ssh_server.sh: sshd needs root" >&2; exit 2; }
    mkdir -p /run/sshd
    for k in host_key client_key other_key; do
      [[ -f "$dir/$k" ]] || ssh-keygen -q -t ed25519 -N '' -C '' -f "$dir/$k"
    done
    cp "$dir/client_key.pub" "$dir/authorized_keys"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat > "$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
CONF
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    for _ in $(seq 50); do
      if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))"; then
        echo "$port"; exit 0
      fi
      sleep 0.1
    done
    echo "ssh_server.sh: sshd did not start (see $dir/sshd.log)" >&2; exit 1 ;;
  stop)
    if [[ -f "$dir/sshd.pid" ]]; then kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true; rm -f "$dir/sshd.pid"; fi ;;
  *) echo "ssh_server.sh: unknown command $cmd" >&2; exit 2 ;;
esac
