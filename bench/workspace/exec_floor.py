#!/usr/bin/env python3
"""Where a one-shot workspace exec's time goes, at the Docker Engine API (no Constellation service).

Runs the exec the workspace-service runs for `POST /api/projects/{id}/exec` of `true`
(`timeout -s KILL <n>s bash -lc true`, as uid 1000 in /workspace, create + start attached + inspect
for the exit code) against the same exec with parts taken away, interleaved in rounds so that the
machine's load hits every variant alike:

  - `true` alone: the engine's own cost of an exec (runc), the floor nothing in the exec path cuts;
  - `timeout … true`: + timeout(1), which the kill of a command's process group needs;
  - `timeout … bash -c true`: + a shell;
  - `timeout … bash -lc true`: + the login shell (/etc/profile and friends), what commands get.

    python3 bench/workspace/exec_floor.py [image ...]   # default constellation/workspace:local; REPS=60

Each image gets a container of its own, started like a workspace's (read-only root, tmpfs /tmp and
home, --init), removed on exit. With two images (e.g. before/after a change to the image) their
`bash -lc` rows come from the same rounds. Prints SUMMARY rows for the last image.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from http.client import HTTPConnection

SOCKET = "/var/run/docker.sock"
REPS = int(os.environ.get("REPS", "60"))
TIMEOUT = ["timeout", "-s", "KILL", "60s"]


class _UnixConnection(HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=30)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(30)
        self.sock.connect(SOCKET)


def _call(method, path, body=None):
    conn = _UnixConnection()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, "/v1.41" + path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status >= 400:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
    return data


def one_exec(container, argv):
    """Milliseconds from exec create to a known exit code, as ContainerExec does it."""
    t0 = time.perf_counter()
    exec_id = json.loads(_call("POST", f"/containers/{container}/exec", {
        "Cmd": argv, "User": "1000", "WorkingDir": "/workspace", "Env": ["CONSTELLATION_EXEC=bench"],
        "AttachStdout": True, "AttachStderr": True}))["Id"]
    _call("POST", f"/exec/{exec_id}/start", {"Detach": False, "Tty": False})  # returns at the end
    for _ in range(250):  # the exit code can lag the end of the output by a moment
        state = json.loads(_call("GET", f"/exec/{exec_id}/json"))
        if not state["Running"]:
            if state["ExitCode"] != 0:
                raise RuntimeError(f"{argv} exited {state['ExitCode']}")
            return (time.perf_counter() - t0) * 1000
        time.sleep(0.002)
    raise RuntimeError(f"{argv} still running")


def main():
    images = sys.argv[1:] or ["constellation/workspace:local"]
    label = f"dev.constellation.bench=execfloor-{uuid.uuid4().hex[:8]}"
    containers = []
    try:
        for image in images:
            containers.append(subprocess.check_output([
                "docker", "run", "-d", "--init", "--label", label, "--read-only",
                "--tmpfs", "/tmp:mode=1777", "--tmpfs", "/home/dev:mode=0755,uid=1000", image],
                text=True).strip())
        first = containers[0]
        variants = {
            "engine only: `true`": (first, ["true"]),
            "+ timeout(1): `timeout … true`": (first, TIMEOUT + ["true"]),
            "+ a shell: `timeout … bash -c true`": (first, TIMEOUT + ["bash", "-c", "true"]),
        }
        for image, container in zip(images, containers):
            variants[f"+ login shell (what exec runs): `timeout … bash -lc true`, {image}"] = (
                container, TIMEOUT + ["bash", "-lc", "true"])
        for container, argv in variants.values():
            one_exec(container, argv)  # the first login copies the Maven repository in: not timed
        ms = {name: [] for name in variants}
        for _ in range(REPS):
            for name, (container, argv) in variants.items():
                ms[name].append(one_exec(container, argv))
        print(f"## Exec floor at the Engine API, {REPS} interleaved rounds, {os.cpu_count()} cores,"
              f" load average {os.getloadavg()[0]:.1f}")
        print("| exec | p50 ms | p25 ms | p75 ms |\n|---|---:|---:|---:|")
        for name, values in ms.items():
            q = statistics.quantiles(values, n=4)
            print(f"| {name} | {statistics.median(values):.1f} | {q[0]:.1f} | {q[2]:.1f} |")
        names = list(variants)
        login = statistics.median(ms[names[-1]])  # the last image: the candidate
        shell = statistics.median(ms[names[2]])
        engine = statistics.median(ms[names[0]])
        # The login shell should cost no more than a plain shell (within noise: 5 ms).
        print(f"SUMMARY|exec login shell over a plain shell ({images[-1]}), p50|"
              f"{login - shell:.1f} ms|{shell:.1f} ms `bash -c`|≤ 5 ms|{'yes' if login - shell <= 5 else 'no'}")
        print(f"SUMMARY|exec of `true` as workspace-service runs it, Engine API, p50|{login:.1f} ms|"
              f"{engine:.1f} ms engine-only exec|≤ 1.3×|{'yes' if login <= 1.3 * engine else 'no'}")
    finally:
        if containers:
            subprocess.run(["docker", "rm", "-f", *containers], stdout=subprocess.DEVNULL, check=False)


if __name__ == "__main__":
    main()
