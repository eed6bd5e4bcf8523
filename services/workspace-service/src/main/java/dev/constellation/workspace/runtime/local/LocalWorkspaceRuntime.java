package dev.constellation.workspace.runtime.local;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.CommandEnd;
import dev.constellation.workspace.runtime.ListeningSockets;
import dev.constellation.workspace.runtime.ProcessOutput;
import dev.constellation.workspace.runtime.RunningCommand;
import dev.constellation.workspace.runtime.StdioProcess;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.TerminalSession;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces as host processes in the project directory, for a single user's machine without
 * Docker. Processes get a cleared environment (an allowlist, never the service's secrets) and run
 * inside bubblewrap when it is installed: only system directories, read-only, and the project
 * directory writable — no home, no repository, no data directory, no {@code /run/user} — without
 * capabilities and, unless configured, without network.
 */
public final class LocalWorkspaceRuntime implements WorkspaceRuntime {
  private static final Logger log = LoggerFactory.getLogger(LocalWorkspaceRuntime.class);

  private final WorkspaceProperties properties;
  private final Path bwrap;
  private final Map<String, Path> running = new ConcurrentHashMap<>();
  private final Map<String, Set<Process>> processes = new ConcurrentHashMap<>();

  /** What a sandbox sees of the host, read-only; everything else is absent. */
  static final List<String> SYSTEM_DIRECTORIES =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc");

  /** Where the workspace image keeps its npm language servers (deploy/workspace-image/lsp). */
  static final String LANGUAGE_SERVERS = "/opt/constellation/lsp";

  /** Files under /etc that say more than a workspace needs; replaced by empty ones. */
  static final List<String> HIDDEN_SYSTEM_FILES =
      List.of("/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-");

  static final List<String> HIDDEN_SYSTEM_DIRECTORIES =
      List.of("/etc/ssh", "/etc/ssl/private", "/etc/docker");
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Taken from the service's own environment when set; nothing else is. */
  static final List<String> PASSED_THROUGH = List.of("LANG", "LC_ALL", "LC_CTYPE", "TZ");

  public LocalWorkspaceRuntime(WorkspaceProperties properties) {
    this.properties = properties;
    this.bwrap = properties.local().sandbox() ? findOnPath("bwrap") : null;
    if (properties.local().sandbox() && bwrap == null) {
      log.warn(
          "bubblewrap (bwrap) is not installed: local workspaces run unsandboxed as this service's user");
    }
  }

  /** Whether processes run inside bubblewrap. */
  public boolean sandboxed() {
    return bwrap != null;
  }

  private static Path findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) return candidate;
    }
    return null;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public void start(String projectId, Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "cannot create the project directory: " + e.getMessage(), e);
    }
    running.put(projectId, directory.toAbsolutePath().normalize());
  }

  @Override
  public void stop(String projectId) {
    running.remove(projectId);
    sessions.remove(projectId);
    Set<Process> owned = processes.remove(projectId);
    if (owned != null) owned.forEach(LocalWorkspaceRuntime::kill);
  }

  @Override
  public void remove(String projectId) {
    stop(projectId);
  }

  @Override
  public boolean isRunning(String projectId) {
    return running.containsKey(projectId);
  }

  @Override
  public Map<String, Boolean> managedWorkspaces() {
    Map<String, Boolean> result = new HashMap<>();
    running.keySet().forEach(id -> result.put(id, true));
    return result;
  }

  private Path directoryOf(String projectId) {
    Path dir = running.get(projectId);
    if (dir == null) throw new IllegalStateException("workspace " + projectId + " is not running");
    return dir;
  }

  /**
   * The command line that runs {@code command} in the project directory, sandboxed when possible.
   */
  List<String> commandLine(Path directory, List<String> command, Map<String, String> env) {
    List<String> line = new ArrayList<>();
    if (bwrap != null) {
      line.add(bwrap.toString());
      for (String dir : SYSTEM_DIRECTORIES) {
        Path path = Path.of(dir);
        if (Files.isSymbolicLink(path)) {
          // Merged /usr: /bin -> usr/bin and the like stay links into the bound /usr.
          try {
            line.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), dir));
          } catch (IOException e) {
            log.warn("cannot read the link {}: {}", dir, e.toString());
          }
        } else if (Files.isDirectory(path)) {
          line.addAll(List.of("--ro-bind", dir, dir));
        }
      }
      // The language servers, where the host has them where the workspace image does.
      if (Files.isDirectory(Path.of(LANGUAGE_SERVERS), LinkOption.NOFOLLOW_LINKS))
        line.addAll(List.of("--ro-bind", LANGUAGE_SERVERS, LANGUAGE_SERVERS));
      for (String file : HIDDEN_SYSTEM_FILES) {
        if (Files.exists(Path.of(file), LinkOption.NOFOLLOW_LINKS))
          line.addAll(List.of("--ro-bind", "/dev/null", file));
      }
      for (String dir : HIDDEN_SYSTEM_DIRECTORIES) {
        if (Files.isDirectory(Path.of(dir), LinkOption.NOFOLLOW_LINKS))
          line.addAll(List.of("--tmpfs", dir));
      }
      for (Path hidden : properties.local().hiddenPaths()) {
        // Only a path inside a bound system directory can be seen at all; hide it there.
        Path absolute = hidden.toAbsolutePath().normalize();
        boolean visible = SYSTEM_DIRECTORIES.stream().anyMatch(d -> absolute.startsWith(d));
        if (visible && Files.isDirectory(absolute))
          line.addAll(List.of("--tmpfs", absolute.toString()));
      }
      line.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
      String dir = directory.toString();
      line.addAll(List.of("--bind", dir, dir, "--chdir", dir, "--clearenv"));
      env.forEach((name, value) -> line.addAll(List.of("--setenv", name, value)));
      line.addAll(
          List.of("--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"));
      if (properties.local().network()) line.add("--share-net");
      line.add("--");
    }
    line.addAll(command);
    return line;
  }

  /**
   * The whole environment of a workspace process: an allowlist, so that nothing the service was
   * given (JWT_SECRET, ANTHROPIC_API_KEY, MONGODB_URI, REDIS_URL…) reaches code in the workspace.
   */
  static Map<String, String> environment(Path directory, String term) {
    Map<String, String> env = new java.util.TreeMap<>();
    for (String name : PASSED_THROUGH) {
      String value = System.getenv(name);
      if (value != null) env.put(name, value);
    }
    env.putIfAbsent("LANG", "C.UTF-8");
    String user = System.getProperty("user.name", "dev");
    env.put("PATH", PATH);
    env.put("HOME", directory.toString());
    env.put("USER", user);
    env.put("LOGNAME", user);
    env.put("SHELL", "/bin/bash");
    env.put("TERM", term);
    return env;
  }

  @Override
  public RunningCommand start(
      String projectId, String command, Duration timeout, RunningCommand.OutputListener listener) {
    Path dir = directoryOf(projectId);
    Map<String, String> env = environment(dir, "dumb");
    var builder =
        new ProcessBuilder(commandLine(dir, List.of("bash", "-lc", command), env))
            .directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new RuntimeUnavailableException("cannot start bash: " + e.getMessage(), e);
    }
    track(projectId, process);
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // no input either way
    }
    Thread out = drain(process.getInputStream(), bytes -> listener.output(false, bytes));
    Thread err = drain(process.getErrorStream(), bytes -> listener.output(true, bytes));
    long deadline = System.nanoTime() + timeout.toNanos();
    var cancelled = new AtomicBoolean();
    var timedOut = new AtomicBoolean();
    return new RunningCommand() {
      @Override
      public CommandEnd await(Duration wait) throws InterruptedException {
        long left = Math.min(wait.toNanos(), Math.max(0, deadline - System.nanoTime()));
        if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
          if (System.nanoTime() < deadline) return null;
          timedOut.set(!cancelled.get());
          LocalWorkspaceRuntime.kill(process);
          process.waitFor(5, TimeUnit.SECONDS);
        }
        // Output read before the end is reported: the listener has every byte by then.
        out.join(2000);
        err.join(2000);
        untrack(projectId, process);
        int exit = process.isAlive() ? -1 : process.exitValue();
        boolean byCaller = cancelled.get() && !timedOut.get();
        return new CommandEnd(
            exit,
            timedOut.get(),
            timedOut.get() ? "timeout" : byCaller ? "signal" : null,
            List.of(),
            byCaller);
      }

      @Override
      public void kill() {
        if (process.isAlive()) cancelled.set(true);
        LocalWorkspaceRuntime.kill(process);
      }
    };
  }

  @Override
  public StdioProcess spawn(String projectId, List<String> command, long maxPendingInputBytes) {
    Path dir = directoryOf(projectId);
    Map<String, String> env = environment(dir, "dumb");
    List<String> line =
        new ArrayList<>(
            List.of("sh", "-c", "command -v \"$1\" >/dev/null || exit 127; exec \"$@\"", "stdio"));
    line.addAll(command);
    var builder =
        new ProcessBuilder(commandLine(dir, line, env))
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    track(projectId, process);
    process.onExit().thenRun(() -> untrack(projectId, process));
    // A pipe to a host process holds 64 KiB; a writer beyond it waits, which bounds it already.
    return new StdioProcess() {
      @Override
      public InputStream stdout() {
        return process.getInputStream();
      }

      @Override
      public java.io.OutputStream stdin() {
        return process.getOutputStream();
      }

      @Override
      public java.util.OptionalInt exitCode() {
        try {
          return process.waitFor(5, TimeUnit.SECONDS)
              ? java.util.OptionalInt.of(process.exitValue())
              : java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return java.util.OptionalInt.empty();
        }
      }

      @Override
      public void close() {
        kill(process);
      }
    };
  }

  @Override
  public String workspaceRoot(String projectId) {
    return directoryOf(projectId).toString();
  }

  private static Thread drain(InputStream in, CappedOutput sink) {
    return drain(in, bytes -> sink.append(bytes, 0, bytes.length));
  }

  /** Hands what a process writes to {@code sink} chunk by chunk, as it arrives. */
  private static Thread drain(InputStream in, java.util.function.Consumer<byte[]> sink) {
    return daemon(
        "local-exec-drain",
        () -> {
          byte[] buffer = new byte[8192];
          try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
              if (n > 0) sink.accept(java.util.Arrays.copyOf(buffer, n));
            }
          } catch (IOException ignored) {
            // the process ended or was killed
          }
        });
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void track(String projectId, Process process) {
    processes.computeIfAbsent(projectId, id -> ConcurrentHashMap.newKeySet()).add(process);
  }

  private void untrack(String projectId, Process process) {
    Set<Process> owned = processes.get(projectId);
    if (owned != null) owned.remove(process);
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Sessions live in this service's memory: a pty and the last output, so that a session outlives
   * its WebSocket. A restart of this service ends them (the local runtime is one person's machine;
   * its processes die with the service anyway).
   */
  private final Map<String, Map<String, LocalSession>> sessions = new ConcurrentHashMap<>();

  private static final int SCROLLBACK_BYTES = 256 * 1024;

  private final class LocalSession {
    final String projectId;
    final String id;
    final PtyProcess pty;
    final Instant createdAt = Instant.now();
    final Set<TerminalListener> listeners = ConcurrentHashMap.newKeySet();
    final byte[] ring = new byte[SCROLLBACK_BYTES];
    volatile String title;
    long written;

    LocalSession(String projectId, String id, String title, PtyProcess pty) {
      this.projectId = projectId;
      this.id = id;
      this.title = title;
      this.pty = pty;
    }

    synchronized void record(byte[] bytes, int n) {
      for (int i = 0; i < n; i++) ring[(int) ((written + i) % ring.length)] = bytes[i];
      written += n;
      for (TerminalListener l : listeners) l.output(java.util.Arrays.copyOf(bytes, n));
    }

    /** The kept output, then live output, without a gap or a repeat between them. */
    synchronized void subscribe(TerminalListener listener) {
      int kept = (int) Math.min(written, ring.length);
      byte[] replay = new byte[kept];
      for (int i = 0; i < kept; i++) replay[i] = ring[(int) ((written - kept + i) % ring.length)];
      if (kept > 0) listener.output(replay);
      listeners.add(listener);
    }

    String foreground() {
      return pty.descendants()
          .reduce((first, second) -> second)
          .flatMap(p -> p.info().command())
          .map(c -> Path.of(c).getFileName().toString())
          .orElse("bash");
    }
  }

  @Override
  public TerminalSession createSession(
      String projectId, String id, String title, int cols, int rows) {
    Path dir = directoryOf(projectId);
    Map<String, String> env = environment(dir, "xterm-256color");
    PtyProcess pty;
    try {
      pty =
          new PtyProcessBuilder(
                  commandLine(dir, properties.terminal().shell(), env).toArray(String[]::new))
              .setDirectory(dir.toString())
              .setEnvironment(env)
              .setInitialColumns(cols)
              .setInitialRows(rows)
              .setRedirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new RuntimeUnavailableException("cannot start a terminal: " + e.getMessage(), e);
    }
    track(projectId, pty);
    LocalSession session = new LocalSession(projectId, id, title, pty);
    sessions.computeIfAbsent(projectId, p -> new ConcurrentHashMap<>()).put(id, session);
    daemon(
        "local-terminal-" + projectId,
        () -> {
          byte[] buffer = new byte[8192];
          try (InputStream in = pty.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
              if (n > 0) session.record(buffer, n);
            }
          } catch (IOException ignored) {
            // the shell ended
          }
          untrack(projectId, pty);
          Integer code = null;
          try {
            if (pty.waitFor(2, TimeUnit.SECONDS)) code = pty.exitValue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          Map<String, LocalSession> owned = sessions.get(projectId);
          if (owned != null) owned.remove(id);
          for (TerminalListener l : session.listeners) l.ended(true, code);
        });
    return new TerminalSession(id, title, "bash", session.createdAt, false);
  }

  @Override
  public List<TerminalSession> sessions(String projectId) {
    return sessions.getOrDefault(projectId, Map.of()).values().stream()
        .sorted(java.util.Comparator.comparing((LocalSession s) -> s.createdAt))
        .map(
            s ->
                new TerminalSession(
                    s.id, s.title, s.foreground(), s.createdAt, !s.listeners.isEmpty()))
        .toList();
  }

  @Override
  public Optional<TerminalProcess> attach(
      String projectId,
      String sessionId,
      int cols,
      int rows,
      int scrollbackLines,
      TerminalListener listener) {
    LocalSession session = sessions.getOrDefault(projectId, Map.of()).get(sessionId);
    if (session == null) return Optional.empty();
    session.subscribe(listener);
    OutputStream stdin = session.pty.getOutputStream();
    var detached = new AtomicBoolean();
    TerminalProcess attachment =
        new TerminalProcess() {
          @Override
          public boolean write(byte[] input) {
            // Written straight to the pty: a shell that does not read blocks this writer, nothing
            // queues.
            synchronized (stdin) {
              try {
                stdin.write(input);
                stdin.flush();
              } catch (IOException e) {
                close();
              }
            }
            return true;
          }

          @Override
          public void resize(int c, int r) {
            if (session.pty.isAlive()) session.pty.setWinSize(new WinSize(c, r));
          }

          @Override
          public void close() {
            if (detached.compareAndSet(false, true)) session.listeners.remove(listener);
          }
        };
    attachment.resize(cols, rows);
    return Optional.of(attachment);
  }

  @Override
  public boolean killSession(String projectId, String sessionId) {
    LocalSession session = sessions.getOrDefault(projectId, Map.of()).get(sessionId);
    if (session == null) return false;
    kill(session.pty);
    return true;
  }

  @Override
  public boolean renameSession(String projectId, String sessionId, String title) {
    LocalSession session = sessions.getOrDefault(projectId, Map.of()).get(sessionId);
    if (session == null) return false;
    session.title = title;
    return true;
  }

  // --- listening ports (previews) ---

  /**
   * The sockets the workspace's own processes (and their children) listen on: their socket inodes
   * matched against the host's socket table. A sandbox without {@code --share-net} has a network
   * namespace of its own that nothing on the host can reach, so it lists none.
   */
  @Override
  public Set<Integer> listeningPorts(String projectId) {
    if (!running.containsKey(projectId) || !sharesHostNetwork()) return Set.of();
    Set<Long> inodes = new java.util.HashSet<>();
    for (Process process : processes.getOrDefault(projectId, Set.of())) {
      socketInodes(process.toHandle(), inodes);
      process.descendants().forEach(child -> socketInodes(child, inodes));
    }
    if (inodes.isEmpty()) return Set.of();
    String tables;
    try {
      tables =
          Files.readString(Path.of("/proc/net/tcp")) + Files.readString(Path.of("/proc/net/tcp6"));
    } catch (IOException e) {
      return Set.of();
    }
    Set<Integer> ports = new TreeSet<>();
    for (ListeningSockets.Socket socket : ListeningSockets.parse(tables)) {
      if (inodes.contains(socket.inode())) ports.add(socket.port());
    }
    return ports;
  }

  private boolean sharesHostNetwork() {
    return bwrap == null || properties.local().network();
  }

  private static void socketInodes(ProcessHandle process, Set<Long> into) {
    Path fds = Path.of("/proc", String.valueOf(process.pid()), "fd");
    try (var entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[") && target.endsWith("]"))
            into.add(Long.parseLong(target.substring(8, target.length() - 1)));
        } catch (IOException | NumberFormatException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended
    }
  }

  @Override
  public Optional<String> address(String projectId) {
    return running.containsKey(projectId) && sharesHostNetwork()
        ? Optional.of("127.0.0.1")
        : Optional.empty();
  }

  @Override
  public ProcessOutput run(
      String projectId, List<String> argv, byte[] stdin, Duration timeout, int maxOutputBytes) {
    Path dir = directoryOf(projectId);
    Map<String, String> env = environment(dir, "dumb");
    var builder = new ProcessBuilder(commandLine(dir, argv, env)).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "cannot start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    track(projectId, process);
    var stdout = new CappedOutput(maxOutputBytes);
    var stderr = new CappedOutput(maxOutputBytes);
    Thread out = drain(process.getInputStream(), stdout);
    Thread err = drain(process.getErrorStream(), stderr);
    boolean finished;
    try {
      try (var in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException ignored) {
        // the command did not read its input; its exit status tells the rest
      }
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) kill(process);
      process.waitFor(5, TimeUnit.SECONDS);
      out.join(2000);
      err.join(2000);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      finished = false;
    } finally {
      untrack(projectId, process);
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    return new ProcessOutput(
        exit, stdout.bytes(), stderr.text(), !finished, stdout.truncated() || stderr.truncated());
  }
}
