# Runs the service's commands in a workspace container, so that each one costs a fork here rather
# than an engine exec (create, start, inspect): under a crowd the engine's exec queue was the limit.
# One JSON object per line both ways. In: {"r": id, "argv": [...], "timeout": s, "marker": m} runs a
# command (with the marker in its environment unless "unmarked": a tmux server it starts must not
# die with it); {"k": id} kills one. Out: {"ready": pid}, then per command {"i", "o"|"e": base64} output
# and {"i", "x": exit code, "t": killed at its timeout}. Stdin's end (the service went) kills all.
import base64, json, os, signal, subprocess, sys, threading, time

out = sys.stdout.buffer
lock = threading.Lock()
markers = {}


def send(message):
    line = (json.dumps(message, separators=(",", ":")) + "\n").encode()
    with lock:
        out.write(line)
        out.flush()


def kill_marked(marker):
    # By the marker in their environment: what a command put in the background and moved to a
    # session of its own dies with it too.
    tag = ("CONSTELLATION_EXEC=" + marker).encode()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/" + name + "/environ", "rb") as f:
                if tag not in f.read().split(b"\0"):
                    continue
            pid = int(name)
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except OSError:
                pass
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def kill(marker, pid):
    kill_marked(marker)
    try:
        os.killpg(pid, signal.SIGKILL)  # its own process group, marked or not
    except OSError:
        pass


def pump(i, stream, key):
    while True:
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            return
        send({"i": i, key: base64.b64encode(chunk).decode()})


def run(request):
    try:
        run_one(request)
    except Exception as e:  # no thread or process left under the pids limit: that command fails
        send({"i": request["r"], "e": base64.b64encode(str(e).encode()).decode()})
        send({"i": request["r"], "x": 126, "t": False})


def run_one(request):
    i = request["r"]
    marker = request["marker"]
    env = dict(os.environ)
    if not request.get("unmarked"):
        env["CONSTELLATION_EXEC"] = marker
    try:
        process = subprocess.Popen(
            request["argv"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd="/workspace", start_new_session=True)
    except OSError as e:
        send({"i": i, "e": base64.b64encode(str(e).encode()).decode()})
        send({"i": i, "x": 127, "t": False})
        return
    markers[i] = (marker, process.pid)
    expired = []

    def expire():
        expired.append(True)
        kill(marker, process.pid)

    try:
        timer = threading.Timer(request["timeout"], expire)
        timer.daemon = True
        timer.start()
        readers = [threading.Thread(target=pump, args=(i, process.stdout, "o"), daemon=True),
                   threading.Thread(target=pump, args=(i, process.stderr, "e"), daemon=True)]
        for reader in readers:
            reader.start()
    except RuntimeError:
        kill(marker, process.pid)
        markers.pop(i, None)
        raise
    code = process.wait()
    timer.cancel()
    # The output still in the pipes goes before the exit line. A child left in the background may
    # hold them open: like the engine (which gives an exec's streams 2 s after its exit), it is
    # waited for 2 s, then the command is over. (0.5 s lost output on a loaded machine.)
    grace = time.monotonic() + 2
    for reader in readers:
        reader.join(max(0, grace - time.monotonic()))
    markers.pop(i, None)
    send({"i": i, "x": code if code >= 0 else 128 - code, "t": bool(expired)})


def main():
    send({"ready": os.getpid()})
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        if "r" in request:
            try:
                threading.Thread(target=run, args=(request,), daemon=True).start()
            except RuntimeError as e:
                send({"i": request["r"], "e": base64.b64encode(str(e).encode()).decode()})
                send({"i": request["r"], "x": 126, "t": False})
        elif "k" in request and request["k"] in markers:
            kill(*markers[request["k"]])
    for marker, pid in list(markers.values()):
        kill(marker, pid)


main()
