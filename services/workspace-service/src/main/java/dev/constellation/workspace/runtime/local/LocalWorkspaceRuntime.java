package dev.constellation.workspace.runtime.local;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.ExecResult;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces as host processes in the project directory, for a single user's machine without
 * Docker. Processes run inside bubblewrap when it is installed: the host is read-only, the project
 * directory writable, the data directory hidden and, unless configured, no network.
 */
public final class LocalWorkspaceRuntime implements WorkspaceRuntime {
  private static final Logger log = LoggerFactory.getLogger(LocalWorkspaceRuntime.class);

  private final WorkspaceProperties properties;
  private final Path bwrap;
  private final Map<String, Path> running = new ConcurrentHashMap<>();
  private final Map<String, Set<Process>> processes = new ConcurrentHashMap<>();

  public LocalWorkspaceRuntime(WorkspaceProperties properties) {
    this.properties = properties;
    this.bwrap = properties.local().sandbox() ? findOnPath("bwrap") : null;
    if (properties.local().sandbox() && bwrap == null) {
      log.warn("bubblewrap (bwrap) is not installed: local workspaces run unsandboxed as this service's user");
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
      throw new RuntimeUnavailableException("cannot create the project directory: " + e.getMessage(), e);
    }
    running.put(projectId, directory.toAbsolutePath().normalize());
  }

  @Override
  public void stop(String projectId) {
    running.remove(projectId);
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

  /** The command line that runs {@code command} in the project directory, sandboxed when possible. */
  List<String> commandLine(Path directory, List<String> command) {
    List<String> line = new ArrayList<>();
    if (bwrap != null) {
      line.addAll(List.of(bwrap.toString(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
      List<Path> hidden = new ArrayList<>(properties.local().hiddenPaths());
      hidden.add(properties.root());
      for (Path path : hidden) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) line.addAll(List.of("--tmpfs", absolute.toString()));
      }
      String dir = directory.toString();
      line.addAll(List.of("--bind", dir, dir, "--chdir", dir, "--setenv", "HOME", dir));
      line.addAll(List.of("--unshare-all", "--die-with-parent", "--new-session"));
      if (properties.local().network()) line.add("--share-net");
      line.add("--");
    }
    line.addAll(command);
    return line;
  }

  @Override
  public ExecResult exec(String projectId, String command, Duration timeout, int maxOutputBytes) {
    Path dir = directoryOf(projectId);
    var builder = new ProcessBuilder(commandLine(dir, List.of("bash", "-lc", command))).directory(dir.toFile());
    builder.environment().put("TERM", "dumb");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new RuntimeUnavailableException("cannot start bash: " + e.getMessage(), e);
    }
    track(projectId, process);
    var stdout = new CappedOutput(maxOutputBytes);
    var stderr = new CappedOutput(maxOutputBytes);
    Thread out = drain(process.getInputStream(), stdout);
    Thread err = drain(process.getErrorStream(), stderr);
    boolean finished;
    try {
      process.getOutputStream().close();
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) kill(process);
      process.waitFor(5, TimeUnit.SECONDS);
      out.join(2000);
      err.join(2000);
    } catch (IOException | InterruptedException e) {
      kill(process);
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      finished = false;
    } finally {
      untrack(projectId, process);
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    return new ExecResult(exit, stdout.text(), stderr.text(), !finished);
  }

  private static Thread drain(InputStream in, CappedOutput sink) {
    return daemon("local-exec-drain", () -> {
          byte[] buffer = new byte[8192];
          try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) sink.append(buffer, 0, n);
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

  @Override
  public TerminalProcess openTerminal(String projectId, int cols, int rows, TerminalListener listener) {
    Path dir = directoryOf(projectId);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("TERM", "xterm-256color");
    PtyProcess pty;
    try {
      pty =
          new PtyProcessBuilder(commandLine(dir, properties.terminal().shell()).toArray(String[]::new))
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
    var exited = new AtomicBoolean();
    Runnable onExit = () -> {
      untrack(projectId, pty);
      if (exited.compareAndSet(false, true)) listener.exited();
    };
    daemon("local-terminal-" + projectId, () -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = pty.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (n > 0) listener.output(java.util.Arrays.copyOf(buffer, n));
        }
      } catch (IOException ignored) {
        // the shell ended
      }
      onExit.run();
    });
    OutputStream stdin = pty.getOutputStream();
    return new TerminalProcess() {
      @Override
      public synchronized void write(byte[] input) {
        try {
          stdin.write(input);
          stdin.flush();
        } catch (IOException e) {
          close();
        }
      }

      @Override
      public void resize(int c, int r) {
        if (pty.isAlive()) pty.setWinSize(new WinSize(c, r));
      }

      @Override
      public void close() {
        kill(pty);
        onExit.run();
      }
    };
  }
}
