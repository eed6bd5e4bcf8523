#!/usr/bin/env bash
# The host firewall that lets workspaces reach the internet but not the host, private networks or
# the cloud metadata service, for installations where workspace-service cannot install it itself
# (it runs in a container: docker-compose.yml). The same rules as
# services/workspace-service/.../runtime/docker/EgressFirewall.java, which installs them when the
# service runs as root on the host (make run, CI); read that class for why each rule exists.
#
# Usage (as root on the Docker host):
#   deploy/scripts/workspace-firewall.sh install [network]   # idempotent; then set WORKSPACE_EGRESS_FIREWALL=external
#   deploy/scripts/workspace-firewall.sh check   [network]   # exit 0 when the rules are in place
#   deploy/scripts/workspace-firewall.sh remove  [network]
# network: WORKSPACE_NETWORK_NAME of the installation (default constellation-workspaces).
# WORKSPACE_EGRESS_ALLOW: comma-separated CIDRs inside the private ranges workspaces may still reach
# (a corporate package mirror). Run `install` again after anything that flushes iptables (a
# firewalld reload, iptables-restore), e.g. from a systemd unit ordered after docker.service.
set -euo pipefail
ACTION=${1:?usage: workspace-firewall.sh install|check|remove [network]}
NETWORK=${2:-${WORKSPACE_NETWORK_NAME:-constellation-workspaces}}
# The bridge name workspace-service gives the network (com.docker.network.bridge.name).
SUFFIX=$(printf %s "$NETWORK" | sha256sum | cut -c1-12)
BRIDGE=cw$SUFFIX
FWD=CW-FWD-$SUFFIX
IN=CW-IN-$SUFFIX
BLOCKED="0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24 192.168.0.0/16 224.0.0.0/4 240.0.0.0/4"
ipt() { iptables -w 5 "$@"; }

resolvers() {
  cat /etc/resolv.conf /run/systemd/resolve/resolv.conf 2>/dev/null \
    | awk '$1 == "nameserver" && $2 ~ /^[0-9.]+$/ && $2 !~ /^127\./ { print $2 }' | awk '!seen[$0]++'
}

allowed() {
  local cidr list=${WORKSPACE_EGRESS_ALLOW:-}
  for cidr in ${list//,/ }; do
    [[ "$cidr" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$ ]] || { echo "not a CIDR: $cidr" >&2; exit 2; }
    echo "$cidr"
  done
}

install_rules() {
  ipt -S DOCKER-USER >/dev/null 2>&1 || { echo "no DOCKER-USER chain: is Docker running with iptables?" >&2; exit 1; }
  local ns proto cidr
  ipt -N "$FWD" 2>/dev/null || true
  ipt -F "$FWD"
  for ns in $(resolvers); do
    for proto in udp tcp; do ipt -A "$FWD" -d "$ns/32" -p "$proto" -m "$proto" --dport 53 -j RETURN; done
  done
  for cidr in $(allowed); do ipt -A "$FWD" -d "$cidr" -j RETURN; done
  for cidr in $BLOCKED; do ipt -A "$FWD" -d "$cidr" -j REJECT --reject-with icmp-port-unreachable; done
  ipt -N "$IN" 2>/dev/null || true
  ipt -F "$IN"
  ipt -A "$IN" -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
  ipt -A "$IN" -j REJECT --reject-with icmp-port-unreachable
  ipt -C DOCKER-USER -i "$BRIDGE" -j "$FWD" 2>/dev/null || ipt -I DOCKER-USER 1 -i "$BRIDGE" -j "$FWD"
  ipt -C INPUT -i "$BRIDGE" -j "$IN" 2>/dev/null || ipt -I INPUT 1 -i "$BRIDGE" -j "$IN"
  echo "workspace firewall installed on bridge $BRIDGE (network $NETWORK)"
}

check_rules() {
  ipt -C DOCKER-USER -i "$BRIDGE" -j "$FWD" 2>/dev/null \
    && ipt -C INPUT -i "$BRIDGE" -j "$IN" 2>/dev/null \
    && ipt -S "$FWD" | grep -q -- "-d 169.254.0.0/16 -j REJECT" \
    && ipt -S "$IN" | grep -q -- "-j REJECT" \
    || { echo "workspace firewall of bridge $BRIDGE (network $NETWORK) is NOT in place" >&2; exit 1; }
  echo "workspace firewall of bridge $BRIDGE (network $NETWORK) is in place"
}

remove_rules() {
  while ipt -D DOCKER-USER -i "$BRIDGE" -j "$FWD" 2>/dev/null; do :; done
  while ipt -D INPUT -i "$BRIDGE" -j "$IN" 2>/dev/null; do :; done
  for chain in "$FWD" "$IN"; do ipt -F "$chain" 2>/dev/null && ipt -X "$chain" 2>/dev/null || true; done
  echo "workspace firewall of bridge $BRIDGE removed"
}

case "$ACTION" in
  install) install_rules ;;
  check) check_rules ;;
  remove) remove_rules ;;
  *) echo "usage: workspace-firewall.sh install|check|remove [network]" >&2; exit 2 ;;
esac
