#!/usr/bin/env python3
"""Turns `docker-compose -f docker-compose.yml -f docker-compose.swarm.yml config` (stdin) into a
file `docker stack deploy -c -` accepts (stdout).

Why not `docker stack deploy -c docker-compose.yml -c docker-compose.swarm.yml` directly: the
docker CLI (28.x) refuses the base file ("services.claude-service.depends_on must be a list": it
knows only the list form, the base file needs the conditions for `make up`), and its own merge of
two files keeps a variable the override empties (so JWT_SECRET would stay in the service's spec)
and appends one healthcheck test to the other. docker-compose merges as `make up` does; this
filter only removes what Swarm does not know or must not get:
  - depends_on, restart, build, container_name (Swarm ignores or refuses them; deploy.* replaces them);
  - ports published on 127.0.0.1 (Swarm cannot bind an address and would open them on all:
    Prometheus and Grafana stay reachable through their overlay network only).
Every removal is said on stderr.
"""
import sys

import yaml

IGNORED_KEYS = ("depends_on", "restart", "build", "container_name")


def loopback(port):
    if isinstance(port, dict):
        return port.get("host_ip") in ("127.0.0.1", "::1")
    return str(port).startswith(("127.0.0.1:", "[::1]:"))


def main():
    config = yaml.safe_load(sys.stdin)
    for name, service in (config.get("services") or {}).items():
        for key in IGNORED_KEYS:
            service.pop(key, None)
        ports = service.get("ports")
        if ports:
            kept = [p for p in ports if not loopback(p)]
            if len(kept) != len(ports):
                print(f"swarm-stack: {name}: not publishing its 127.0.0.1 ports in Swarm", file=sys.stderr)
            if kept:
                service["ports"] = kept
            else:
                del service["ports"]
    yaml.safe_dump(config, sys.stdout, default_flow_style=False, sort_keys=False)


if __name__ == "__main__":
    main()
