package dev.constellation.workspace.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.ExecResult;
import dev.constellation.workspace.runtime.ListeningSockets;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Workspaces as hardened Docker containers, one per project, found again by their labels. */
public final class DockerWorkspaceRuntime implements WorkspaceRuntime {
  public static final String LABEL_PROJECT = "dev.constellation.project-id";
  public static final String LABEL_MANAGED = "dev.constellation.managed";
  public static final String LABEL_INSTALLATION = "dev.constellation.installation";
  static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";
  static final String INHIBIT_IPV4_OPTION = "com.docker.network.bridge.inhibit_ipv4";

  private static final Logger log = LoggerFactory.getLogger(DockerWorkspaceRuntime.class);

  private final DockerClient docker;
  private final WorkspaceProperties properties;
  private volatile boolean networkReady;
  private final Map<String, LimitCounters> lastCounters =
      new java.util.concurrent.ConcurrentHashMap<>();

  DockerWorkspaceRuntime(DockerClient docker, WorkspaceProperties properties) {
    this.docker = docker;
    this.properties = properties;
  }

  /** A runtime on the engine named by DOCKER_HOST (or the default socket), if it answers a ping. */
  public static Optional<DockerWorkspaceRuntime> connect(WorkspaceProperties properties) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    var http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(200)
            .connectionTimeout(Duration.ofSeconds(3))
            .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    try {
      client.pingCmd().exec();
      return Optional.of(new DockerWorkspaceRuntime(client, properties));
    } catch (RuntimeException e) {
      log.info("no Docker engine at {}: {}", config.getDockerHost(), e.toString());
      try {
        client.close();
      } catch (IOException ignored) {
        // nothing was opened that matters
      }
      return Optional.empty();
    }
  }

  @Override
  public String name() {
    return "docker";
  }

  String containerName(String projectId) {
    return "constellation-" + properties.installationId() + "-" + projectId;
  }

  @Override
  public void start(String projectId, Path directory) {
    try {
      InspectContainerResponse container = inspect(projectId).orElse(null);
      if (container == null) {
        prepareDirectory(directory);
        container = create(projectId, directory);
      } else if (Boolean.TRUE.equals(container.getState().getRunning())) {
        return;
      } else {
        ensureNetwork();
        if (!onCurrentNetwork(container)) {
          // Made before the network was replaced: containers keep nothing but the bind mount.
          log.info(
              "recreating workspace container of project {} on the current network", projectId);
          docker.removeContainerCmd(container.getId()).withForce(true).exec();
          prepareDirectory(directory);
          container = create(projectId, directory);
        } else {
          // Nobody inside can race the ownership walk while the container is stopped.
          prepareDirectory(directory);
        }
      }
      // A started container has a fresh cgroup: its counters begin at zero.
      lastCounters.put(projectId, LimitCounters.NONE);
      try {
        docker.startContainerCmd(container.getId()).exec();
      } catch (NotModifiedException alreadyRunning) {
        // another replica started it first: the outcome asked for
      }
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "Docker refused to start the workspace: " + e.getMessage(), e);
    }
  }

  private InspectContainerResponse create(String projectId, Path directory) {
    ensureNetwork();
    var isolation = properties.isolation();
    var limits = properties.limits();
    HostConfig host =
        HostConfig.newHostConfig()
            .withBinds(new Bind(directory.toAbsolutePath().toString(), new Volume("/workspace")))
            .withInit(true)
            .withMemory(limits.memoryBytes())
            .withMemorySwap(limits.memoryBytes())
            .withNanoCPUs((long) (limits.cpus() * 1_000_000_000L))
            .withPidsLimit(limits.pids())
            .withNetworkMode(properties.network().name());
    if (isolation.dropAllCapabilities()) host.withCapDrop(Capability.ALL);
    if (isolation.noNewPrivileges()) host.withSecurityOpts(List.of("no-new-privileges"));
    if (isolation.readOnlyRootFs()) {
      String tmpfs =
          "rw,nosuid,nodev,size="
              + isolation.tmpfsSize()
              + ",uid="
              + isolation.uid()
              + ",gid="
              + isolation.uid();
      host.withReadonlyRootfs(true)
          .withTmpFs(Map.of("/tmp", tmpfs + ",mode=1777", isolation.home(), tmpfs + ",mode=0755"));
    }
    try {
      String id =
          docker
              .createContainerCmd(properties.image())
              .withName(containerName(projectId))
              .withLabels(labels(projectId))
              .withUser(isolation.uid() + ":" + isolation.uid())
              .withWorkingDir("/workspace")
              .withEnv("HOME=" + isolation.home(), "LANG=C.UTF-8", "TERM=xterm-256color")
              .withCmd("sleep", "infinity")
              .withHostConfig(host)
              .exec()
              .getId();
      log.info("created workspace container {} for project {}", id, projectId);
    } catch (ConflictException raced) {
      // Another replica created it between our inspect and create: the name is the lock.
    } catch (NotFoundException e) {
      throw new RuntimeUnavailableException(
          "The workspace image "
              + properties.image()
              + " is missing; build it with deploy/workspace-image/build-local.sh",
          e);
    }
    return inspect(projectId)
        .orElseThrow(() -> new RuntimeUnavailableException("workspace container vanished", null));
  }

  private Map<String, String> labels(String projectId) {
    return Map.of(
        LABEL_PROJECT,
        projectId,
        LABEL_MANAGED,
        "true",
        LABEL_INSTALLATION,
        properties.installationId());
  }

  /**
   * The options that keep workspaces apart on their shared bridge: no traffic between containers
   * (ICC off) and, without egress, an internal network whose bridge has no address on the host, so
   * nothing listening on the host (services, Redis, the database, the Docker API) is reachable
   * through a gateway address either.
   */
  Map<String, String> networkOptions() {
    Map<String, String> options = new HashMap<>();
    options.put(ICC_OPTION, "false");
    if (!properties.network().egress()) options.put(INHIBIT_IPV4_OPTION, "true");
    return options;
  }

  private synchronized void ensureNetwork() {
    if (networkReady) return;
    String name = properties.network().name();
    Network existing =
        docker.listNetworksCmd().withNameFilter(name).exec().stream()
            .filter(n -> name.equals(n.getName()))
            .findFirst()
            .orElse(null);
    if (existing != null && !isolates(existing)) {
      replaceNetwork(existing);
      existing = null;
    }
    if (existing == null) {
      try {
        docker
            .createNetworkCmd()
            .withName(name)
            .withDriver("bridge")
            .withInternal(!properties.network().egress())
            .withOptions(networkOptions())
            .withLabels(
                Map.of(LABEL_MANAGED, "true", LABEL_INSTALLATION, properties.installationId()))
            .exec();
        log.info(
            "created workspace network {} (egress {}, inter-container traffic off)",
            name,
            properties.network().egress());
      } catch (ConflictException raced) {
        // created meanwhile by another replica
      }
    }
    networkReady = true;
  }

  private boolean isolates(Network network) {
    Map<String, String> options = network.getOptions() == null ? Map.of() : network.getOptions();
    boolean internal = Boolean.TRUE.equals(network.getInternal());
    return internal == !properties.network().egress()
        && networkOptions().entrySet().stream()
            .allMatch(o -> o.getValue().equals(options.get(o.getKey())));
  }

  /**
   * A network made by an older version (inter-container traffic on) is replaced: its workspaces are
   * cut off from it, and each is recreated on the new one at its next start.
   */
  private void replaceNetwork(Network network) {
    Map<String, String> labels = network.getLabels() == null ? Map.of() : network.getLabels();
    if (!properties.installationId().equals(labels.get(LABEL_INSTALLATION))) {
      throw new RuntimeUnavailableException(
          "The Docker network "
              + network.getName()
              + " exists but does not isolate workspaces and is not this installation's; remove it or set WORKSPACE_NETWORK_NAME",
          null);
    }
    log.warn("workspace network {} does not isolate workspaces: replacing it", network.getName());
    for (String container :
        docker.inspectNetworkCmd().withNetworkId(network.getId()).exec().getContainers().keySet()) {
      try {
        docker
            .disconnectFromNetworkCmd()
            .withNetworkId(network.getId())
            .withContainerId(container)
            .withForce(true)
            .exec();
      } catch (NotFoundException gone) {
        // removed meanwhile
      }
    }
    try {
      docker.removeNetworkCmd(network.getId()).exec();
    } catch (NotFoundException gone) {
      // removed by another replica
    }
  }

  /**
   * Whether a container sits on the current workspace network (one made before a replacement does
   * not).
   */
  private boolean onCurrentNetwork(InspectContainerResponse container) {
    var networks =
        container.getNetworkSettings() == null
            ? null
            : container.getNetworkSettings().getNetworks();
    if (networks == null || !networks.containsKey(properties.network().name())) return false;
    String current =
        docker.inspectNetworkCmd().withNetworkId(properties.network().name()).exec().getId();
    return current.equals(networks.get(properties.network().name()).getNetworkID());
  }

  /**
   * Gives the container user the project directory: when this service runs as root, files that
   * project-service or we created belong to root, and cap-drop ALL forbids fixing that inside.
   * Called only while the container is stopped, so nothing inside can swap a directory for a
   * symlink during the walk (which never follows links anyway).
   */
  private void prepareDirectory(Path directory) {
    int uid = properties.isolation().uid();
    try {
      Files.createDirectories(directory);
      if (!runningAsRoot()) return;
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              own(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              own(file);
              return FileVisitResult.CONTINUE;
            }

            private void own(Path path) throws IOException {
              if (!Integer.valueOf(uid)
                  .equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
              }
            }
          });
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "cannot prepare the project directory: " + e.getMessage(), e);
    }
  }

  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private Optional<InspectContainerResponse> inspect(String projectId) {
    try {
      return Optional.of(docker.inspectContainerCmd(containerName(projectId)).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void stop(String projectId) {
    try {
      docker.stopContainerCmd(containerName(projectId)).withTimeout(5).exec();
    } catch (NotFoundException | NotModifiedException e) {
      // already gone or already stopped
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "Docker refused to stop the workspace: " + e.getMessage(), e);
    }
  }

  @Override
  public void remove(String projectId) {
    try {
      docker.removeContainerCmd(containerName(projectId)).withForce(true).exec();
    } catch (NotFoundException e) {
      // idempotent
    } catch (ConflictException e) {
      // a removal already in progress
    }
  }

  @Override
  public boolean isRunning(String projectId) {
    return inspect(projectId)
        .map(c -> Boolean.TRUE.equals(c.getState().getRunning()))
        .orElse(false);
  }

  @Override
  public Map<String, Boolean> managedWorkspaces() {
    List<Container> containers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(
                Map.of(LABEL_MANAGED, "true", LABEL_INSTALLATION, properties.installationId()))
            .exec();
    Map<String, Boolean> result = new HashMap<>();
    for (Container c : containers) {
      String projectId = c.getLabels().get(LABEL_PROJECT);
      if (projectId != null) result.put(projectId, "running".equals(c.getState()));
    }
    return result;
  }

  @Override
  public ExecResult exec(String projectId, String command, Duration timeout, int maxOutputBytes) {
    long seconds = Math.max(1, timeout.toSeconds());
    // Counters of the limits as the last failed command left them, to tell what this one hit.
    LimitCounters known = lastCounters.get(projectId);
    LimitCounters before0 = known != null ? known : limitCounters(projectId);
    // timeout(1) kills the whole process group inside; Docker has no way to kill an exec.
    String execId =
        docker
            .execCreateCmd(containerName(projectId))
            .withCmd("timeout", "-s", "KILL", seconds + "s", "bash", "-lc", command)
            .withUser(String.valueOf(properties.isolation().uid()))
            .withWorkingDir("/workspace")
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    var stdout = new CappedOutput(maxOutputBytes);
    var stderr = new CappedOutput(maxOutputBytes);
    long began = System.nanoTime();
    var callback =
        new ResultCallback.Adapter<Frame>() {
          @Override
          public void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            if (payload == null) return;
            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout)
                .append(payload, 0, payload.length);
          }
        };
    boolean finished;
    try {
      docker.execStartCmd(execId).exec(callback);
      finished = callback.awaitCompletion(seconds + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    } finally {
      try {
        callback.close();
      } catch (IOException ignored) {
        // the stream is done either way
      }
    }
    Long exit = finished ? docker.inspectExecCmd(execId).exec().getExitCodeLong() : null;
    int exitCode = exit == null ? -1 : exit.intValue();
    boolean timedOut =
        !finished
            || (exitCode == 137
                && System.nanoTime() - began >= TimeUnit.SECONDS.toNanos(seconds) - 200_000_000L);
    if (exitCode == 0 && !timedOut)
      return ExecResult.of(exitCode, stdout.text(), stderr.text(), false);
    // Something went wrong: tell the user whether a limit of the workspace was the reason.
    LimitCounters now = limitCounters(projectId);
    LimitCounters before = before0 == null ? LimitCounters.NONE : before0;
    List<String> reached = new ArrayList<>();
    if (now.oomKills() > before.oomKills()) reached.add("memory");
    if (now.forkRefusals() > before.forkRefusals()) reached.add("processes");
    String killedBy =
        timedOut
            ? "timeout"
            : exitCode == 137 ? (reached.contains("memory") ? "out-of-memory" : "signal") : null;
    return new ExecResult(
        exitCode, stdout.text(), stderr.text(), timedOut, killedBy, List.copyOf(reached));
  }

  /**
   * The workspace cgroup's counters of OOM kills and refused forks (cgroup v1 or v2, seen from
   * inside).
   */
  record LimitCounters(long oomKills, long forkRefusals) {
    static final LimitCounters NONE = new LimitCounters(0, 0);
  }

  private static final String COUNTERS_SCRIPT =
      "for f in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/pids.events"
          + " /sys/fs/cgroup/pids/pids.events; do [ -r $f ] && { echo \"== $f\"; cat $f; }; done; true";

  /**
   * Reads the counters with a short exec, a few times when the workspace cannot fork yet (a fork
   * bomb's processes are still being reaped); zeros when they cannot be read.
   */
  LimitCounters limitCounters(String projectId) {
    for (int attempt = 0; attempt < 10; attempt++) {
      LimitCounters counters = readLimitCounters(projectId);
      if (counters != null) return counters;
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return LimitCounters.NONE;
  }

  private LimitCounters readLimitCounters(String projectId) {
    try {
      String execId =
          docker
              .execCreateCmd(containerName(projectId))
              .withCmd("sh", "-c", COUNTERS_SCRIPT)
              .withUser(String.valueOf(properties.isolation().uid()))
              .withAttachStdout(true)
              .exec()
              .getId();
      var out = new CappedOutput(8192);
      var callback =
          new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              if (frame.getPayload() != null)
                out.append(frame.getPayload(), 0, frame.getPayload().length);
            }
          };
      docker.execStartCmd(execId).exec(callback);
      if (!callback.awaitCompletion(5, TimeUnit.SECONDS) || !out.text().contains("== "))
        return null;
      long oom = 0;
      long forks = 0;
      String file = "";
      for (String line : out.text().split("\n")) {
        if (line.startsWith("== ")) {
          file = line.substring(3);
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2 || !parts[1].chars().allMatch(Character::isDigit)) continue;
        if (file.contains("memory") && parts[0].equals("oom_kill")) oom = Long.parseLong(parts[1]);
        if (file.contains("pids") && parts[0].equals("max")) forks = Long.parseLong(parts[1]);
      }
      LimitCounters counters = new LimitCounters(oom, forks);
      lastCounters.put(projectId, counters);
      return counters;
    } catch (NotFoundException e) {
      return LimitCounters.NONE;
    } catch (RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return LimitCounters.NONE;
    }
  }

  @Override
  public TerminalProcess openTerminal(
      String projectId, int cols, int rows, TerminalListener listener) {
    List<String> shell = new ArrayList<>(properties.terminal().shell());
    String execId =
        docker
            .execCreateCmd(containerName(projectId))
            .withCmd(shell.toArray(String[]::new))
            .withUser(String.valueOf(properties.isolation().uid()))
            .withWorkingDir("/workspace")
            .withEnv(List.of("TERM=xterm-256color", "COLUMNS=" + cols, "LINES=" + rows))
            .withTty(true)
            .withAttachStdin(true)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    {
      var stdin = new StdinPipe(properties.terminal().maxPendingInputBytes());
      var exited = new AtomicBoolean();
      var callback =
          new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              byte[] payload = frame.getPayload();
              if (payload != null && payload.length > 0) listener.output(payload);
            }

            @Override
            public void onComplete() {
              super.onComplete();
              if (exited.compareAndSet(false, true)) listener.exited();
            }

            @Override
            public void onError(Throwable throwable) {
              super.onError(throwable);
              if (exited.compareAndSet(false, true)) listener.exited();
            }
          };
      docker.execStartCmd(execId).withTty(true).withStdIn(stdin).exec(callback);
      var terminal = new DockerTerminal(docker, execId, stdin, callback, exited, listener);
      terminal.resize(cols, rows);
      return terminal;
    }
  }

  // --- listening ports (previews) ---

  @Override
  public Set<Integer> listeningPorts(String projectId) {
    InspectContainerResponse container = inspect(projectId).orElse(null);
    if (container == null || !Boolean.TRUE.equals(container.getState().getRunning())) {
      return Set.of();
    }
    String tables = socketTablesFromHost(container);
    if (tables == null) tables = socketTablesByExec(projectId);
    Set<Integer> ports = new TreeSet<>();
    for (ListeningSockets.Socket socket : ListeningSockets.parse(tables)) {
      if (!socket.loopbackOnly()) ports.add(socket.port());
    }
    return ports;
  }

  /**
   * The container's socket tables read through the host's /proc, without starting a process: only
   * when this service sees the engine's pid namespace, proven by the pid's cgroup naming this
   * container (inside another container the same pid is some other process). Null otherwise, or
   * when the kernel does not let us read them.
   */
  private static String socketTablesFromHost(InspectContainerResponse container) {
    Long pid = container.getState().getPidLong();
    if (pid == null || pid <= 0) return null;
    Path proc = Path.of("/proc", String.valueOf(pid));
    try {
      if (!Files.readString(proc.resolve("cgroup")).contains(container.getId())) return null;
      return Files.readString(proc.resolve("net/tcp")) + Files.readString(proc.resolve("net/tcp6"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The same tables read by one short exec inside the container (its own network namespace). */
  private String socketTablesByExec(String projectId) {
    try {
      String execId =
          docker
              .execCreateCmd(containerName(projectId))
              .withCmd("cat", "/proc/net/tcp", "/proc/net/tcp6")
              .withUser(String.valueOf(properties.isolation().uid()))
              .withAttachStdout(true)
              .exec()
              .getId();
      var out = new CappedOutput(1 << 20);
      var callback =
          new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              if (frame.getPayload() != null && frame.getStreamType() == StreamType.STDOUT)
                out.append(frame.getPayload(), 0, frame.getPayload().length);
            }
          };
      docker.execStartCmd(execId).exec(callback);
      if (!callback.awaitCompletion(5, TimeUnit.SECONDS)) return "";
      return out.text();
    } catch (NotFoundException | ConflictException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * The container's IP on the workspace network, only when this host has an interface on that
   * network (the bridge's gateway address is ours). Otherwise — egress off (the bridge gets no host
   * address), or this service running elsewhere — nothing here routes to the container, and a
   * connection to its IP would leave through the default route to whatever answers there.
   */
  @Override
  public Optional<String> address(String projectId) {
    if (!hostOnWorkspaceNetwork()) return Optional.empty();
    return inspect(projectId)
        .filter(c -> Boolean.TRUE.equals(c.getState().getRunning()))
        .map(c -> c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks())
        .map(networks -> networks.get(properties.network().name()))
        .map(network -> network.getIpAddress())
        .filter(ip -> !ip.isBlank());
  }

  private boolean hostOnWorkspaceNetwork() {
    try {
      var ipam =
          docker.inspectNetworkCmd().withNetworkId(properties.network().name()).exec().getIpam();
      if (ipam == null || ipam.getConfig() == null) return false;
      for (var config : ipam.getConfig()) {
        String gateway = config.getGateway();
        if (gateway == null || gateway.isBlank()) continue;
        if (java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(gateway))
            != null) return true;
      }
      return false;
    } catch (NotFoundException | IOException e) {
      return false;
    }
  }

  private static final class DockerTerminal implements TerminalProcess {
    private final DockerClient docker;
    private final String execId;
    private final StdinPipe stdin;
    private final ResultCallback.Adapter<Frame> callback;
    private final AtomicBoolean exited;
    private final TerminalListener listener;

    DockerTerminal(
        DockerClient docker,
        String execId,
        StdinPipe stdin,
        ResultCallback.Adapter<Frame> callback,
        AtomicBoolean exited,
        TerminalListener listener) {
      this.docker = docker;
      this.execId = execId;
      this.stdin = stdin;
      this.callback = callback;
      this.exited = exited;
      this.listener = listener;
    }

    @Override
    public boolean write(byte[] input) {
      return stdin.offer(input);
    }

    @Override
    public void resize(int cols, int rows) {
      try {
        docker.resizeExecCmd(execId).withSize(rows, cols).exec();
      } catch (RuntimeException e) {
        // the exec may not have started yet or already ended; the next resize will do
      }
    }

    @Override
    public void close() {
      // EOF on stdin ends the login shell.
      stdin.close();
      try {
        callback.close();
      } catch (IOException ignored) {
        // already closed
      }
      if (exited.compareAndSet(false, true)) listener.exited();
    }
  }
}
