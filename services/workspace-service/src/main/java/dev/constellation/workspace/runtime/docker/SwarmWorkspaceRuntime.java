package dev.constellation.workspace.runtime.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.constellation.workspace.config.OutboundProperties;
import dev.constellation.workspace.config.SwarmProperties;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.NetworkInfo;
import dev.constellation.workspace.runtime.PreviewTarget;
import dev.constellation.workspace.runtime.ProcessOutput;
import dev.constellation.workspace.runtime.ResourceUsage;
import dev.constellation.workspace.runtime.RunningCommand;
import dev.constellation.workspace.runtime.StdioProcess;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.TerminalSession;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces as Docker Swarm services of one replica: a manager's API creates, scales and removes
 * them, and the engine picks the node and moves the task when its node is drained or lost. What
 * happens inside the container (commands, the exec agent, terminals, pause) goes to the engine of
 * the node its task runs on, through a {@link DockerWorkspaceRuntime} per node that is handed the
 * task's container id.
 *
 * <p>Each workspace is alone on an internal overlay network of its own: overlay networks have no
 * "inter-container traffic off", so that is what keeps workspaces from each other, from the
 * services and from anything outside.
 */
public final class SwarmWorkspaceRuntime implements WorkspaceRuntime {
  private static final Logger log = LoggerFactory.getLogger(SwarmWorkspaceRuntime.class);

  private final DockerClient manager;
  private final WorkspaceProperties properties;
  private final OutboundProperties outbound;
  private final SwarmProperties swarm;
  private final String managerNode;

  /** The container id of each project's running task, as last looked up. */
  private final Map<String, String> containers = new ConcurrentHashMap<>();

  /** The runtime on each node's engine, by swarm node id. */
  private final Map<String, DockerWorkspaceRuntime> nodes = new ConcurrentHashMap<>();

  /** Each node's engine reached so far, by swarm node id. */
  private final Map<String, DockerClient> engines = new ConcurrentHashMap<>();

  /** The preview relays of the workspaces' ports. */
  private final PreviewRelays relays;

  /** Where the other nodes' engines are. */
  private final NodeEngineDirectory directory;

  /** When each node's engine found by DNS last answered (System.nanoTime()). */
  private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();

  private static final Duration RECHECK = Duration.ofSeconds(30);

  /** Nodes whose engine was seen to apply no-new-privileges. */
  private final Set<String> checkedNodes = ConcurrentHashMap.newKeySet();

  /** Where the workspace-side details (environment, spec label, directory owner) come from. */
  private final DockerWorkspaceRuntime local;

  SwarmWorkspaceRuntime(
      DockerClient manager,
      WorkspaceProperties properties,
      OutboundProperties outbound,
      SwarmProperties swarm) {
    this.manager = manager;
    this.properties = properties;
    this.outbound = outbound;
    this.swarm = swarm;
    var info = manager.infoCmd().exec().getSwarm();
    this.managerNode = info == null ? null : info.getNodeID();
    if (managerNode == null || managerNode.isBlank())
      throw new IllegalStateException("the Docker engine is not part of a swarm");
    this.local = onEngine(manager);
    this.directory = NodeEngineDirectory.of(swarm.nodeEngines(), SwarmWorkspaceRuntime::nodeIdAt);
    this.relays =
        PreviewRelays.of(
            swarm.previewClients(),
            (projectId, port) -> spawn(projectId, relayCommand(port), 4L << 20));
  }

  /** The swarm node id the engine at {@code host} says it is. */
  private static @Nullable String nodeIdAt(String host) {
    try (DockerClient engine = client(host)) {
      var info = engine.infoCmd().exec().getSwarm();
      return info == null ? null : info.getNodeID();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** A runtime on the swarm manager named by DOCKER_HOST (or the default socket). */
  public static SwarmWorkspaceRuntime connect(
      WorkspaceProperties properties, OutboundProperties outbound, SwarmProperties swarm) {
    DockerClient client = client(null);
    try {
      return new SwarmWorkspaceRuntime(client, properties, outbound, swarm);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "WORKSPACE_RUNTIME=swarm but no swarm manager answers at DOCKER_HOST: " + e.getMessage(),
          e);
    }
  }

  /** A client of {@code host} (null: DOCKER_HOST), with TLS as DOCKER_TLS_VERIFY says. */
  static DockerClient client(@Nullable String host) {
    var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (host != null) builder.withDockerHost(host);
    var config = builder.build();
    var http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(200)
            .connectionTimeout(Duration.ofSeconds(3))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  private DockerWorkspaceRuntime onEngine(DockerClient engine) {
    return new DockerWorkspaceRuntime(
        engine, properties, outbound, EgressFirewall.system(), containers::get);
  }

  @Override
  public String name() {
    return "swarm";
  }

  String serviceName(String projectId) {
    return "constellation-" + properties.installationId() + "-" + projectId;
  }

  String networkName(String projectId) {
    return "constellation-ws-" + properties.installationId() + "-" + projectId;
  }

  // --- placement: the manager ---

  @Override
  public void start(String projectId, Path directory) {
    start(projectId, directory, local.defaultSpec());
  }

  @Override
  public void start(
      String projectId, Path directory, dev.constellation.workspace.runtime.ContainerSpec spec) {
    start(projectId, directory, spec, phase -> {});
  }

  @Override
  public void start(
      String projectId,
      Path directory,
      dev.constellation.workspace.runtime.ContainerSpec spec,
      java.util.function.Consumer<String> phase) {
    try {
      Service service = service(projectId).orElse(null);
      String label = local.specLabel(spec);
      if (service == null) {
        phase.accept("creating");
        local.prepareDirectory(directory);
        ensureNetwork(projectId);
        try {
          manager.createServiceCmd(serviceSpec(projectId, spec, 1)).exec();
          log.info("created workspace service {}", serviceName(projectId));
        } catch (ConflictException raced) {
          // another replica created it first: the name is the lock
        }
      } else {
        int replicas = replicasOf(service);
        boolean sameSpec = label.equals(labels(service).get(DockerWorkspaceRuntime.LABEL_SPEC));
        if (replicas > 0 && sameSpec) {
          Optional<Placement> running = placement(projectId);
          if (running.isPresent()) {
            phase.accept("starting");
            DockerWorkspaceRuntime node = node(running.get());
            if (node.isPaused(projectId)) node.unpause(projectId);
            return;
          }
          // Replicas wanted but no task running (yet): wait for it below.
        } else {
          // Nothing runs (or it runs with old settings): the task has only the bind mount to lose.
          phase.accept(sameSpec ? "starting" : "creating");
          local.prepareDirectory(directory);
          ensureNetwork(projectId);
          manager
              .updateServiceCmd(service.getId(), serviceSpec(projectId, spec, 1))
              .withVersion(service.getVersion().getIndex())
              .exec();
        }
      }
      phase.accept("starting");
      Placement placement = awaitRunning(projectId);
      DockerWorkspaceRuntime node = node(placement);
      containers.put(projectId, placement.containerId());
      checkNoNewPrivileges(projectId, placement, node);
      node.warmAgent(projectId);
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "the swarm refused to start the workspace: " + e.getMessage(), e);
    }
  }

  /**
   * The first workspace on each node shows whether its engine runs with no-new-privileges, which
   * neither its API (docker info) nor a service's spec (API 1.41) can tell or set: a node without
   * it gets no workspace.
   */
  private void checkNoNewPrivileges(
      String projectId, Placement placement, DockerWorkspaceRuntime node) {
    if (!properties.isolation().noNewPrivileges() || checkedNodes.contains(placement.nodeId()))
      return;
    var out =
        node.run(
            projectId,
            List.of("grep", "-c", "^NoNewPrivs:[[:space:]]*1", "/proc/self/status"),
            new byte[0],
            Duration.ofSeconds(10),
            1024);
    if (out.exitCode() == 0) {
      checkedNodes.add(placement.nodeId());
      return;
    }
    stop(projectId);
    throw new RuntimeUnavailableException(
        "the Docker engine of swarm node "
            + placement.nodeId()
            + " does not run with no-new-privileges (\"no-new-privileges\": true in its"
            + " daemon.json), which Swarm-mode workspaces rely on",
        null);
  }

  /** Waits for the service's task to run; a task the engine rejected fails the start at once. */
  private Placement awaitRunning(String projectId) {
    long deadline = System.nanoTime() + swarm.startTimeout().toNanos();
    String lastError = null;
    while (System.nanoTime() < deadline) {
      Optional<Placement> running = placement(projectId);
      if (running.isPresent()) return running.get();
      for (Task task : tasks(projectId)) {
        if (task.getDesiredState() != TaskState.RUNNING || task.getStatus() == null) continue;
        String err = task.getStatus().getErr();
        if (err != null && !err.isBlank()) lastError = err;
        if (task.getStatus().getState() == TaskState.REJECTED
            || task.getStatus().getState() == TaskState.FAILED) {
          throw new RuntimeUnavailableException(
              "the swarm could not run the workspace: " + err, null);
        }
      }
      sleep(200);
    }
    throw new RuntimeUnavailableException(
        "the workspace did not start within "
            + swarm.startTimeout().toSeconds()
            + " s"
            + (lastError == null ? "" : ": " + lastError),
        null);
  }

  /**
   * The service: one replica of the workspace image with the Docker runtime's hardening. The
   * engine's API 1.41 has no no-new-privileges per service: every node's engine runs with {@code
   * "no-new-privileges": true} in its daemon.json instead, which {@link #node} checks.
   */
  ServiceSpec serviceSpec(
      String projectId, dev.constellation.workspace.runtime.ContainerSpec spec, int replicas) {
    var isolation = properties.isolation();
    Map<String, String> labels = labels(projectId, spec);
    List<Mount> mounts = new ArrayList<>();
    mounts.add(
        new Mount()
            .withType(MountType.BIND)
            .withSource(swarm.hostDirectory(properties.root(), projectId).toString())
            .withTarget("/workspace"));
    if (outbound.caCertificates() != null) {
      mounts.add(
          new Mount()
              .withType(MountType.BIND)
              .withSource(outbound.caCertificates().toAbsolutePath().toString())
              .withTarget(OutboundProperties.CA_PATH_IN_WORKSPACE)
              .withReadOnly(true));
    }
    HardenedContainerSpec container = new HardenedContainerSpec();
    if (isolation.readOnlyRootFs()) {
      // Swarm's own tmpfs mounts take a mode that the engine (20.10) ignores and no owner, so the
      // workspace user could not write its home: a tmpfs volume of the local driver instead,
      // with Docker mode's options. Named, so that the tasks of a workspace reuse one per node
      // rather than leave an anonymous one behind each (the engine does not remove those);
      // remove() removes them. Mounted afresh by each container: its content lives as long.
      String tmpfs =
          "rw,nosuid,nodev,size="
              + tmpfsBytes(isolation.tmpfsSize())
              + ",uid="
              + isolation.uid()
              + ",gid="
              + isolation.uid();
      mounts.add(tmpfsVolume(volumeNames(projectId).get(0), "/tmp", tmpfs + ",mode=1777", labels));
      mounts.add(
          tmpfsVolume(
              volumeNames(projectId).get(1), isolation.home(), tmpfs + ",mode=0755", labels));
      container.withReadOnly(true);
    }
    if (isolation.dropAllCapabilities()) container.capabilityDrop = List.of("ALL");
    container
        .withImage(spec.image())
        .withLabels(labels)
        .withUser(isolation.uid() + ":" + isolation.uid())
        .withDir("/workspace")
        .withEnv(local.environment())
        .withCommand(List.of("sleep", "infinity"))
        .withMounts(mounts)
        .withInit(true);
    PidsResourceSpecs limits = new PidsResourceSpecs();
    limits.withMemoryBytes(spec.memoryBytes()).withNanoCPUs((long) (spec.cpus() * 1_000_000_000L));
    limits.pids = properties.limits().pids();
    TaskSpec task =
        new TaskSpec()
            .withContainerSpec(container)
            .withResources(new ResourceRequirements().withLimits(limits))
            .withRestartPolicy(
                new ServiceRestartPolicy()
                    .withCondition(ServiceRestartCondition.ANY)
                    .withDelay(1_000_000_000L))
            .withNetworks(
                List.of(new NetworkAttachmentConfig().withTarget(networkName(projectId))));
    if (!swarm.constraints().isEmpty())
      task.withPlacement(new ServicePlacement().withConstraints(swarm.constraints()));
    return new ServiceSpec()
        .withName(serviceName(projectId))
        .withLabels(labels)
        .withTaskTemplate(task)
        .withMode(
            new ServiceModeConfig()
                .withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
  }

  private Map<String, String> labels(
      String projectId, dev.constellation.workspace.runtime.ContainerSpec spec) {
    return Map.of(
        DockerWorkspaceRuntime.LABEL_PROJECT,
        projectId,
        DockerWorkspaceRuntime.LABEL_MANAGED,
        "true",
        DockerWorkspaceRuntime.LABEL_INSTALLATION,
        properties.installationId(),
        DockerWorkspaceRuntime.LABEL_SPEC,
        local.specLabel(spec));
  }

  /** The names of the workspace's /tmp and home volumes on each node. */
  List<String> volumeNames(String projectId) {
    return List.of(serviceName(projectId) + "-tmp", serviceName(projectId) + "-home");
  }

  private static Mount tmpfsVolume(
      String name, String target, String options, Map<String, String> labels) {
    return new Mount()
        .withType(MountType.VOLUME)
        .withSource(name)
        .withTarget(target)
        .withVolumeOptions(
            new VolumeOptions()
                .withLabels(labels)
                .withDriverConfig(
                    new Driver()
                        .withName("local")
                        .withOptions(Map.of("type", "tmpfs", "device", "tmpfs", "o", options))));
  }

  /** A size in docker's syntax ("512m", "1g", "65536") in bytes. */
  static long tmpfsBytes(String size) {
    var m = java.util.regex.Pattern.compile("(?i)(\\d+)([bkmg]?)").matcher(size.strip());
    if (!m.matches()) throw new IllegalArgumentException("not a size: " + size);
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  /** docker-java's ContainerSpec predates API 1.41's CapabilityDrop. */
  static final class HardenedContainerSpec extends ContainerSpec {
    private static final long serialVersionUID = 1L;

    @JsonProperty("CapabilityDrop")
    @Nullable List<String> capabilityDrop;
  }

  /** docker-java's ResourceSpecs predates API 1.41's Pids limit. */
  static final class PidsResourceSpecs extends ResourceSpecs {
    private static final long serialVersionUID = 1L;

    @JsonProperty("Pids")
    @Nullable Long pids;
  }

  /** The workspace's own network: internal (no gateway, no route out), alone on it. */
  private void ensureNetwork(String projectId) {
    String name = networkName(projectId);
    boolean exists =
        manager.listNetworksCmd().withNameFilter(name).exec().stream()
            .map(Network::getName)
            .anyMatch(name::equals);
    if (exists) return;
    try {
      manager
          .createNetworkCmd()
          .withName(name)
          .withDriver("overlay")
          .withInternal(true)
          .withAttachable(false)
          .withCheckDuplicate(true)
          .withLabels(
              Map.of(
                  DockerWorkspaceRuntime.LABEL_MANAGED,
                  "true",
                  DockerWorkspaceRuntime.LABEL_INSTALLATION,
                  properties.installationId(),
                  DockerWorkspaceRuntime.LABEL_PROJECT,
                  projectId))
          .exec();
    } catch (ConflictException raced) {
      // made meanwhile by another replica
    }
  }

  private Optional<Service> service(String projectId) {
    try {
      return Optional.of(manager.inspectServiceCmd(serviceName(projectId)).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** The image and limits a service was made with (what its spec label was computed from). */
  private dev.constellation.workspace.runtime.ContainerSpec specOf(Service service) {
    var task = service.getSpec().getTaskTemplate();
    var limits = task.getResources() == null ? null : task.getResources().getLimits();
    if (limits == null || limits.getMemoryBytes() == null || limits.getNanoCPUs() == null)
      return local.defaultSpec();
    return new dev.constellation.workspace.runtime.ContainerSpec(
        task.getContainerSpec().getImage(),
        (int) (limits.getMemoryBytes() / (1024 * 1024)),
        limits.getNanoCPUs() / 1_000_000_000.0);
  }

  private static int replicasOf(Service service) {
    var mode = service.getSpec() == null ? null : service.getSpec().getMode();
    if (mode == null || mode.getReplicated() == null) return 0;
    return (int) mode.getReplicated().getReplicas();
  }

  private static Map<String, String> labels(Service service) {
    var spec = service.getSpec();
    return spec == null || spec.getLabels() == null ? Map.of() : spec.getLabels();
  }

  private List<Task> tasks(String projectId) {
    try {
      return manager.listTasksCmd().withServiceFilter(serviceName(projectId)).exec();
    } catch (NotFoundException e) {
      return List.of();
    }
  }

  /** Where a project's task runs: its node and its container there. */
  record Placement(String nodeId, String containerId) {}

  /** The task that runs now (the newest, while the engine replaces one); empty when none does. */
  Optional<Placement> placement(String projectId) {
    return tasks(projectId).stream()
        .filter(t -> t.getDesiredState() == TaskState.RUNNING)
        .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
        .filter(
            t ->
                t.getStatus().getContainerStatus() != null
                    && t.getStatus().getContainerStatus().getContainerID() != null
                    && t.getNodeId() != null)
        .max(Comparator.comparing(t -> String.valueOf(t.getCreatedAt())))
        .map(
            t -> new Placement(t.getNodeId(), t.getStatus().getContainerStatus().getContainerID()));
  }

  /**
   * The runtime on the engine of the node that runs the placement, aimed at its container. An
   * engine found by DNS is pinged when last seen answering more than {@link #RECHECK} ago: the task
   * in front of it may have been replaced, at another address.
   */
  private DockerWorkspaceRuntime node(Placement placement) {
    String nodeId = placement.nodeId();
    DockerWorkspaceRuntime node = nodes.computeIfAbsent(nodeId, this::connectNode);
    Long answered = answeredAt.get(nodeId);
    if (answered == null || System.nanoTime() - answered < RECHECK.toNanos()) return node;
    try {
      engines.get(nodeId).pingCmd().exec();
      answeredAt.put(nodeId, System.nanoTime());
      return node;
    } catch (RuntimeException gone) {
      log.info("the engine of swarm node {} does not answer; looking for it again", nodeId);
      nodes.remove(nodeId);
      engines.remove(nodeId);
      answeredAt.remove(nodeId);
      return nodes.computeIfAbsent(nodeId, this::connectNode);
    }
  }

  private DockerWorkspaceRuntime connectNode(String nodeId) {
    DockerClient engine;
    if (nodeId.equals(managerNode)) {
      engine = manager;
    } else {
      String hostname =
          manager.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec().stream()
              .findFirst()
              .map(n -> n.getDescription() == null ? null : n.getDescription().getHostname())
              .orElse(nodeId);
      String address =
          directory
              .find(nodeId, hostname)
              .orElseThrow(
                  () ->
                      new RuntimeUnavailableException(
                          "the workspace runs on node "
                              + hostname
                              + ", whose Docker API is neither configured nor found"
                              + " (WORKSPACE_SWARM_NODE_ENGINES)",
                          null));
      engine = client(address);
      if (directory.discovers()) answeredAt.put(nodeId, System.nanoTime());
    }
    engines.put(nodeId, engine);
    log.info("reaching the engine of swarm node {}", nodeId);
    return onEngine(engine);
  }

  /** The runtime of the node the project's task runs on, aimed at its container. */
  private DockerWorkspaceRuntime running(String projectId) {
    Placement placement =
        placement(projectId)
            .orElseThrow(
                () -> new RuntimeUnavailableException("the workspace is not running", null));
    DockerWorkspaceRuntime node = node(placement);
    containers.put(projectId, placement.containerId());
    return node;
  }

  /** As {@link #running}, empty when nothing runs. */
  private Optional<DockerWorkspaceRuntime> ifRunning(String projectId) {
    Optional<Placement> placement = placement(projectId);
    if (placement.isEmpty()) return Optional.empty();
    DockerWorkspaceRuntime node = node(placement.get());
    containers.put(projectId, placement.get().containerId());
    return Optional.of(node);
  }

  @Override
  public NetworkInfo network() {
    String warning =
        properties.network().egress()
            ? "egress was asked for (WORKSPACE_EGRESS), but Swarm-mode workspaces have none yet:"
                + " each is alone on an internal overlay network (docs/deployment.md, Swarm)"
            : null;
    return new NetworkInfo(false, "none", warning);
  }

  @Override
  public void stop(String projectId) {
    relays.closeProject(projectId);
    Service service = service(projectId).orElse(null);
    if (service == null || replicasOf(service) == 0) return;
    // A frozen container cannot take the stop signal.
    ifRunning(projectId).filter(n -> n.isPaused(projectId)).ifPresent(n -> n.unpause(projectId));
    try {
      // Written anew rather than the inspected spec sent back: docker-java's model drops the
      // CapabilityDrop and Pids it does not know, and the service would keep them no more.
      ServiceSpec spec = serviceSpec(projectId, specOf(service), 0);
      manager
          .updateServiceCmd(service.getId(), spec)
          .withVersion(service.getVersion().getIndex())
          .exec();
    } catch (NotFoundException gone) {
      return;
    } catch (DockerException e) {
      throw new RuntimeUnavailableException(
          "the swarm refused to stop the workspace: " + e.getMessage(), e);
    }
    // Callers (the idle reaper, a settings change) expect it stopped on return, as in Docker mode.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && placement(projectId).isPresent()) sleep(200);
    containers.remove(projectId);
  }

  @Override
  public void remove(String projectId) {
    relays.closeProject(projectId);
    try {
      manager.removeServiceCmd(serviceName(projectId)).exec();
    } catch (NotFoundException gone) {
      // idempotent
    }
    containers.remove(projectId);
    // The network and the volumes are in use until the task's container is gone.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    removeWhenFree(() -> manager.removeNetworkCmd(networkName(projectId)).exec(), deadline);
    Set<DockerClient> reached = new java.util.HashSet<>(engines.values());
    reached.add(manager);
    // Only nodes this replica has reached: volumes elsewhere (a few bytes of metadata each, their
    // tmpfs is gone with the container) carry the workspace's labels for an orphan sweep.
    for (DockerClient engine : reached) {
      for (String volume : volumeNames(projectId))
        removeWhenFree(() -> engine.removeVolumeCmd(volume).exec(), deadline);
    }
  }

  private static void removeWhenFree(Runnable removal, long deadline) {
    while (true) {
      try {
        removal.run();
        return;
      } catch (NotFoundException gone) {
        return;
      } catch (DockerException inUse) {
        if (System.nanoTime() > deadline) {
          log.warn("could not remove a workspace's network or volume: {}", inUse.getMessage());
          return;
        }
        sleep(500);
      }
    }
  }

  @Override
  public boolean exists(String projectId) {
    return service(projectId).isPresent();
  }

  @Override
  public boolean isRunning(String projectId) {
    return placement(projectId).isPresent();
  }

  @Override
  public Map<String, Boolean> managedWorkspaces() {
    Map<String, Boolean> result = new HashMap<>();
    for (Service s :
        manager
            .listServicesCmd()
            .withLabelFilter(
                Map.of(
                    DockerWorkspaceRuntime.LABEL_MANAGED,
                    "true",
                    DockerWorkspaceRuntime.LABEL_INSTALLATION,
                    properties.installationId()))
            .exec()) {
      String projectId = labels(s).get(DockerWorkspaceRuntime.LABEL_PROJECT);
      if (projectId != null) result.put(projectId, replicasOf(s) > 0);
    }
    return result;
  }

  // --- inside the container: the engine of its node ---

  @Override
  public boolean canPause() {
    return true;
  }

  @Override
  public void pause(String projectId) {
    running(projectId).pause(projectId);
  }

  @Override
  public void unpause(String projectId) {
    running(projectId).unpause(projectId);
  }

  @Override
  public boolean isPaused(String projectId) {
    return ifRunning(projectId).map(n -> n.isPaused(projectId)).orElse(false);
  }

  @Override
  public Optional<ResourceUsage> usage(String projectId) {
    return ifRunning(projectId).flatMap(n -> n.usage(projectId));
  }

  @Override
  public RunningCommand start(
      String projectId, String command, Duration timeout, RunningCommand.OutputListener listener) {
    return running(projectId).start(projectId, command, timeout, listener);
  }

  @Override
  public ProcessOutput run(
      String projectId, List<String> argv, byte[] stdin, Duration timeout, int maxOutputBytes) {
    return running(projectId).run(projectId, argv, stdin, timeout, maxOutputBytes);
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
    return running(projectId).execLines(projectId, argv, timeout, maxLineBytes, lines);
  }

  @Override
  public TerminalSession createSession(
      String projectId, String id, String title, int cols, int rows) {
    return running(projectId).createSession(projectId, id, title, cols, rows);
  }

  @Override
  public Optional<TerminalSession> createSessionWithin(
      String projectId, String id, int cols, int rows, int maxSessions) {
    return running(projectId).createSessionWithin(projectId, id, cols, rows, maxSessions);
  }

  @Override
  public List<TerminalSession> sessions(String projectId) {
    return ifRunning(projectId).map(n -> n.sessions(projectId)).orElse(List.of());
  }

  @Override
  public Optional<TerminalProcess> attach(
      String projectId,
      String sessionId,
      int cols,
      int rows,
      int scrollbackLines,
      TerminalListener listener) {
    return ifRunning(projectId)
        .flatMap(n -> n.attach(projectId, sessionId, cols, rows, scrollbackLines, listener));
  }

  @Override
  public StdioProcess spawn(String projectId, List<String> command, long maxPendingInputBytes) {
    return running(projectId).spawn(projectId, command, maxPendingInputBytes);
  }

  @Override
  public boolean killSession(String projectId, String sessionId) {
    return ifRunning(projectId).map(n -> n.killSession(projectId, sessionId)).orElse(false);
  }

  @Override
  public boolean renameSession(String projectId, String sessionId, String title) {
    return ifRunning(projectId)
        .map(n -> n.renameSession(projectId, sessionId, title))
        .orElse(false);
  }

  @Override
  public Set<Integer> listeningPorts(String projectId) {
    return ifRunning(projectId).map(n -> n.listeningPorts(projectId)).orElse(Set.of());
  }

  /**
   * None: the workspace is alone on its internal network, which this service does not join; its
   * ports are reached through {@link #previewTarget}'s relays instead.
   */
  @Override
  public Optional<String> address(String projectId) {
    return Optional.empty();
  }

  /**
   * A relay of this service's (at WORKSPACE_SWARM_PREVIEW_HOST) that carries each connection to the
   * port through a process in the workspace; empty when previews are off or nothing runs.
   */
  @Override
  public Optional<PreviewTarget> previewTarget(String projectId, int port) {
    String host = swarm.previewHost();
    if (host == null || host.isBlank() || placement(projectId).isEmpty()) return Optional.empty();
    return Optional.of(new PreviewTarget(host, port, relays.portFor(projectId, port)));
  }

  /**
   * One connection to {@code port} on the workspace's loopback, its bytes on standard input and
   * output; python3 is in the workspace image (the exec agent is python3 too).
   */
  static List<String> relayCommand(int port) {
    String script =
        String.join(
            "\n",
            "import socket, sys, threading",
            "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))",
            "def up():",
            "    while True:",
            "        d = sys.stdin.buffer.read1(65536)",
            "        if not d: break",
            "        s.sendall(d)",
            "    s.shutdown(socket.SHUT_WR)",
            "threading.Thread(target=up, daemon=True).start()",
            "while True:",
            "    d = s.recv(65536)",
            "    if not d: break",
            "    sys.stdout.buffer.write(d)",
            "    sys.stdout.buffer.flush()");
    return List.of("python3", "-c", script, String.valueOf(port));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted", e);
    }
  }
}
