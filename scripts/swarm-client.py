#!/usr/bin/env python3
"""The HTTP side of scripts/swarm-test.sh, run inside the first test host's network namespace.

Which gateway to call comes from the swarm itself: the api-gateway tasks whose desired and current
state is running, asked of the manager's Docker API (SWARM_DOCKER_SOCK) at most once a second, as
Traefik's swarm provider does in front of the real stack. Each request goes to the next of those
gateways on its node's address (SWARM_TEST_PORT, published in host mode), so both replicas serve.

  swarm-client.py health SECONDS          wait until /api/health says every service is UP
  swarm-client.py journey STATE_DIR       register, sign in, create a project, start its workspace,
                                          run a command; the access token stays in STATE_DIR (0600)
  swarm-client.py workspace-node STATE_DIR  the hostname of the node that runs the journey's workspace
  swarm-client.py write-file STATE_DIR    writes failover.txt through the files API, reads it in the workspace
  swarm-client.py after-failover STATE_DIR  reads failover.txt with a command, types into a terminal
  swarm-client.py preview STATE_DIR      serves index.html from the workspace on port 3000 and opens it
                                          through the gateway's preview origin (sign-in ticket, cookie)
  swarm-client.py streams STATE_DIR READY_FILE GO_FILE
                                          opens the workspace's event stream and a terminal through one
                                          gateway, writes that gateway's address to READY_FILE, waits for
                                          GO_FILE, then checks that both still work
  swarm-client.py kill-targets ADDRESS    the gateway task not on ADDRESS, a project-service and a
                                          claude-service task: "node container service" per line
  swarm-client.py load STATE_DIR SECONDS STOP_FILE
                                          GET /api/projects until STOP_FILE exists or SECONDS pass;
                                          prints "load: N requests, F failed" and the first failures
Nothing secret is printed: passwords and tokens live only in memory and in STATE_DIR.
"""
import base64
import http.client
import json
import os
import secrets
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DOCKER_SOCK = os.environ.get("SWARM_DOCKER_SOCK", "/run/cst-swarm/node1.sock")
PORT = int(os.environ.get("SWARM_TEST_PORT", "18080"))
SERVICE = os.environ.get("SWARM_GATEWAY_SERVICE", "constellation_api-gateway")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=5)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)


def docker_get(path):
    conn = UnixHTTPConnection(DOCKER_SOCK)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return json.loads(response.read())
    finally:
        conn.close()


def node_address(node):
    """A node's address; a manager may report 0.0.0.0 there, its manager address says it too."""
    address = node["Status"].get("Addr", "")
    if address in ("", "0.0.0.0") and node.get("ManagerStatus"):
        address = node["ManagerStatus"]["Addr"].rsplit(":", 1)[0]
    return address


class Gateways:
    """The running gateway tasks' node addresses, refreshed at most once a second."""

    def __init__(self):
        self.addresses, self.checked, self.next = [], 0.0, 0

    def refresh(self):
        if time.monotonic() - self.checked < 1.0 and self.addresses:
            return
        filters = json.dumps({"service": [SERVICE], "desired-state": ["running"]})
        tasks = docker_get("/tasks?filters=" + urllib.parse.quote(filters))
        nodes = {n["ID"]: node_address(n) for n in docker_get("/nodes")}
        self.addresses = sorted(
            nodes[t["NodeID"]] for t in tasks if t["Status"]["State"] == "running" and t.get("NodeID") in nodes
        )
        self.checked = time.monotonic()

    def pick(self):
        self.refresh()
        if not self.addresses:
            raise RuntimeError("no running api-gateway task")
        self.next = (self.next + 1) % len(self.addresses)
        return self.addresses[self.next]


GATEWAYS = Gateways()


def call(method, path, body=None, token=None, timeout=30):
    """(status, parsed body or text); status 0 and the error's text when no answer came."""
    status, body, _ = call_via(method, path, body, token, timeout)
    return status, body


def call_via(method, path, body=None, token=None, timeout=30):
    """call(), and the gateway's address that was asked."""
    host = GATEWAYS.pick()
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://{host}:{PORT}{path}", data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (OSError, http.client.HTTPException) as e:
        return 0, f"{host}: {type(e).__name__}: {e}", host
    try:
        return status, json.loads(raw) if raw else None, host
    except ValueError:
        return status, raw[:200].decode(errors="replace"), host


def step(text):
    print(f"  {text}", flush=True)


def fail(text):
    print(f"  FAIL {text}", flush=True)
    sys.exit(1)


def health(seconds):
    deadline, last = time.monotonic() + seconds, None
    names = {"api-gateway", "project-service", "workspace-service", "claude-service"}
    while time.monotonic() < deadline:
        try:
            status, body = call("GET", "/api/health", timeout=5)
        except RuntimeError as e:
            status, body = 0, str(e)
        last = (status, body)
        if status == 200 and isinstance(body, dict):
            services = body.get("services", {})
            if body.get("status") in ("UP", "DEGRADED") and all(services.get(n) == "UP" for n in names):
                step(f"/api/health: {json.dumps(body, sort_keys=True)}")
                return
        time.sleep(3)
    fail(f"/api/health not UP in {seconds} s: {last}")


def journey(state_dir):
    email = f"swarm-{secrets.token_hex(4)}@example.test"
    password = secrets.token_urlsafe(18)
    status, body = call("POST", "/api/auth/register", {"email": email, "password": password, "displayName": "Swarm test"})
    if status != 202:
        fail(f"register: {status} {body}")
    step(f"register {email}: {status}")
    status, body = call("POST", "/api/auth/login", {"email": email, "password": password})
    if status != 200 or not isinstance(body, dict) or "accessToken" not in body:
        fail(f"login: {status}")
    token = body["accessToken"]
    step(f"login: {status}")
    status, project = call("POST", "/api/projects", {"name": "swarm-journey", "templateId": "blank"}, token)
    if status != 201:
        fail(f"create project: {status} {project}")
    pid = project["id"]
    step(f"create project: {status} id {pid}")
    status, body = call("POST", f"/api/projects/{pid}/workspace/start", None, token)
    if status not in (200, 202):
        fail(f"start workspace: {status} {body}")
    deadline = time.monotonic() + 120
    while True:
        status, body = call("GET", f"/api/projects/{pid}/workspace", None, token)
        if status == 200 and body.get("status") == "RUNNING":
            break
        if time.monotonic() > deadline or (status == 200 and body.get("status") == "FAILED"):
            fail(f"workspace not RUNNING: {status} {body}")
        time.sleep(2)
    step(f"start workspace: RUNNING (runtime {body.get('runtime')})")
    command = "echo hello-from-swarm && cat /etc/hostname"
    status, body = call("POST", f"/api/projects/{pid}/exec", {"command": command, "timeoutSeconds": 30}, token, 60)
    if status != 200 or body.get("exitCode") != 0 or "hello-from-swarm" not in body.get("stdout", ""):
        fail(f"exec: {status} {body}")
    lines = body["stdout"].split()
    step(f"exec '{command}': exit {body['exitCode']}, stdout {lines} (the workspace's container)")
    path = os.path.join(state_dir, "token")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(token)
    with open(os.path.join(state_dir, "project"), "w") as f:
        f.write(pid)


def saved(state_dir):
    with open(os.path.join(state_dir, "token")) as f:
        token = f.read()
    with open(os.path.join(state_dir, "project")) as f:
        return token, f.read()


def workspace_node(state_dir):
    """The hostname of the node that runs the journey's workspace (a Swarm service of its own)."""
    _, pid = saved(state_dir)
    # The service carries the labels (its tasks do not): find it, then its running task.
    label = json.dumps({"label": [f"dev.constellation.project-id={pid}"]})
    services = docker_get("/services?filters=" + urllib.parse.quote(label))
    if not services:
        fail(f"no workspace service of project {pid}")
    running = json.dumps({"service": [services[0]["ID"]], "desired-state": ["running"]})
    nodes = {n["ID"]: n["Description"]["Hostname"] for n in docker_get("/nodes")}
    for task in docker_get("/tasks?filters=" + urllib.parse.quote(running)):
        if task["Status"]["State"] == "running":
            print(nodes[task["NodeID"]])
            return
    fail("the workspace has no running task")


def write_file(state_dir):
    """Writes failover.txt through the files API; its content is kept for after_failover."""
    token, pid = saved(state_dir)
    content = f"written before the drain {secrets.token_hex(6)}\n"
    host = GATEWAYS.pick()
    request = urllib.request.Request(
        f"http://{host}:{PORT}/api/projects/{pid}/files/content?path=failover.txt",
        data=content.encode(), method="PUT")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/octet-stream")
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200:
            fail(f"write failover.txt: {response.status}")
    status, body = call("POST", f"/api/projects/{pid}/exec", {"command": "cat failover.txt", "timeoutSeconds": 30}, token, 60)
    if status != 200 or body.get("stdout") != content:
        fail(f"read back in the workspace: {status} {body}")
    step(f"files API wrote failover.txt, the workspace reads it: {content.strip()!r}")
    with open(os.path.join(state_dir, "content"), "w") as f:
        f.write(content)


def after_failover(state_dir):
    """On the workspace's new node: the file is there, a command runs, a terminal opens and types."""
    token, pid = saved(state_dir)
    with open(os.path.join(state_dir, "content")) as f:
        content = f.read()
    deadline = time.monotonic() + 120
    while True:
        status, body = call("POST", f"/api/projects/{pid}/exec", {"command": "cat failover.txt", "timeoutSeconds": 30}, token, 60)
        if status == 200 and body.get("exitCode") == 0:
            break
        if time.monotonic() > deadline:
            fail(f"exec after the drain: {status} {body}")
        time.sleep(2)
    if body.get("stdout") != content:
        fail(f"failover.txt after the drain: {body}")
    step(f"exec 'cat failover.txt' after the drain: exit 0, {body['stdout'].strip()!r}")
    sock, seen = open_terminal(GATEWAYS.pick(), pid, token)
    seen = type_and_see(sock, seen, b"echo term-$((6*7))\r", b"term-42")
    sock.close()
    if b"term-42" not in seen:
        fail(f"the terminal never printed term-42: {seen[-300:]!r}")
    step("terminal after the drain: typed 'echo term-$((6*7))', saw term-42")


def open_terminal(host, pid, token):
    """A terminal WebSocket through the gateway on host: (socket, bytes already received)."""
    status, ticket = call("POST", f"/api/projects/{pid}/terminal/ticket", None, token)
    if status != 200:
        fail(f"terminal ticket: {status} {ticket}")
    sock = socket.create_connection((host, int(PORT)), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /api/projects/{pid}/terminal?ticket={ticket['ticket']}&cols=80&rows=24 HTTP/1.1\r\n"
                  f"Host: {host}:{PORT}\r\nOrigin: http://{host}:{PORT}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            fail(f"terminal handshake: {head[:200]!r}")
        head += chunk
    status_line = head.split(b"\r\n", 1)[0]
    if b" 101 " not in status_line:
        fail(f"terminal handshake: {status_line!r}")
    return sock, head.split(b"\r\n\r\n", 1)[1]


def type_and_see(sock, seen, typed, expected, seconds=30):
    """Types one masked binary frame; returns what arrived until expected did (or the time ran out)."""
    mask = os.urandom(4)
    sock.sendall(bytes([0x82, 0x80 | len(typed)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(typed)))
    deadline = time.monotonic() + seconds
    while expected not in seen and time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        seen += chunk
    return seen


class EventStream:
    """The workspace's event stream (SSE) through one gateway, read on a thread of its own."""

    def __init__(self, host, pid, token):
        self.conn = http.client.HTTPConnection(host, PORT, timeout=120)
        self.conn.request("GET", f"/api/projects/{pid}/workspace/events",
                          headers={"Authorization": "Bearer " + token, "Accept": "text/event-stream"})
        response = self.conn.getresponse()
        if response.status != 200:
            fail(f"workspace events: {response.status} {response.read()[:200]!r}")
        self.events, self.ended, self.closed = [], None, False
        threading.Thread(target=self.read, args=(response,), daemon=True).start()

    def read(self, response):
        name = None
        try:
            for raw in iter(response.readline, b""):
                line = raw.decode(errors="replace").rstrip("\r\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:") and name:
                    self.events.append((name, line[5:].strip()))
                elif not line:
                    name = None
            self.ended = "the stream ended"
        except Exception as e:   # noqa: BLE001 - also a read of the stream close() shut (ValueError)
            if not self.closed:
                self.ended = f"{type(e).__name__}: {e}"

    def close(self):
        self.closed = True
        self.conn.close()

    def wait_for(self, name, needle, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.ended:
            if any(n == name and needle in data for n, data in self.events):
                return True
            time.sleep(0.2)
        return any(n == name and needle in data for n, data in self.events)


def streams(state_dir, ready_file, go_file):
    """An event stream and a terminal through one gateway, kept open while replicas they are not on
    are killed (by swarm-test.sh, between ready_file and go_file); then both must still work."""
    token, pid = saved(state_dir)
    host = GATEWAYS.pick()
    events = EventStream(host, pid, token)
    if not events.wait_for("status", "", 30):
        fail(f"no status event on the stream: {events.events[:3]} {events.ended}")
    sock, seen = open_terminal(host, pid, token)
    seen = type_and_see(sock, seen, b"echo before-$((5*5))\r", b"before-25")
    if b"before-25" not in seen:
        fail(f"the terminal never printed before-25: {seen[-300:]!r}")
    step(f"event stream and terminal open through the gateway on {host}")
    with open(ready_file, "w") as f:
        f.write(host)
    deadline = time.monotonic() + 300
    while not os.path.exists(go_file):
        if time.monotonic() > deadline:
            fail("never told to go on")
        time.sleep(0.5)
    if events.ended:
        fail(f"the event stream did not survive: {events.ended}")
    seen = type_and_see(sock, b"", b"echo after-$((6*6))\r", b"after-36")
    sock.close()
    if b"after-36" not in seen:
        fail(f"the terminal did not survive: {seen[-300:]!r}")
    name = f"streams-{secrets.token_hex(4)}.txt"
    # Through the files API, so that workspace-service itself sees the change on its file system (on
    # NFS a write made by a workspace on another node would not reach its watch).
    request = urllib.request.Request(f"http://{host}:{PORT}/api/projects/{pid}/files/content?path={name}",
                                     data=b"x\n", method="PUT")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/octet-stream")
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200:
            fail(f"write {name}: {response.status}")
    if not events.wait_for("files", name, 30):
        fail(f"no files event for {name} on the stream: {events.events[-3:]} {events.ended}")
    events.close()
    step(f"after the kills: the terminal printed after-36, the event stream reported {name}")


def kill_targets(via):
    """What to kill while the streams run: the gateway task not on via, one project-service and one
    claude-service task. Prints "node-hostname container-id service" per target."""
    nodes = {n["ID"]: n for n in docker_get("/nodes")}
    for service, avoid in (("api-gateway", via), ("project-service", None), ("claude-service", None)):
        name = SERVICE.rsplit("_", 1)[0] + "_" + service
        running = json.dumps({"service": [name], "desired-state": ["running"]})
        for task in docker_get("/tasks?filters=" + urllib.parse.quote(running)):
            node = nodes.get(task.get("NodeID"))
            container = task["Status"].get("ContainerStatus", {}).get("ContainerID")
            if task["Status"]["State"] != "running" or not node or not container:
                continue
            if avoid and node_address(node) == avoid:
                continue
            print(node["Description"]["Hostname"], container, service)
            break
        else:
            fail(f"no {service} task to kill")


def preview(state_dir):
    """A server in the workspace (on a node workspace-service's network cannot reach), seen through
    the gateway's preview origin: relayed by workspace-service through a process in the workspace."""
    token, pid = saved(state_dir)
    marker = f"preview-{secrets.token_hex(4)}"
    host = GATEWAYS.pick()
    request = urllib.request.Request(f"http://{host}:{PORT}/api/projects/{pid}/files/content?path=index.html",
                                     data=f"{marker}\n".encode(), method="PUT")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/octet-stream")
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200:
            fail(f"write index.html: {response.status}")
    command = "setsid nohup python3 -m http.server 3000 --bind 0.0.0.0 >/dev/null 2>&1 </dev/null &"
    status, body = call("POST", f"/api/projects/{pid}/exec", {"command": command, "timeoutSeconds": 30}, token, 60)
    if status != 200:
        fail(f"start a server in the workspace: {status} {body}")
    deadline = time.monotonic() + 60
    while True:
        status, ports = call("GET", f"/api/projects/{pid}/ports", None, token)
        if status == 200 and any(p.get("port") == 3000 for p in ports):
            break
        if time.monotonic() > deadline:
            fail(f"port 3000 never listed: {status} {ports}")
        time.sleep(1)
    status, session = call("POST", f"/api/projects/{pid}/ports/3000/preview-session", {"path": "/index.html"}, token)
    if status != 200:
        fail(f"preview session: {status} {session}")
    url = urllib.parse.urlsplit(session["url"])
    gateway = GATEWAYS.pick()
    conn = http.client.HTTPConnection(gateway, PORT, timeout=30)
    conn.request("GET", f"{url.path}?{url.query}", headers={"Host": url.netloc})
    response = conn.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    if response.status != 302 or not cookie:
        fail(f"preview sign-in: {response.status} cookie {bool(cookie)}")
    conn.close()
    conn = http.client.HTTPConnection(gateway, PORT, timeout=30)
    conn.request("GET", response.getheader("Location") or "/index.html",
                 headers={"Host": url.netloc, "Cookie": cookie})
    response = conn.getresponse()
    page = response.read().decode(errors="replace")
    conn.close()
    if response.status != 200 or marker not in page:
        fail(f"the preview: {response.status} {page[:200]!r}")
    step(f"preview of port 3000 through the gateway on {gateway}: 200, {marker}")


def load(state_dir, seconds, stop_file):
    with open(os.path.join(state_dir, "token")) as f:
        token = f.read().strip()
    deadline = time.monotonic() + seconds
    total, failures, served_by = 0, [], {}
    while time.monotonic() < deadline and not os.path.exists(stop_file):
        total += 1
        started = time.monotonic()
        try:
            status, body, host = call_via("GET", "/api/projects?size=5", None, token, timeout=10)
        except RuntimeError as e:
            status, body, host = 0, str(e), "?"
        if status == 200:
            served_by[host] = served_by.get(host, 0) + 1
        else:
            failures.append(f"{time.strftime('%H:%M:%S')} via {host}: {status} {str(body)[:160]}")
        time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))   # at most 5 requests a second
    print(f"load: {total} requests, {len(failures)} failed; served by {served_by}", flush=True)
    for line in failures[:10]:
        print(f"  failed: {line}", flush=True)


def main():
    command = sys.argv[1]
    if command == "health":
        health(int(sys.argv[2]))
    elif command == "journey":
        journey(sys.argv[2])
    elif command == "workspace-node":
        workspace_node(sys.argv[2])
    elif command == "write-file":
        write_file(sys.argv[2])
    elif command == "after-failover":
        after_failover(sys.argv[2])
    elif command == "preview":
        preview(sys.argv[2])
    elif command == "streams":
        streams(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "kill-targets":
        kill_targets(sys.argv[2])
    elif command == "load":
        load(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
