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
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.constellation.workspace.config.OutboundProperties;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.CappedOutput;
import dev.constellation.workspace.runtime.CommandEnd;
import dev.constellation.workspace.runtime.ContainerSpec;
import dev.constellation.workspace.runtime.ListeningSockets;
import dev.constellation.workspace.runtime.NetworkInfo;
import dev.constellation.workspace.runtime.ProcessOutput;
import dev.constellation.workspace.runtime.ResourceUsage;
import dev.constellation.workspace.runtime.RunningCommand;
import dev.constellation.workspace.runtime.StdioProcess;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.TerminalSession;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Workspaces as hardened Docker containers, one per project, found again by their labels. */
public final class DockerWorkspaceRuntime implements WorkspaceRuntime {
  public static final String LABEL_PROJECT = "dev.constellation.project-id";
  public static final String LABEL_MANAGED = "dev.constellation.managed";
  public static final String LABEL_INSTALLATION = "dev.constellation.installation";
  static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";
  static final String INHIBIT_IPV4_OPTION = "com.docker.network.bridge.inhibit_ipv4";
  static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

  /**
   * What a container was created with (image, limits, outbound settings): a change recreates it.
   */
  static final String LABEL_SPEC = "dev.constellation.spec";

  private static final Logger log = LoggerFactory.getLogger(DockerWorkspaceRuntime.class);

  private final DockerClient docker;
  private final WorkspaceProperties properties;
  private final TmuxSessions tmux;
  private final ExecAgents agents;
  private volatile boolean networkReady;
  private final OutboundProperties outbound;
  private final EgressFirewall firewall;

  /** Runs a start's firewall check beside its engine calls. */
  private final java.util.concurrent.ExecutorService checks =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "workspace-firewall-check");
            t.setDaemon(true);
            return t;
          });

  private NetworkPlan networkPlan;
  private final Map<String, LimitCounters> lastCounters =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Which container serves a project, when not ours by name: the Swarm runtime hands each node's
   * engine the id of the task container it runs there. Null: {@link #containerName}'s own rule.
   */
  private final java.util.function.@org.jspecify.annotations.Nullable UnaryOperator<String>
      containers;

  DockerWorkspaceRuntime(
      DockerClient docker,
      WorkspaceProperties properties,
      OutboundProperties outbound,
      EgressFirewall firewall) {
    this(docker, properties, outbound, firewall, null);
  }

  /**
   * A runtime whose commands, terminals, agent and pause go to {@code containers}' answer for a
   * project on {@code docker}'s engine (one node of a swarm); it never creates containers.
   */
  DockerWorkspaceRuntime(
      DockerClient docker,
      WorkspaceProperties properties,
      OutboundProperties outbound,
      EgressFirewall firewall,
      java.util.function.@org.jspecify.annotations.Nullable UnaryOperator<String> containers) {
    this.containers = containers;
    this.docker = docker;
    this.properties = properties;
    this.outbound = outbound;
    this.firewall = firewall;
    this.agents = new ExecAgents(docker, properties.isolation().uid(), properties.exec().agent());
    this.tmux =
        new TmuxSessions(
            docker,
            agents,
            properties.isolation().uid(),
            properties.terminal().shell(),
            properties.terminal().maxPendingInputBytes());
  }

  /** A runtime on the engine named by DOCKER_HOST (or the default socket), if it answers a ping. */
  public static Optional<DockerWorkspaceRuntime> connect(WorkspaceProperties properties) {
    return connect(properties, OutboundProperties.none());
  }

  /** As {@link #connect(WorkspaceProperties)}, passing proxies and CA certificates through. */
  public static Optional<DockerWorkspaceRuntime> connect(
      WorkspaceProperties properties, OutboundProperties outbound) {
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
      var runtime =
          new DockerWorkspaceRuntime(client, properties, outbound, EgressFirewall.system());
      // Install (or refresh) the egress firewall now, so the health of the network is known
      // before the first workspace starts.
      runtime.networkPlan();
      return Optional.of(runtime);
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
    if (containers != null) return containers.apply(projectId);
    return "constellation-" + properties.installationId() + "-" + projectId;
  }

  @Override
  public void start(String projectId, Path directory) {
    start(projectId, directory, defaultSpec());
  }

  /** The image and limits of a project whose owner chose nothing. */
  ContainerSpec defaultSpec() {
    return new ContainerSpec(
        properties.image(),
        (int) (properties.limits().memoryBytes() / (1024 * 1024)),
        properties.limits().cpus());
  }

  @Override
  public void start(String projectId, Path directory, ContainerSpec spec) {
    start(projectId, directory, spec, phase -> {});
  }

  @Override
  public void start(
      String projectId,
      Path directory,
      ContainerSpec spec,
      java.util.function.Consumer<String> phase) {
    // The firewall is read back while the container is looked up and created (it costs an iptables
    // process, as long as a create): the start below still waits for its verdict.
    var firewallChecked =
        "iptables".equals(networkPlan().firewall())
            ? java.util.concurrent.CompletableFuture.runAsync(this::checkFirewall, checks)
            : java.util.concurrent.CompletableFuture.<Void>completedFuture(null);
    try {
      InspectContainerResponse container = inspect(projectId).orElse(null);
      String containerId;
      if (container == null) {
        phase.accept("creating");
        prepareDirectory(directory);
        containerId = create(projectId, directory, spec);
      } else if (Boolean.TRUE.equals(container.getState().getRunning())) {
        phase.accept("starting");
        // A frozen container counts as running to Docker; starting it means thawing it.
        if (Boolean.TRUE.equals(container.getState().getPaused())) unpause(projectId);
        return;
      } else {
        containerId = container.getId();
        ensureNetwork();
        String reason =
            !onCurrentNetwork(container)
                ? "on the current network"
                : !specLabel(spec).equals(labelOf(container, LABEL_SPEC))
                    ? "with its new settings"
                    : null;
        if (reason != null) {
          // Containers keep nothing but the bind mount: recreating one loses nothing.
          log.info("recreating workspace container of project {} {}", projectId, reason);
          phase.accept("creating");
          docker.removeContainerCmd(container.getId()).withForce(true).exec();
          prepareDirectory(directory);
          containerId = create(projectId, directory, spec);
        } else {
          // Nobody inside can race the ownership walk while the container is stopped.
          prepareDirectory(directory);
        }
      }
      phase.accept("starting");
      // A started container has a fresh cgroup: its counters begin at zero.
      lastCounters.put(projectId, LimitCounters.NONE);
      awaitFirewall(firewallChecked);
      try {
        docker.startContainerCmd(containerId).exec();
      } catch (NotModifiedException alreadyRunning) {
        // another replica started it first: the outcome asked for
      }
      agents.warm(containerName(projectId));
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "Docker refused to start the workspace: " + e.getMessage(), e);
    }
  }

  /** Starts the container's exec agent ahead of its first command. */
  void warmAgent(String projectId) {
    agents.warm(containerName(projectId));
  }

  /** Waits for the firewall check started with the start; its refusal is the start's. */
  private static void awaitFirewall(java.util.concurrent.CompletableFuture<Void> checked) {
    try {
      checked.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) throw cause;
      throw e;
    }
  }

  /** Creates the container; its id, or its name when another replica created it first. */
  private String create(String projectId, Path directory, ContainerSpec spec) {
    ensureNetwork();
    var isolation = properties.isolation();
    var limits = properties.limits();
    List<Bind> binds = new ArrayList<>();
    binds.add(new Bind(directory.toAbsolutePath().toString(), new Volume("/workspace")));
    if (outbound.caCertificates() != null) {
      binds.add(
          new Bind(
              outbound.caCertificates().toAbsolutePath().toString(),
              new Volume(OutboundProperties.CA_PATH_IN_WORKSPACE),
              com.github.dockerjava.api.model.AccessMode.ro));
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withBinds(binds)
            .withInit(true)
            .withMemory(spec.memoryBytes())
            .withMemorySwap(spec.memoryBytes())
            .withNanoCPUs((long) (spec.cpus() * 1_000_000_000L))
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
              .createContainerCmd(spec.image())
              .withName(containerName(projectId))
              .withLabels(labels(projectId, spec))
              .withUser(isolation.uid() + ":" + isolation.uid())
              .withWorkingDir("/workspace")
              .withEnv(environment())
              .withCmd("sleep", "infinity")
              .withHostConfig(host)
              .exec()
              .getId();
      log.info("created workspace container {} for project {}", id, projectId);
      return id;
    } catch (ConflictException raced) {
      // Another replica created it between our inspect and create: the name is the lock.
      return containerName(projectId);
    } catch (NotFoundException e) {
      throw new RuntimeUnavailableException(
          "The workspace image "
              + spec.image()
              + " is missing; build it with deploy/workspace-image/build-local.sh",
          e);
    }
  }

  private Map<String, String> labels(String projectId, ContainerSpec spec) {
    return Map.of(
        LABEL_PROJECT,
        projectId,
        LABEL_MANAGED,
        "true",
        LABEL_INSTALLATION,
        properties.installationId(),
        LABEL_SPEC,
        specLabel(spec));
  }

  /**
   * The container's environment: fixed by the server, plus the installation's proxies and CA
   * bundle. Exec and terminal processes inherit it (Docker starts them with the container's
   * environment), so this is the one place it is set. Nothing of this service's own environment
   * (JWT_SECRET, database URIs, tokens) is ever copied in.
   */
  List<String> environment() {
    List<String> env = new ArrayList<>();
    env.add("HOME=" + properties.isolation().home());
    env.add("LANG=C.UTF-8");
    env.add("TERM=xterm-256color");
    env.addAll(outbound.environment());
    return env;
  }

  /** What {@link #LABEL_SPEC} holds: whatever, when changed, needs a new container. */
  String specLabel(ContainerSpec spec) {
    String env = String.join("\n", environment()) + "\n" + outbound.caCertificates();
    return spec.image()
        + " mem="
        + spec.memoryMb()
        + "m cpus="
        + spec.cpus()
        + " env="
        + Integer.toHexString(env.hashCode());
  }

  private static String labelOf(InspectContainerResponse container, String label) {
    var config = container.getConfig();
    if (config == null || config.getLabels() == null) return "";
    return config.getLabels().getOrDefault(label, "");
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
    options.put(BRIDGE_NAME_OPTION, EgressFirewall.bridgeName(properties.network().name()));
    if (!networkPlan().egress()) options.put(INHIBIT_IPV4_OPTION, "true");
    return options;
  }

  /**
   * Whether workspaces get egress, decided once per process: only when the installation asks for it
   * AND the firewall that keeps them from the host and private ranges is in place (installed and
   * read back by us, or by the installation's script in {@code external} mode). Otherwise the
   * network stays internal, loudly: a warning in the log and in every workspace status.
   */
  synchronized NetworkPlan networkPlan() {
    if (networkPlan != null) return networkPlan;
    var network = properties.network();
    if (!network.egress()) {
      networkPlan = new NetworkPlan(false, "none", null);
    } else if (network.firewall() == WorkspaceProperties.FirewallMode.EXTERNAL) {
      log.info(
          "workspace egress on; the firewall of bridge {} is installed outside this service"
              + " (deploy/scripts/workspace-firewall.sh)",
          EgressFirewall.bridgeName(network.name()));
      networkPlan = new NetworkPlan(true, "external", null);
    } else {
      String bridge = EgressFirewall.bridgeName(network.name());
      var outcome = firewall.install(bridge, egressAllow(), EgressFirewall.resolvers());
      if (outcome.enforced()) {
        log.info("workspace egress on, firewall installed: {}", outcome.detail());
        networkPlan = new NetworkPlan(true, "iptables", null);
      } else {
        String warning =
            "egress was asked for (WORKSPACE_EGRESS) but the firewall that keeps workspaces from"
                + " the host and private networks could not be installed ("
                + outcome.detail()
                + "); workspaces get no network. Run workspace-service as root on the host, or"
                + " install the rules with deploy/scripts/workspace-firewall.sh and set"
                + " WORKSPACE_EGRESS_FIREWALL=external";
        log.warn(warning);
        networkPlan = new NetworkPlan(false, "none", warning);
      }
    }
    return networkPlan;
  }

  private List<String> egressAllow() {
    return properties.network().egressAllow().stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** What workspaces' network allows, and a warning when egress was asked for but is off. */
  record NetworkPlan(boolean egress, String firewall, String warning) {}

  @Override
  public NetworkInfo network() {
    NetworkPlan plan = networkPlan();
    return new NetworkInfo(plan.egress(), plan.firewall(), plan.warning());
  }

  /**
   * Before a container starts with egress: the rules must still be there (a firewall reload may
   * have flushed them); put back if not, and refuse the start when that fails.
   */
  private void checkFirewall() {
    if (!"iptables".equals(networkPlan().firewall())) return;
    String bridge = EgressFirewall.bridgeName(properties.network().name());
    List<String> resolvers = EgressFirewall.resolvers();
    if (firewall.verify(bridge, egressAllow(), resolvers).enforced()) return;
    log.warn("the egress firewall of bridge {} is gone: installing it again", bridge);
    var outcome = firewall.install(bridge, egressAllow(), resolvers);
    if (!outcome.enforced())
      throw new RuntimeUnavailableException(
          "the workspace egress firewall is missing and cannot be installed: " + outcome.detail(),
          null);
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
            .withInternal(!networkPlan().egress())
            .withOptions(networkOptions())
            .withLabels(
                Map.of(LABEL_MANAGED, "true", LABEL_INSTALLATION, properties.installationId()))
            .exec();
        log.info(
            "created workspace network {} (egress {}, inter-container traffic off)",
            name,
            networkPlan().egress());
      } catch (ConflictException raced) {
        // created meanwhile by another replica
      }
    }
    networkReady = true;
  }

  private boolean isolates(Network network) {
    Map<String, String> options = network.getOptions() == null ? Map.of() : network.getOptions();
    boolean internal = Boolean.TRUE.equals(network.getInternal());
    return internal == !networkPlan().egress()
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
  void prepareDirectory(Path directory) {
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
      try {
        docker.stopContainerCmd(containerName(projectId)).withTimeout(5).exec();
      } catch (ConflictException paused) {
        // A frozen container cannot take the stop signal: thaw it first, then stop it.
        unpause(projectId);
        docker.stopContainerCmd(containerName(projectId)).withTimeout(5).exec();
      }
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
  public boolean exists(String projectId) {
    return inspect(projectId).isPresent();
  }

  @Override
  public boolean isRunning(String projectId) {
    return inspect(projectId)
        .map(c -> Boolean.TRUE.equals(c.getState().getRunning()))
        .orElse(false);
  }

  @Override
  public boolean canPause() {
    return true;
  }

  @Override
  public void pause(String projectId) {
    try {
      docker.pauseContainerCmd(containerName(projectId)).exec();
    } catch (ConflictException alreadyPausedOrStopped) {
      // paused by another replica meanwhile, or not running: nothing to freeze
    } catch (NotFoundException e) {
      throw new RuntimeUnavailableException("the workspace container is gone", e);
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "Docker refused to pause the workspace: " + e.getMessage(), e);
    }
  }

  @Override
  public void unpause(String projectId) {
    try {
      docker.unpauseContainerCmd(containerName(projectId)).exec();
    } catch (ConflictException notPaused) {
      // Thawed by another replica meanwhile: fine. Not running at all: the caller must start it.
      if (!isRunning(projectId))
        throw new RuntimeUnavailableException("the workspace container is not running", notPaused);
    } catch (NotFoundException e) {
      throw new RuntimeUnavailableException("the workspace container is gone", e);
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "Docker refused to resume the workspace: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean isPaused(String projectId) {
    return inspect(projectId).map(c -> Boolean.TRUE.equals(c.getState().getPaused())).orElse(false);
  }

  /**
   * One sample of the engine's stats ({@code stream=false}: the engine takes two readings about a
   * second apart, so the CPU of that second comes with it).
   */
  @Override
  public Optional<ResourceUsage> usage(String projectId) {
    var holder = new java.util.concurrent.atomic.AtomicReference<Statistics>();
    var callback =
        new ResultCallback.Adapter<Statistics>() {
          @Override
          public void onNext(Statistics stats) {
            holder.compareAndSet(null, stats);
          }
        };
    try {
      docker.statsCmd(containerName(projectId)).withNoStream(true).exec(callback);
      if (!callback.awaitCompletion(5, TimeUnit.SECONDS)) callback.close();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      log.debug("no stats for the workspace of project {}: {}", projectId, e.toString());
      return Optional.empty();
    }
    Statistics stats = holder.get();
    if (stats == null || stats.getCpuStats() == null || stats.getMemoryStats() == null)
      return Optional.empty();
    return Optional.of(usageOf(stats));
  }

  static ResourceUsage usageOf(Statistics stats) {
    long cpu = cpuNanos(stats.getCpuStats());
    long preCpu = cpuNanos(stats.getPreCpuStats());
    double recent = -1;
    try {
      long wall =
          java.time.Duration.between(
                  java.time.Instant.parse(stats.getPreread()),
                  java.time.Instant.parse(stats.getRead()))
              .toNanos();
      // The first reading has no predecessor (a zero date): its window is meaningless.
      if (preCpu > 0 && wall > 0 && wall < 60_000_000_000L) recent = (cpu - preCpu) / (double) wall;
    } catch (RuntimeException unparsable) {
      // unknown
    }
    var memory = stats.getMemoryStats();
    long used = memory.getUsage() == null ? 0 : memory.getUsage();
    var detail = memory.getStats();
    if (detail != null) {
      // As `docker stats` shows it: page cache can be dropped, so it is not what a pause holds.
      Long cache =
          detail.getTotalInactiveFile() != null
              ? detail.getTotalInactiveFile()
              : detail.getInactiveFile() != null ? detail.getInactiveFile() : detail.getCache();
      if (cache != null && cache < used) used -= cache;
    }
    return new ResourceUsage(used, cpu, recent);
  }

  private static long cpuNanos(com.github.dockerjava.api.model.CpuStatsConfig cpu) {
    if (cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null)
      return 0;
    return cpu.getCpuUsage().getTotalUsage();
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
  public RunningCommand start(
      String projectId, String command, Duration timeout, RunningCommand.OutputListener listener) {
    // Counters of the limits as the last failed command left them, to tell what this one hit.
    LimitCounters known = lastCounters.get(projectId);
    LimitCounters before = known != null ? known : limitCounters(projectId);
    ContainerProcess exec =
        process(
            containerName(projectId), List.of("bash", "-lc", command), timeout, listener::output);
    return new RunningCommand() {
      @Override
      public CommandEnd await(Duration wait) throws InterruptedException {
        boolean finished = exec.await(wait);
        if (!finished && !exec.overdue()) return null;
        if (!finished) exec.kill();
        int exitCode = finished ? exec.exitCode() : -1;
        boolean timedOut = !finished || exec.killedAtTimeout(exitCode);
        boolean cancelled = exec.killed() && !timedOut;
        if (exitCode == 0 || cancelled)
          return new CommandEnd(exitCode, false, cancelled ? "signal" : null, List.of(), cancelled);
        // Something went wrong: tell the user whether a limit of the workspace was the reason.
        LimitCounters now = limitCounters(projectId);
        List<String> reached = new ArrayList<>();
        if (now.oomKills() > before.oomKills()) reached.add("memory");
        if (now.forkRefusals() > before.forkRefusals()) reached.add("processes");
        String killedBy =
            timedOut
                ? "timeout"
                : exitCode == 137
                    ? (reached.contains("memory") ? "out-of-memory" : "signal")
                    : null;
        return new CommandEnd(exitCode, timedOut, killedBy, List.copyOf(reached), false);
      }

      @Override
      public void kill() {
        exec.kill();
      }
    };
  }

  /**
   * Starts {@code argv} in {@code container} through its exec agent, or as an engine exec where
   * there is none.
   */
  private ContainerProcess process(
      String container, List<String> argv, Duration timeout, ContainerProcess.Frames frames) {
    ContainerProcess viaAgent = agents.run(container, argv, timeout, true, frames);
    if (viaAgent != null) return viaAgent;
    return new ContainerExec(
        docker, container, properties.isolation().uid(), argv, timeout, null, frames);
  }

  @Override
  public boolean canExecLines() {
    return true;
  }

  @Override
  public LinesResult execLines(
      String projectId,
      List<String> argv,
      Duration timeout,
      int maxLineBytes,
      java.util.function.Predicate<String> lines) {
    var stderr = new CappedOutput(4096);
    var splitter = new LineSplitter(maxLineBytes, lines);
    var holder = new java.util.concurrent.atomic.AtomicReference<ContainerProcess>();
    ContainerProcess exec =
        process(
            containerName(projectId),
            argv,
            timeout,
            (isStderr, payload) -> {
              if (isStderr) stderr.append(payload, 0, payload.length);
              else if (!splitter.accept(payload) && holder.get() != null) holder.get().detach();
            });
    holder.set(exec);
    if (splitter.stopped()) exec.detach();
    boolean finished = awaitOrKill(exec);
    if (splitter.stopped()) return new LinesResult(-1, false, true, stderr.text());
    splitter.finish();
    int exitCode = finished ? exec.exitCode() : -1;
    // timeout(1) answers 137 for the KILL it sent.
    return new LinesResult(
        exitCode, !finished || exitCode == 137, splitter.stopped(), stderr.text());
  }

  /** Waits for an exec until its timeout (with a margin); one still running then is killed. */
  private static boolean awaitOrKill(ContainerProcess exec) {
    try {
      while (!exec.await(Duration.ofMillis(500))) {
        if (exec.overdue()) {
          exec.kill();
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      exec.kill();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Cuts a byte stream into UTF-8 lines for a consumer that may ask to stop. */
  static final class LineSplitter {
    private final int maxLineBytes;
    private final java.util.function.Predicate<String> lines;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private boolean overlong;
    private volatile boolean stopped;

    LineSplitter(int maxLineBytes, java.util.function.Predicate<String> lines) {
      this.maxLineBytes = maxLineBytes;
      this.lines = lines;
    }

    synchronized boolean accept(byte[] bytes) {
      if (stopped) return false;
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] != '\n') continue;
        append(bytes, start, i - start);
        if (!emit()) return false;
        start = i + 1;
      }
      append(bytes, start, bytes.length - start);
      return true;
    }

    synchronized void finish() {
      if (!stopped && line.size() > 0) emit();
    }

    boolean stopped() {
      return stopped;
    }

    private void append(byte[] bytes, int offset, int length) {
      if (overlong) return;
      if (line.size() + length > maxLineBytes) {
        overlong = true;
        line.reset();
        return;
      }
      line.write(bytes, offset, length);
    }

    private boolean emit() {
      boolean keepGoing =
          overlong || lines.test(line.toString(java.nio.charset.StandardCharsets.UTF_8));
      line.reset();
      overlong = false;
      if (!keepGoing) stopped = true;
      return keepGoing;
    }
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
      var out = new CappedOutput(8192);
      ContainerProcess read =
          process(
              containerName(projectId),
              List.of("sh", "-c", COUNTERS_SCRIPT),
              Duration.ofSeconds(5),
              (isStderr, payload) -> {
                if (!isStderr) out.append(payload, 0, payload.length);
              });
      if (!read.await(Duration.ofSeconds(6)) || !out.text().contains("== ")) {
        read.kill();
        return null;
      }
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
  public TerminalSession createSession(
      String projectId, String id, String title, int cols, int rows) {
    return tmux.create(containerName(projectId), id, title, cols, rows);
  }

  @Override
  public Optional<TerminalSession> createSessionWithin(
      String projectId, String id, int cols, int rows, int maxSessions) {
    return tmux.createWithin(containerName(projectId), id, cols, rows, maxSessions);
  }

  @Override
  public List<TerminalSession> sessions(String projectId) {
    if (!isRunning(projectId)) return List.of();
    return tmux.list(containerName(projectId));
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

  @Override
  public Optional<TerminalProcess> attach(
      String projectId,
      String sessionId,
      int cols,
      int rows,
      int scrollbackLines,
      TerminalListener listener) {
    return tmux.attach(containerName(projectId), sessionId, cols, rows, scrollbackLines, listener);
  }

  @Override
  public StdioProcess spawn(String projectId, List<String> command, long maxPendingInputBytes) {
    try {
      return new StdioExec(
          docker,
          containerName(projectId),
          properties.isolation().uid(),
          command,
          maxPendingInputBytes);
    } catch (DockerException e) {
      throw new RuntimeUnavailableException("Docker refused a process: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean killSession(String projectId, String sessionId) {
    return isRunning(projectId) && tmux.kill(containerName(projectId), sessionId);
  }

  @Override
  public boolean renameSession(String projectId, String sessionId, String title) {
    return isRunning(projectId) && tmux.rename(containerName(projectId), sessionId, title);
  }

  @Override
  public ProcessOutput run(
      String projectId, List<String> argv, byte[] stdin, Duration timeout, int maxOutputBytes) {
    var stdout = new CappedOutput(maxOutputBytes);
    var stderr = new CappedOutput(maxOutputBytes);
    ContainerExec exec =
        new ContainerExec(
            docker,
            containerName(projectId),
            properties.isolation().uid(),
            argv,
            timeout,
            new java.io.ByteArrayInputStream(stdin),
            (isStderr, payload) -> (isStderr ? stderr : stdout).append(payload, 0, payload.length));
    boolean finished = awaitOrKill(exec);
    int exitCode = finished ? exec.exitCode() : -1;
    boolean timedOut = !finished || exitCode == 137;
    return new ProcessOutput(
        exitCode,
        stdout.bytes(),
        stderr.text(),
        timedOut,
        stdout.truncated() || stderr.truncated());
  }
}
