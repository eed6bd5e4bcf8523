import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands between workspace-service and the Docker API (in compose: in front of the
 * docker-socket-proxy, which only allowlists API sections and cannot read request bodies), so
 * that a compromised workspace-service still cannot take the host:
 * <ul>
 *   <li>{@code POST /containers/create} is refused when it asks for privileged mode, added
 *       capabilities, host (or another container's) namespaces, devices, volumes from other
 *       containers, unconfined security options, another runtime, bind mounts outside the
 *       allowed roots, a named volume (it could be a database's), a network not labelled
 *       {@code dev.constellation.managed} (but the default bridge and none), or lacks that
 *       label itself;</li>
 *   <li>every other call about one container (exec, attach, archive, start, stop, remove…) or one
 *       exec is allowed only for containers with that label, so a workspace-service cannot exec
 *       into the gateway, the database or the proxy itself;</li>
 *   <li>{@code POST /containers/{id}/exec} is refused with {@code Privileged};</li>
 *   <li>Swarm (what SwarmWorkspaceRuntime calls on a manager): {@code POST /services/create} and
 *       {@code POST /services/{id}/update} pass only a spec made of the fields SwarmWorkspaceRuntime
 *       sends (any other field is refused for being there: CapabilityAdd, Sysctls, Groups, Secrets,
 *       Configs, PluginSpec, NetworkAttachmentSpec, LogDriver, a Global or job Mode, the spec's
 *       own Networks…), labelled {@code dev.constellation.managed} on the service and its
 *       ContainerSpec, named {@code constellation-…}, task runtime {@code container}, no published
 *       ports, no Privileges but the default seccomp/AppArmor profile and no-new-privileges, no
 *       isolation mode, only our labelled overlay networks, bind mounts as for containers, and
 *       volumes only as the {@code local} driver's tmpfs named {@code <service>-tmp} or
 *       {@code -home} (a {@code local} volume with {@code o=bind,device=/…} is a host bind in
 *       disguise); {@code GET}, {@code DELETE} and update of one service only for services with
 *       the label (one that does not exist is answered 404); {@code GET /services},
 *       {@code GET /tasks}, {@code GET /nodes} and one task or node: read-only and not filtered
 *       (they show other services' specs, so no secret belongs in an environment variable);
 *       anything else on nodes and tasks, and {@code /swarm} (init, join, leave, update, unlock,
 *       the join tokens), {@code /secrets}, {@code /configs}, {@code /plugins}, {@code /build},
 *       {@code /session}: refused;</li>
 *   <li>volumes: read, and removed only when labelled; never created directly (a {@code local}
 *       volume can be a bind of any host path) nor pruned;</li>
 *   <li>{@code POST /networks/create} passes DockerWorkspaceRuntime's bridge (labelled, its
 *       options only, a {@code cw…} bridge of its own) and SwarmWorkspaceRuntime's overlay
 *       (labelled, named {@code constellation-ws-…}, internal, not attachable); never ingress,
 *       config-only or config-from, another driver, an IPAM of its own. Networks are removed,
 *       connected and disconnected only when labelled.</li>
 * </ul>
 * Nothing else passes: only the calls workspace-service makes ({@link #API_USED}; no images, builds,
 * events, system, attach or archive), so a filter that reads a socket itself, as docker-node-filter
 * does in Swarm, needs no socket proxy behind it to allowlist the API's sections.
 * One request per upstream connection ({@code Connection: close}), so nothing the client
 * pipelines behind an inspected request reaches the daemon uninspected; upgraded (hijacked)
 * streams of exec and attach are relayed raw after their request was checked.
 *
 * <p>A single file on purpose: {@code java DockerApiFilter.java} runs it, the image compiles it,
 * no dependencies. Settings come from the environment:
 * {@code DOCKER_FILTER_LISTEN} (host:port, default 0.0.0.0:2375), {@code DOCKER_FILTER_UPSTREAM}
 * ({@code tcp://host:port} or {@code unix:///var/run/docker.sock}), {@code DOCKER_FILTER_BIND_ROOTS}
 * (colon-separated host directories bind mounts may come from, e.g. WORKSPACES_HOST_ROOT),
 * {@code DOCKER_FILTER_READONLY_FILES} (colon-separated host files that may be bind-mounted
 * read-only, and only read-only: WORKSPACE_CA_CERTIFICATES).
 */
public final class DockerApiFilter {
  static final String MANAGED_LABEL = "dev.constellation.managed";
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_INSPECTED_BODY = 1024 * 1024;
  private static final Pattern VERSION = Pattern.compile("^/v\\d+(\\.\\d+)?(?=/)");
  private static final Pattern CONTAINER_PATH = Pattern.compile("^/containers/([^/?]+)(/[^?]*)?");
  private static final Pattern PROJECT_DIRECTORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern EXEC_PATH = Pattern.compile("^/exec/([^/?]+)(/[^?]*)?");
  private static final Pattern SERVICE_PATH = Pattern.compile("^/services/([^/?]+)(/[^?]*)?");
  private static final Pattern NETWORK_PATH = Pattern.compile("^/networks/([^/?]+)(/[^?]*)?");
  /**
   * Every call workspace-service makes (DockerWorkspaceRuntime, SwarmWorkspaceRuntime), as "METHOD
   * path" without the version prefix; anything else is refused before the checks below. In compose
   * the socket proxy behind the filter allowlists API sections as well; docker-node-filter in Swarm
   * reads its node's socket itself, so there this list is the whole allowlist.
   */
  private static final List<Pattern> API_USED = java.util.stream.Stream.of(
          "(GET|HEAD) /_ping", "GET /version", "GET /info",
          "GET /containers/json", "POST /containers/create",
          "GET /containers/[^/]+/(json|stats)",
          "POST /containers/[^/]+/(start|stop|pause|unpause|exec)", "DELETE /containers/[^/]+",
          "POST /exec/[^/]+/(start|resize)", "GET /exec/[^/]+/json",
          "GET /networks", "GET /networks/[^/]+", "POST /networks/create", "DELETE /networks/[^/]+",
          "POST /networks/[^/]+/(connect|disconnect)",
          "GET /volumes", "GET /volumes/[^/]+", "DELETE /volumes/[^/]+",
          "GET /services", "POST /services/create", "GET /services/[^/]+", "DELETE /services/[^/]+",
          "POST /services/[^/]+/update",
          "GET /tasks", "GET /tasks/[^/]+", "GET /nodes", "GET /nodes/[^/]+")
      .map(Pattern::compile)
      .toList();
  /** SwarmWorkspaceRuntime's service names: constellation-<installation>-<project>. */
  private static final Pattern SERVICE_NAME = Pattern.compile("constellation-[A-Za-z0-9][A-Za-z0-9-]{0,62}");
  /** The tmpfs mount options SwarmWorkspaceRuntime gives its /tmp and home volumes. */
  private static final Pattern TMPFS_OPTION = Pattern.compile("rw|ro|nosuid|nodev|noexec|(size|uid|gid|mode|nr_inodes)=[0-9]+[kmgKMG]?");
  /** Bridge names of DockerWorkspaceRuntime's networks (EgressFirewall.bridgeName): never docker0 or another's. */
  private static final Pattern BRIDGE_NAME = Pattern.compile("cw[A-Za-z0-9]{1,13}");
  private static final String NETWORK_PREFIX = "constellation-ws-";
  private static final Set<String> SERVICE_KEYS = Set.of("Name", "Labels", "TaskTemplate", "Mode", "UpdateConfig",
      "RollbackConfig", "EndpointSpec", "Networks");
  private static final Set<String> TASK_KEYS = Set.of("ContainerSpec", "Resources", "RestartPolicy", "Placement",
      "Networks", "ForceUpdate", "Runtime");
  private static final Set<String> CONTAINER_SPEC_KEYS = Set.of("Image", "Labels", "Command", "Args", "Hostname",
      "Env", "Dir", "User", "TTY", "OpenStdin", "ReadOnly", "Mounts", "StopSignal", "StopGracePeriod",
      "HealthCheck", "Hosts", "DNSConfig", "Init", "CapabilityDrop", "Privileges", "Isolation");
  private static final Set<String> MOUNT_KEYS = Set.of("Type", "Source", "Target", "ReadOnly", "Consistency",
      "VolumeOptions", "TmpfsOptions");
  private static final Set<String> NETWORK_KEYS = Set.of("Name", "CheckDuplicate", "Driver", "Scope", "EnableIPv6",
      "IPAM", "Internal", "Attachable", "Ingress", "ConfigOnly", "ConfigFrom", "Options", "Labels");
  /** What DockerWorkspaceRuntime's bridge network is made with (ICC off, its own bridge, no IPv4 gateway). */
  private static final Set<String> BRIDGE_OPTIONS = Set.of("com.docker.network.bridge.enable_icc",
      "com.docker.network.bridge.name", "com.docker.network.bridge.inhibit_ipv4");

  private final String upstream;
  private final List<Path> bindRoots;
  private final List<Path> readOnlyFiles;

  DockerApiFilter(String upstream, List<Path> bindRoots) {
    this(upstream, bindRoots, List.of());
  }

  DockerApiFilter(String upstream, List<Path> bindRoots, List<Path> readOnlyFiles) {
    this.upstream = upstream;
    this.bindRoots = bindRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.readOnlyFiles = readOnlyFiles.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public static void main(String[] args) throws IOException {
    String listen = env("DOCKER_FILTER_LISTEN", "0.0.0.0:2375");
    String upstream = env("DOCKER_FILTER_UPSTREAM", "unix:///var/run/docker.sock");
    List<Path> roots = new ArrayList<>();
    for (String root : env("DOCKER_FILTER_BIND_ROOTS", "").split(":")) {
      if (!root.isBlank()) roots.add(Path.of(root));
    }
    List<Path> files = new ArrayList<>();
    for (String file : env("DOCKER_FILTER_READONLY_FILES", "").split(":")) {
      if (!file.isBlank()) files.add(Path.of(file));
    }
    DockerApiFilter filter = new DockerApiFilter(upstream, roots, files);
    int colon = listen.lastIndexOf(':');
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))));
    System.out.println("docker-api-filter listening on " + listen + ", upstream " + upstream + ", bind roots " + filter.bindRoots);
    while (true) {
      Socket client = server.accept();
      daemon(() -> filter.serve(client));
    }
  }

  // --- The rules --------------------------------------------------------------------------------

  /** Why {@code POST /containers/create} with this body must not pass, or null when it may. */
  String createRefusal(Map<String, Object> body) throws IOException {
    if (!(body.get("Labels") instanceof Map<?, ?> labels) || !"true".equals(labels.get(MANAGED_LABEL))) {
      return "containers must carry the label " + MANAGED_LABEL + "=true";
    }
    Map<?, ?> host = body.get("HostConfig") instanceof Map<?, ?> h ? h : Map.of();
    if (Boolean.TRUE.equals(host.get("Privileged"))) return "privileged containers are not allowed";
    if (nonEmpty(host.get("CapAdd"))) return "adding capabilities is not allowed";
    for (String key : List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode")) {
      String mode = host.get(key) instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
      if (mode.equals("host") || mode.startsWith("container:")) return key + " " + mode + " is not allowed";
    }
    // Any other network must be ours: not the database's, not the proxy's.
    String network = host.get("NetworkMode") instanceof String mode ? mode : "";
    List<String> networks = new ArrayList<>(List.of(network));
    if (body.get("NetworkingConfig") instanceof Map<?, ?> networking && networking.get("EndpointsConfig") instanceof Map<?, ?> endpoints) {
      for (Object name : endpoints.keySet()) networks.add(String.valueOf(name));
    }
    for (String name : networks) {
      if (List.of("", "default", "bridge", "none").contains(name)) continue;
      String refusal = managedNetwork(name, false);
      if (refusal != null) return refusal;
    }
    for (String key : List.of("Devices", "DeviceRequests", "DeviceCgroupRules", "VolumesFrom", "Links")) {
      if (nonEmpty(host.get(key))) return key + " is not allowed";
    }
    if (host.get("Runtime") instanceof String runtime && !runtime.isEmpty() && !runtime.equals("runc")) {
      return "runtime " + runtime + " is not allowed";
    }
    if (host.get("SecurityOpt") instanceof List<?> options) {
      for (Object o : options) {
        String option = String.valueOf(o).toLowerCase(Locale.ROOT).replace('=', ':');
        if (option.contains("unconfined") || option.startsWith("label:disable") || option.startsWith("systempaths")) {
          return "security option " + o + " is not allowed";
        }
      }
    }
    if (host.get("Binds") instanceof List<?> binds) {
      for (Object b : binds) {
        String[] parts = String.valueOf(b).split(":");
        String source = parts[0];
        boolean readOnly = parts.length >= 3 && List.of(parts[2].split(",")).contains("ro");
        // "name:/path" mounts the named volume, which may be another service's (a database's).
        if (!source.startsWith("/")) return "named volume " + source + " is not allowed";
        if (!allowedBindSource(source) && !(readOnly && allowedReadOnlyFile(source)))
          return "bind mount of " + source + " is not allowed";
      }
    }
    if (host.get("Mounts") instanceof List<?> mounts) {
      for (Object m : mounts) {
        Map<?, ?> mount = m instanceof Map<?, ?> map ? map : Map.of();
        String type = String.valueOf(mount.get("Type"));
        if (type.equals("bind")) {
          String source = String.valueOf(mount.get("Source"));
          if (!allowedBindSource(source) && !(Boolean.TRUE.equals(mount.get("ReadOnly")) && allowedReadOnlyFile(source)))
            return "bind mount of " + mount.get("Source") + " is not allowed";
        } else if (type.equals("volume")) {
          if (mount.get("VolumeOptions") instanceof Map<?, ?> options && options.get("DriverConfig") != null) {
            return "volumes with driver options are not allowed";
          }
          if (nonEmpty(mount.get("Source"))) return "named volume " + mount.get("Source") + " is not allowed";
        } else if (!type.equals("tmpfs")) {
          return "mounts of type " + type + " are not allowed";
        }
      }
    }
    return null;
  }

  /** Why an exec with this body must not be created, or null. */
  static String execRefusal(Map<String, Object> body) {
    return Boolean.TRUE.equals(body.get("Privileged")) ? "privileged execs are not allowed" : null;
  }

  /**
   * Why {@code POST /services/create} or {@code POST /services/{id}/update} with this spec must not
   * pass, or null. Only what SwarmWorkspaceRuntime's serviceSpec sends is allowed, key by key: any
   * other field (CapabilityAdd, Sysctls, Secrets, Configs, Groups, PluginSpec,
   * NetworkAttachmentSpec, LogDriver, a Global or job Mode…) is refused for being there.
   */
  String serviceRefusal(Map<String, Object> spec) throws IOException {
    String unknown = unknownKey(spec, SERVICE_KEYS, "the service spec");
    if (unknown != null) return unknown;
    if (!labelled(spec)) return "services must carry the label " + MANAGED_LABEL + "=true";
    String name = spec.get("Name") instanceof String n ? n : "";
    if (!SERVICE_NAME.matcher(name).matches()) return "service names must be constellation-<installation>-<project>";
    if (nonEmpty(spec.get("Networks"))) return "the service spec's own Networks are not allowed (TaskTemplate.Networks)";
    if (spec.get("Mode") instanceof Map<?, ?> mode) {
      // docker-java also sends "mode": "REPLICATED", which the daemon ignores (no such field).
      unknown = unknownKey(mode, Set.of("Replicated", "Mode"), "Mode");
      if (unknown == null && mode.get("Mode") != null && !"REPLICATED".equals(mode.get("Mode"))) unknown = "Mode " + mode.get("Mode") + " is not allowed";
      if (unknown != null) return unknown;
      if (mode.get("Replicated") instanceof Map<?, ?> replicated
          && (unknown = unknownKey(replicated, Set.of("Replicas"), "Mode.Replicated")) != null) return unknown;
    }
    if (spec.get("EndpointSpec") instanceof Map<?, ?> endpoint) {
      if (nonEmpty(endpoint.get("Ports"))) return "published ports (EndpointSpec.Ports) are not allowed";
      unknown = unknownKey(endpoint, Set.of("Mode", "Ports"), "EndpointSpec");
      if (unknown != null) return unknown;
    }
    if (!(spec.get("TaskTemplate") instanceof Map<?, ?> task)) return "a service needs a TaskTemplate";
    if (task.get("Runtime") instanceof String runtime && !runtime.isEmpty() && !runtime.equals("container")) {
      return "task runtime " + runtime + " is not allowed (plugin runtimes run as root on the node)";
    }
    unknown = unknownKey(task, TASK_KEYS, "TaskTemplate");
    if (unknown != null) return unknown;
    if (task.get("Resources") instanceof Map<?, ?> resources) {
      unknown = unknownKey(resources, Set.of("Limits", "Reservations"), "TaskTemplate.Resources");
      if (unknown == null && resources.get("Limits") instanceof Map<?, ?> limits)
        unknown = unknownKey(limits, Set.of("NanoCPUs", "MemoryBytes", "Pids"), "Resources.Limits");
      if (unknown == null && resources.get("Reservations") instanceof Map<?, ?> reservations)
        unknown = unknownKey(reservations, Set.of("NanoCPUs", "MemoryBytes"), "Resources.Reservations");
      if (unknown != null) return unknown;
    }
    if (task.get("Networks") instanceof List<?> networks) {
      for (Object n : networks) {
        Map<?, ?> attachment = n instanceof Map<?, ?> m ? m : Map.of();
        unknown = unknownKey(attachment, Set.of("Target", "Aliases"), "TaskTemplate.Networks");
        if (unknown != null) return unknown;
        String target = attachment.get("Target") instanceof String t ? t : "";
        if (List.of("host", "ingress", "bridge", "none", "docker_gwbridge").contains(target.toLowerCase(Locale.ROOT))) {
          return "the network " + target + " is not allowed";
        }
        String refusal = managedNetwork(target, true);
        if (refusal != null) return refusal;
      }
    }
    if (!(task.get("ContainerSpec") instanceof Map<?, ?> container)) return "a service needs a TaskTemplate.ContainerSpec";
    return containerSpecRefusal(container, name);
  }

  private String containerSpecRefusal(Map<?, ?> container, String serviceName) {
    String unknown = unknownKey(container, CONTAINER_SPEC_KEYS, "ContainerSpec");
    if (unknown != null) return unknown;
    if (!labelled(container)) return "a service's ContainerSpec must carry the label " + MANAGED_LABEL + "=true";
    if (container.get("Isolation") instanceof String isolation && !isolation.isEmpty() && !isolation.equals("default")) {
      return "isolation " + isolation + " is not allowed";
    }
    if (container.get("Privileges") instanceof Map<?, ?> privileges) {
      unknown = unknownKey(privileges, Set.of("NoNewPrivileges", "Seccomp", "AppArmor"), "ContainerSpec.Privileges");
      if (unknown != null) return unknown;
      for (String key : List.of("Seccomp", "AppArmor")) {
        if (privileges.get(key) instanceof Map<?, ?> profile
            && (profile.keySet().stream().anyMatch(k -> !"Mode".equals(k) && profile.get(k) != null)
                || !"default".equals(profile.get("Mode")))) {
          return "Privileges." + key + " other than the default profile is not allowed";
        }
      }
    }
    if (container.get("Mounts") instanceof List<?> mounts) {
      for (Object m : mounts) {
        Map<?, ?> mount = m instanceof Map<?, ?> map ? map : Map.of();
        unknown = unknownKey(mount, MOUNT_KEYS, "a mount");
        if (unknown != null) return unknown;
        String type = String.valueOf(mount.get("Type"));
        String source = mount.get("Source") instanceof String s ? s : null;
        if (type.equals("bind")) {
          if (!allowedBindSource(source) && !(Boolean.TRUE.equals(mount.get("ReadOnly")) && allowedReadOnlyFile(source)))
            return "bind mount of " + source + " is not allowed";
        } else if (type.equals("volume")) {
          String refusal = tmpfsVolumeRefusal(mount, source, serviceName);
          if (refusal != null) return refusal;
        } else if (!type.equals("tmpfs")) {
          return "mounts of type " + type + " are not allowed";
        }
      }
    }
    return null;
  }

  /**
   * A volume mount must be what SwarmWorkspaceRuntime makes /tmp and home of: named after its
   * service ({@code <service>-tmp}, {@code <service>-home}), so that no existing volume (a
   * database's) is reused, of the {@code local} driver with {@code type=tmpfs} and tmpfs options
   * only. A {@code local} volume with {@code o=bind,device=/…} is a host bind in disguise.
   */
  private static String tmpfsVolumeRefusal(Map<?, ?> mount, String source, String serviceName) {
    if (source == null || !(source.equals(serviceName + "-tmp") || source.equals(serviceName + "-home"))) {
      return "volume " + source + " is not allowed (only <service>-tmp and <service>-home)";
    }
    Map<?, ?> options = mount.get("VolumeOptions") instanceof Map<?, ?> o ? o : Map.of();
    String unknown = unknownKey(options, Set.of("NoCopy", "Labels", "DriverConfig"), "VolumeOptions");
    if (unknown != null) return unknown;
    Map<?, ?> driver = options.get("DriverConfig") instanceof Map<?, ?> d ? d : Map.of();
    Map<?, ?> driverOptions = driver.get("Options") instanceof Map<?, ?> o ? o : Map.of();
    if (!"local".equals(driver.get("Name")) || unknownKey(driver, Set.of("Name", "Options"), "") != null) {
      return "volumes must be of the local driver with type=tmpfs";
    }
    // Option names are the local driver's, case-sensitive: type, device, o and nothing else.
    for (Object key : driverOptions.keySet()) {
      if (!List.of("type", "device", "o").contains(String.valueOf(key).toLowerCase(Locale.ROOT)))
        return "volume option " + key + " is not allowed";
    }
    if (!"tmpfs".equals(option(driverOptions, "type"))) return "volumes must be of the local driver with type=tmpfs";
    Object device = option(driverOptions, "device");
    if (device != null && !"tmpfs".equals(device)) return "volume device " + device + " is not allowed";
    Object o = option(driverOptions, "o");
    for (String item : (o == null ? "" : String.valueOf(o)).split(",")) {
      if (!item.isEmpty() && !TMPFS_OPTION.matcher(item).matches()) return "volume option o=" + item + " is not allowed";
    }
    return null;
  }

  /**
   * Why {@code POST /networks/create} must not pass, or null: DockerWorkspaceRuntime's bridge
   * (ICC off, a {@code cw…} bridge of its own) or SwarmWorkspaceRuntime's overlay (named {@code
   * constellation-ws-…}, internal, not attachable), labelled; never ingress, config-only or
   * config-from, another driver (macvlan, ipvlan, a plugin) or an IPAM of its own.
   */
  String networkRefusal(Map<String, Object> body) {
    String unknown = unknownKey(body, NETWORK_KEYS, "the network");
    if (unknown != null) return unknown;
    if (!labelled(body)) return "networks must carry the label " + MANAGED_LABEL + "=true";
    for (String key : List.of("Ingress", "ConfigOnly")) {
      if (Boolean.TRUE.equals(body.get(key))) return key + " networks are not allowed";
    }
    if (nonEmpty(body.get("ConfigFrom"))) return "ConfigFrom is not allowed";
    if (body.get("IPAM") instanceof Map<?, ?> ipam
        && (nonEmpty(ipam.get("Config")) || nonEmpty(ipam.get("Options"))
            || !(ipam.get("Driver") == null || List.of("", "default").contains(ipam.get("Driver"))))) {
      return "an IPAM configuration is not allowed";
    }
    String driver = body.get("Driver") instanceof String d ? d : "";
    Map<?, ?> options = body.get("Options") instanceof Map<?, ?> o ? o : Map.of();
    if (driver.isEmpty() || driver.equals("bridge")) {
      for (Map.Entry<?, ?> option : options.entrySet()) {
        if (!BRIDGE_OPTIONS.contains(String.valueOf(option.getKey()))) return "network option " + option.getKey() + " is not allowed";
      }
      Object bridge = options.get("com.docker.network.bridge.name");
      if (bridge != null && !BRIDGE_NAME.matcher(String.valueOf(bridge)).matches()) return "bridge name " + bridge + " is not allowed";
      return null;
    }
    if (!driver.equals("overlay")) return "network driver " + driver + " is not allowed";
    String name = body.get("Name") instanceof String n ? n : "";
    if (!name.startsWith(NETWORK_PREFIX)) return "overlay networks must be named " + NETWORK_PREFIX + "…";
    if (!Boolean.TRUE.equals(body.get("Internal"))) return "overlay networks must be internal";
    if (Boolean.TRUE.equals(body.get("Attachable"))) return "attachable overlay networks are not allowed";
    if (!options.isEmpty()) return "overlay network options are not allowed";
    return null;
  }

  /**
   * Why this call on the Swarm, volume and network API must not pass, or null. {@link #API_USED}
   * has already refused every other method and path (the swarm itself, secrets, configs, plugins,
   * node changes, volume creation): what is left here are the bodies and the labels.
   */
  String swarmRefusal(String method, String path, byte[] body) throws IOException {
    if (method.equals("POST") && path.equals("/services/create")) return serviceRefusal(asObject(body));
    if (method.equals("POST") && path.equals("/networks/create")) return networkRefusal(asObject(body));
    Matcher service = SERVICE_PATH.matcher(path);
    if (service.matches()) {
      // One service, read, removed or updated: only ours, and an update as strictly as a create.
      String refusal = managed("/services/" + service.group(1), "Spec", "service");
      return refusal == null && method.equals("POST") ? serviceRefusal(asObject(body)) : refusal;
    }
    if (method.equals("GET")) return null;
    Matcher network = NETWORK_PATH.matcher(path);
    if (network.matches()) return managedNetwork(network.group(1), false);
    if (path.startsWith("/volumes/")) return managed(path, null, "volume");
    return null;
  }

  /** The label check of a spec or body: labels are case-sensitive to the daemon. */
  private static boolean labelled(Map<?, ?> object) {
    return object.get("Labels") instanceof Map<?, ?> labels && "true".equals(labels.get(MANAGED_LABEL));
  }

  /** The first key with a value that is not in allowed, as a refusal; null when there is none. */
  private static String unknownKey(Map<?, ?> object, Set<String> allowed, String where) {
    for (Map.Entry<?, ?> e : object.entrySet()) {
      if (e.getValue() != null && !allowed.contains(String.valueOf(e.getKey()))) return e.getKey() + " in " + where + " is not allowed";
    }
    return null;
  }

  /** A driver option, whose name the JSON reader may have capitalized (Type). */
  private static Object option(Map<?, ?> options, String name) {
    for (Map.Entry<?, ?> e : options.entrySet()) if (name.equalsIgnoreCase(String.valueOf(e.getKey()))) return e.getValue();
    return null;
  }

  /**
   * A bind source must be a project directory: a direct child of an allowed root with a project
   * id's name. Deeper paths are refused because the daemon follows symbolic links in the source,
   * and a workspace can plant links inside its own project directory.
   */
  boolean allowedBindSource(String source) {
    if (source == null || !source.startsWith("/") || source.contains("/../") || source.endsWith("/..")) return false;
    Path path = Path.of(source).normalize();
    Path parent = path.getParent();
    return parent != null && bindRoots.contains(parent)
        && PROJECT_DIRECTORY.matcher(path.getFileName().toString()).matches();
  }

  /** One of the files named by DOCKER_FILTER_READONLY_FILES, exactly (no parent, no sibling). */
  boolean allowedReadOnlyFile(String source) {
    if (source == null || !source.startsWith("/") || source.contains("/../") || source.endsWith("/..")) return false;
    return readOnlyFiles.contains(Path.of(source).normalize());
  }

  private static boolean nonEmpty(Object value) {
    return value instanceof List<?> list ? !list.isEmpty() : value != null && !(value instanceof String s && s.isEmpty());
  }

  // --- The proxy --------------------------------------------------------------------------------

  void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] headBytes = readHead(in);
      if (headBytes == null) return;
      String head = new String(headBytes, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      if (requestLine.length != 3) {
        refuse(out, 400, "malformed request line");
        return;
      }
      String method = requestLine[0].toUpperCase(Locale.ROOT);
      String target = requestLine[1];
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      String path = VERSION.matcher(target.split("\\?", 2)[0]).replaceFirst("");
      if (path.contains("..") || path.contains("%") || path.contains("//")) {
        refuse(out, 403, "encoded or dot segments are not allowed");
        return;
      }
      String call = method + " " + path;
      if (API_USED.stream().noneMatch(p -> p.matcher(call).matches())) {
        refuse(out, 403, call + " is not a call workspace-service makes");
        return;
      }
      // Docker's hijacked streams (exec, attach) ask for "Upgrade: tcp"; any other upgrade (h2c…)
      // is dropped, so that it cannot turn the connection into an uninspected pipe.
      boolean upgrade = "tcp".equalsIgnoreCase(headers.getOrDefault("upgrade", ""));
      boolean create = method.equals("POST") && path.equals("/containers/create");
      Matcher container = CONTAINER_PATH.matcher(path);
      Matcher exec = EXEC_PATH.matcher(path);
      boolean execCreate = method.equals("POST") && container.matches() && "/exec".equals(container.group(2));
      boolean startWithBody = method.equals("POST") && container.matches() && "/start".equals(container.group(2));
      boolean specBody = method.equals("POST") && (path.equals("/services/create") || path.equals("/networks/create")
          || (path.startsWith("/services/") && path.endsWith("/update")));

      byte[] body = null;
      if (create || execCreate || startWithBody || specBody) {
        body = readBody(in, headers);
        if (body == null) {
          refuse(out, 413, "request body too large or malformed");
          return;
        }
      }
      String refusal = null;
      try {
        refusal = refusal(create, execCreate, startWithBody, path, container, exec, body);
        if (refusal == null) refusal = swarmRefusal(method, path, body == null ? new byte[0] : body);
      } catch (NotFound e) {
        refuse(out, 404, e.getMessage());
        return;
      } catch (IllegalArgumentException e) {
        refusal = "unreadable JSON body: " + e.getMessage();
      }
      if (refusal != null) {
        refuse(out, 403, refusal);
        return;
      }
      forward(in, out, lines, upgrade, body, headers);
    } catch (IOException e) {
      // A client or the daemon went away mid-request: nothing to answer.
    }
  }

  private String refusal(boolean create, boolean execCreate, boolean startWithBody, String path, Matcher container,
      Matcher exec, byte[] body) throws IOException {
    String refusal = null;
    if (create) {
      refusal = createRefusal(asObject(body));
    } else if (container.matches() && !path.equals("/containers/json")) {
      refusal = managed("/containers/" + container.group(1) + "/json", "Config");
      if (refusal == null && execCreate) refusal = execRefusal(asObject(body));
      // API versions before 1.24 took a HostConfig at start: a way around the create check.
      if (refusal == null && startWithBody && body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
        refusal = "a body at container start is not allowed";
      }
    } else if (exec.matches()) {
      refusal = managedExec(exec.group(1));
    }
    return refusal;
  }

  private void forward(InputStream in, OutputStream out, String[] lines, boolean upgrade, byte[] body,
      Map<String, String> headers) throws IOException {
    try (SocketChannel up = connect()) {
      OutputStream upOut = output(up);
      StringBuilder forwarded = new StringBuilder(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).trim().toLowerCase(Locale.ROOT) : "";
        if (!upgrade && (name.equals("connection") || name.equals("upgrade") || name.equals("http2-settings"))) continue;
        if (body != null && (name.equals("content-length") || name.equals("transfer-encoding"))) continue;
        forwarded.append(lines[i]).append("\r\n");
      }
      if (!upgrade) forwarded.append("Connection: close\r\n");
      if (body != null) forwarded.append("Content-Length: ").append(body.length).append("\r\n");
      forwarded.append("\r\n");
      upOut.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        upOut.write(body);
      } else {
        copyBody(in, upOut, headers);
      }
      upOut.flush();
      InputStream upIn = input(up);
      byte[] responseHead = readHead(upIn);
      if (responseHead == null) return;
      out.write(responseHead);
      out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String status = new String(responseHead, 0, Math.min(responseHead.length, 16), StandardCharsets.ISO_8859_1);
      // Only once the daemon has switched protocols is the rest stdin, not HTTP: then relay it raw.
      if (upgrade && status.matches("HTTP/1\\.[01] 101.*")) {
        Thread pump = daemon(() -> {
          try {
            in.transferTo(upOut);
            up.shutdownOutput();
          } catch (IOException ignored) {
            // Either side went away; the other direction ends too.
          }
        });
        upIn.transferTo(out);
        pump.interrupt();
      } else {
        upIn.transferTo(out);
      }
      out.flush();
    }
  }

  /** Null when the container carries the managed label, else the refusal. */
  private String managed(String inspectPath, String configKey) throws IOException {
    Map<String, Object> info = get(inspectPath);
    if (info == null) return "no such container of ours";
    Map<?, ?> config = info.get(configKey) instanceof Map<?, ?> c ? c : Map.of();
    Map<?, ?> labels = config.get("Labels") instanceof Map<?, ?> l ? l : Map.of();
    return "true".equals(labels.get(MANAGED_LABEL)) ? null : "only containers labelled " + MANAGED_LABEL + " may be used";
  }

  /**
   * Null when the service or volume at inspectPath carries the managed label (in {@code
   * configKey}, or at the top); one that does not exist is answered 404, as the daemon would.
   */
  private String managed(String inspectPath, String configKey, String what) throws IOException {
    Reply reply = lookup(inspectPath);
    if (reply.status() == 404) throw new NotFound("no such " + what);
    if (reply.body() == null) return "could not look up the " + what;
    Map<?, ?> holder = configKey == null ? reply.body() : reply.body().get(configKey) instanceof Map<?, ?> c ? c : Map.of();
    return labelled(holder) ? null : "only " + what + "s labelled " + MANAGED_LABEL + " may be used";
  }

  /** Null when the network is labelled ours (and, for a service, an overlay). */
  private String managedNetwork(String id, boolean forService) throws IOException {
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) return "network " + id + " is not allowed";
    Reply reply = lookup("/networks/" + id);
    // A swarm network created a moment ago has no Driver in its answer until the manager has
    // allocated it (its DriverState): asked again for up to 3 s rather than refused.
    for (int i = 0; i < 30 && forService && unallocated(reply); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      reply = lookup("/networks/" + id);
    }
    if (reply.status() == 404 && !forService) throw new NotFound("no such network");
    Map<?, ?> network = reply.body() == null ? Map.of() : reply.body();
    if (!labelled(network)) return "only networks labelled " + MANAGED_LABEL + " may be used";
    if (forService && !"overlay".equals(network.get("Driver"))) return "a service may join only our overlay networks";
    return null;
  }

  private static boolean unallocated(Reply reply) {
    return reply.status() == 200
        && reply.body() != null
        && "swarm".equals(reply.body().get("Scope"))
        && !(reply.body().get("Driver") instanceof String driver && !driver.isEmpty());
  }

  private String managedExec(String execId) throws IOException {
    Map<String, Object> info = get("/exec/" + execId + "/json");
    if (info == null || !(info.get("ContainerID") instanceof String containerId)) return "no such exec of ours";
    return managed("/containers/" + containerId + "/json", "Config");
  }

  /** A GET to the daemon, answered as JSON, or null when it is not 200. */
  private Map<String, Object> get(String path) throws IOException {
    return lookup(path).body();
  }

  /** What the daemon answered: its status, and its JSON when 200. */
  record Reply(int status, Map<String, Object> body) {}

  /** A lookup found nothing: answered 404, as the daemon would, so that clients see "not found". */
  static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }

  private Reply lookup(String path) throws IOException {
    try (SocketChannel up = connect()) {
      OutputStream upOut = output(up);
      upOut.write(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      upOut.flush();
      InputStream upIn = input(up);
      byte[] head = readHead(upIn);
      if (head == null) return new Reply(0, null);
      String text = new String(head, StandardCharsets.ISO_8859_1);
      int status = text.matches("(?s)HTTP/1\\.[01] \\d{3}.*") ? Integer.parseInt(text.substring(9, 12)) : 0;
      if (status != 200) return new Reply(status, null);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : text.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      byte[] body = headers.containsKey("content-length") || "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
          ? readBody(upIn, headers) : upIn.readNBytes(MAX_INSPECTED_BODY);
      return new Reply(status, body == null ? null : asObject(body));
    }
  }

  private SocketChannel connect() throws IOException {
    SocketAddress address;
    SocketChannel channel;
    if (upstream.startsWith("unix://")) {
      address = UnixDomainSocketAddress.of(upstream.substring("unix://".length()));
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } else {
      String hostPort = upstream.replaceFirst("^tcp://", "");
      int colon = hostPort.lastIndexOf(':');
      address = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      channel = SocketChannel.open();
    }
    channel.connect(address);
    return channel;
  }

  private static void refuse(OutputStream out, int status, String reason) throws IOException {
    System.out.println("refused (" + status + "): " + reason);
    byte[] body = ("{\"message\":\"docker-api-filter: " + reason.replace("\\", "\\\\").replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** The request or response head up to the blank line, or null at EOF. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) return null;
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        byte[] bytes = head.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 4);
      }
    }
    return null;
  }

  /** A whole body (Content-Length or chunked), at most 1 MiB; null when larger or malformed. */
  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) return null;
        int size;
        try {
          size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
        } catch (NumberFormatException e) {
          return null;
        }
        if (size < 0 || body.size() + size > MAX_INSPECTED_BODY) return null;
        if (size == 0) {
          while (true) {
            String trailer = readLine(in);
            if (trailer == null || trailer.isEmpty()) return body.toByteArray();
          }
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length != size) return null;
        body.write(chunk);
        readLine(in);
      }
    }
    String length = headers.get("content-length");
    if (length == null) return new byte[0];
    long n;
    try {
      n = Long.parseLong(length);
    } catch (NumberFormatException e) {
      return null;
    }
    if (n < 0 || n > MAX_INSPECTED_BODY) return null;
    byte[] body = in.readNBytes((int) n);
    return body.length == n ? body : null;
  }

  /** Relays a body that is not inspected, by its framing, and nothing after it. */
  private static void copyBody(InputStream in, OutputStream out, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) throw new IOException("truncated chunked body");
        out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
        if (size == 0) {
          while (true) {
            String trailer = readLine(in);
            if (trailer == null) throw new IOException("truncated chunked body");
            out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (trailer.isEmpty()) return;
          }
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length != size) throw new IOException("truncated chunk");
        out.write(chunk);
        readLine(in);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      long n = Long.parseLong(length);
      byte[] buffer = new byte[8192];
      while (n > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
        if (read < 0) throw new IOException("truncated body");
        out.write(buffer, 0, read);
        n -= read;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') return line.toString().replaceAll("\r$", "");
      line.append((char) b);
      if (line.length() > MAX_HEAD) return null;
    }
    return null;
  }

  // SocketChannel's own read and write may run in two threads at once; Channels.newInputStream
  // and newOutputStream would serialize them on one lock and deadlock a duplex stream.
  private static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        return n;
      }
    };
  }

  private static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) channel.write(buffer);
      }
    };
  }

  // --- A small JSON reader: objects, arrays, strings, numbers, booleans, null -------------------

  @SuppressWarnings("unchecked")
  static Map<String, Object> asObject(byte[] json) {
    if (json.length == 0) return Map.of();
    Object value = new Json(new String(json, StandardCharsets.UTF_8)).value();
    if (!(value instanceof Map)) throw new IllegalArgumentException("not a JSON object");
    return (Map<String, Object>) value;
  }

  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      if (i >= s.length()) throw new IllegalArgumentException("unexpected end of JSON");
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        skip();
        if (peek('}')) return map;
        do {
          skip();
          String key = string();
          skip();
          expect(':');
          // Docker matches keys case-insensitively: a key twice (in any spelling) is refused unless
          // both say the same (docker-java sends EnableIPv6 and enableIPv6 with one value).
          Object value = value();
          String known = map.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(null);
          if (known != null && !java.util.Objects.equals(map.get(known), value)) throw new IllegalArgumentException("duplicate key " + key);
          if (known == null) map.put(canonical(key), value);
          skip();
        } while (peek(','));
        expect('}');
        return map;
      }
      if (c == '[') {
        i++;
        List<Object> list = new ArrayList<>();
        skip();
        if (peek(']')) return list;
        do {
          list.add(value());
          skip();
        } while (peek(','));
        expect(']');
        return list;
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (start == i) throw new IllegalArgumentException("unexpected character at " + i);
      return Double.parseDouble(s.substring(start, i));
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') return out.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> { out.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
            default -> out.append(e);
          }
        } else {
          out.append(c);
        }
      }
      throw new IllegalArgumentException("unterminated string");
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private boolean peek(char c) {
      skip();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!peek(c)) throw new IllegalArgumentException("expected " + c + " at " + i);
    }
  }

  /** The daemon decodes field names case-insensitively (Go's encoding/json): so do the rules. */
  private static final List<String> KNOWN_KEYS = java.util.stream.Stream.of(
      List.of("Labels", "HostConfig", "Privileged", "CapAdd", "NetworkMode", "PidMode", "IpcMode", "UTSMode",
          "UsernsMode", "CgroupnsMode", "Devices", "DeviceRequests", "DeviceCgroupRules", "VolumesFrom", "Links",
          "Runtime", "SecurityOpt", "Binds", "Mounts", "Type", "Source", "VolumeOptions", "DriverConfig", "Config",
          "ContainerID", "Spec", "Replicated", "Replicas", "Ports", "Mode", "Limits", "Reservations", "NanoCPUs",
          "MemoryBytes", "Pids", "Target", "Aliases", "NoNewPrivileges", "Seccomp", "AppArmor", "NoCopy", "Name",
          "Options", "NetworkingConfig", "EndpointsConfig"),
      SERVICE_KEYS, TASK_KEYS, CONTAINER_SPEC_KEYS, MOUNT_KEYS, NETWORK_KEYS).flatMap(java.util.Collection::stream)
      .distinct().toList();

  private static String canonical(String key) {
    for (String known : KNOWN_KEYS) {
      if (known.equalsIgnoreCase(key)) return known;
    }
    return key;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static Thread daemon(Runnable task) {
    Thread t = new Thread(task);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
