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
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.ExecResult;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Workspaces as hardened Docker containers, one per project, found again by their labels. */
public final class DockerWorkspaceRuntime implements WorkspaceRuntime {
  public static final String LABEL_PROJECT = "dev.constellation.project-id";
  public static final String LABEL_MANAGED = "dev.constellation.managed";
  public static final String LABEL_INSTALLATION = "dev.constellation.installation";

  private static final Logger log = LoggerFactory.getLogger(DockerWorkspaceRuntime.class);

  private final DockerClient docker;
  private final WorkspaceProperties properties;
  private volatile boolean networkReady;

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
        // Nobody inside can race the ownership walk while the container is stopped.
        prepareDirectory(directory);
      }
      try {
        docker.startContainerCmd(container.getId()).exec();
      } catch (NotModifiedException alreadyRunning) {
        // another replica started it first: the outcome asked for
      }
    } catch (DockerException e) {
      throw new RuntimeUnavailableException("Docker refused to start the workspace: " + e.getMessage(), e);
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
      String tmpfs = "rw,nosuid,nodev,size=" + isolation.tmpfsSize() + ",uid=" + isolation.uid() + ",gid=" + isolation.uid();
      host.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", tmpfs + ",mode=1777", isolation.home(), tmpfs + ",mode=0755"));
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
          "The workspace image " + properties.image() + " is missing; build it with deploy/workspace-image/build-local.sh", e);
    }
    return inspect(projectId).orElseThrow(() -> new RuntimeUnavailableException("workspace container vanished", null));
  }

  private Map<String, String> labels(String projectId) {
    return Map.of(
        LABEL_PROJECT, projectId,
        LABEL_MANAGED, "true",
        LABEL_INSTALLATION, properties.installationId());
  }

  private synchronized void ensureNetwork() {
    if (networkReady) return;
    String name = properties.network().name();
    boolean exists = docker.listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> name.equals(n.getName()));
    if (!exists) {
      try {
        docker
            .createNetworkCmd()
            .withName(name)
            .withDriver("bridge")
            .withInternal(!properties.network().egress())
            .withLabels(Map.of(LABEL_MANAGED, "true", LABEL_INSTALLATION, properties.installationId()))
            .exec();
        log.info("created workspace network {} (egress {})", name, properties.network().egress());
      } catch (ConflictException raced) {
        // created meanwhile by another replica
      }
    }
    networkReady = true;
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
      Files.walkFileTree(directory, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          own(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          own(file);
          return FileVisitResult.CONTINUE;
        }

        private void own(Path path) throws IOException {
          if (!Integer.valueOf(uid).equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
          }
        }
      });
    } catch (IOException e) {
      throw new RuntimeUnavailableException("cannot prepare the project directory: " + e.getMessage(), e);
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
      throw new RuntimeUnavailableException("Docker refused to stop the workspace: " + e.getMessage(), e);
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
    return inspect(projectId).map(c -> Boolean.TRUE.equals(c.getState().getRunning())).orElse(false);
  }

  @Override
  public Map<String, Boolean> managedWorkspaces() {
    List<Container> containers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(LABEL_MANAGED, "true", LABEL_INSTALLATION, properties.installationId()))
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
            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(payload, 0, payload.length);
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
    boolean timedOut = !finished || (exitCode == 137 && System.nanoTime() - began >= TimeUnit.SECONDS.toNanos(seconds) - 200_000_000L);
    return new ExecResult(exitCode, stdout.text(), stderr.text(), timedOut);
  }

  @Override
  public TerminalProcess openTerminal(String projectId, int cols, int rows, TerminalListener listener) {
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
      var stdin = new StdinPipe();
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
    public void write(byte[] input) {
      stdin.offer(input);
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
