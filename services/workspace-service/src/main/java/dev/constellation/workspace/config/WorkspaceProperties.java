package dev.constellation.workspace.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an installation can tune about workspaces.
 *
 * @param runtime where workspaces run: docker, local (host processes), auto (Docker when reachable)
 *     or swarm (Docker Swarm services, see {@link SwarmProperties})
 * @param root host directory holding one directory per project (WORKSPACES_ROOT)
 * @param image container image every workspace runs (WORKSPACE_IMAGE)
 * @param idleTimeout a running workspace without activity for this long is stopped
 *     (WORKSPACE_IDLE_TIMEOUT)
 * @param idleCheckInterval how often idle workspaces are looked for
 * @param installationId label value that tells this installation's containers from any other's
 * @param limits resource limits of one workspace container
 * @param isolation container hardening switches
 * @param network the network workspace containers join
 * @param files limits of the files API
 * @param exec limits of one-shot commands
 * @param terminal terminal tickets and WebSocket rules
 * @param local the host-process runtime
 */
@Validated
@ConfigurationProperties(prefix = "workspace")
public record WorkspaceProperties(
    @NotNull @DefaultValue("auto") RuntimeKind runtime,
    @NotNull Path root,
    @NotBlank @DefaultValue("constellation/workspace:local") String image,
    @NotNull @DefaultValue("30m") Duration idleTimeout,
    @NotNull @DefaultValue("30s") Duration idleCheckInterval,
    @NotBlank @DefaultValue("default") String installationId,
    @Valid @NotNull @DefaultValue Limits limits,
    @Valid @NotNull @DefaultValue Isolation isolation,
    @Valid @NotNull @DefaultValue Network network,
    @Valid @NotNull @DefaultValue Files files,
    @Valid @NotNull @DefaultValue Exec exec,
    @Valid @NotNull @DefaultValue Terminal terminal,
    @Valid @NotNull @DefaultValue Local local) {

  /** Which runtime workspaces use. */
  public enum RuntimeKind {
    DOCKER,
    LOCAL,
    AUTO,
    /** Docker Swarm services placed by a manager (config.SwarmProperties). */
    SWARM
  }

  /**
   * Resource limits of one workspace container.
   *
   * @param memoryBytes memory limit (swap included)
   * @param cpus CPU share, in cores
   * @param pids maximum number of processes
   */
  public record Limits(
      @Positive @DefaultValue("2147483648") long memoryBytes,
      @Positive @DefaultValue("1.0") double cpus,
      @Positive @DefaultValue("512") long pids) {}

  /**
   * Container hardening; every switch is on unless an installation turns it off.
   *
   * @param uid user id (and group id) processes in the container run as, and owner of project files
   * @param dropAllCapabilities run with --cap-drop ALL
   * @param noNewPrivileges forbid gaining privileges through setuid binaries
   * @param readOnlyRootFs read-only root file system; /workspace, /tmp and the home directory stay
   *     writable
   * @param home the user's home directory, a tmpfs when the root file system is read-only
   * @param tmpfsSize size limit of each tmpfs (/tmp and home), in docker's syntax
   */
  public record Isolation(
      @Positive @DefaultValue("1000") int uid,
      @DefaultValue("true") boolean dropAllCapabilities,
      @DefaultValue("true") boolean noNewPrivileges,
      @DefaultValue("true") boolean readOnlyRootFs,
      @NotBlank @DefaultValue("/home/dev") String home,
      @NotBlank @DefaultValue("512m") String tmpfsSize) {}

  /**
   * The network workspace containers join. Inter-container traffic is always off on it, so no
   * workspace reaches another.
   *
   * @param name Docker network created (and labelled) by this service when missing; one made
   *     without the isolation options is replaced (WORKSPACE_NETWORK_NAME)
   * @param egress whether workspaces may reach the internet (WORKSPACE_EGRESS, on by default). Off:
   *     the network is internal and its bridge gets no host address, so nothing on the host is
   *     reachable either. On: the bridge has a gateway address on the host, and the firewall of
   *     {@code runtime/docker/EgressFirewall} keeps workspaces from the host, private ranges and
   *     169.254.0.0/16; without that firewall the network stays internal
   * @param egressAllow CIDRs inside the private ranges workspaces may still reach, e.g. a corporate
   *     package mirror (WORKSPACE_EGRESS_ALLOW, comma-separated)
   * @param firewall who installs that firewall: {@code service} (this service, with iptables; it
   *     must run as root in the host's network namespace) or {@code external}
   *     (deploy/scripts/workspace-firewall.sh, for a service that runs in a container and cannot)
   *     (WORKSPACE_EGRESS_FIREWALL)
   */
  public record Network(
      @NotBlank @DefaultValue("constellation-workspaces") String name,
      @DefaultValue("true") boolean egress,
      @DefaultValue List<String> egressAllow,
      @NotNull @DefaultValue("service") FirewallMode firewall) {}

  /** Who installs the egress firewall on the host. */
  public enum FirewallMode {
    SERVICE,
    EXTERNAL
  }

  /**
   * Limits of the files API.
   *
   * @param maxFileBytes largest file that can be read or written through the API
   */
  public record Files(@Positive @DefaultValue("10485760") long maxFileBytes) {}

  /**
   * Limits of one-shot commands.
   *
   * @param defaultTimeout timeout when the request names none
   * @param maxTimeout longest timeout a request may ask for
   * @param maxOutputBytes stdout and stderr are each cut at this many bytes
   * @param maxPerUser commands one user may run at once on a replica; more are refused with 429
   *     (WORKSPACE_EXEC_MAX_PER_USER)
   * @param maxPerProject commands that may run at once in one project
   *     (WORKSPACE_EXEC_MAX_PER_PROJECT)
   * @param retryAfter the Retry-After sent with a refusal for too many commands or terminals
   * @param agent whether a container's commands go through its exec agent (one engine exec per
   *     container) rather than one engine exec each (WORKSPACE_EXEC_AGENT)
   */
  public record Exec(
      @NotNull @DefaultValue("60s") Duration defaultTimeout,
      @NotNull @DefaultValue("10m") Duration maxTimeout,
      @Positive @DefaultValue("1048576") int maxOutputBytes,
      @Positive @DefaultValue("8") int maxPerUser,
      @Positive @DefaultValue("8") int maxPerProject,
      @NotNull @DefaultValue("5s") Duration retryAfter,
      @DefaultValue("true") boolean agent) {}

  /**
   * Terminal tickets and WebSocket rules.
   *
   * @param ticketTtl how long a terminal ticket can be redeemed (at most 60 s)
   * @param allowedOrigins origins allowed besides the request's own host, e.g.
   *     https://ide.example.com
   * @param shell command a terminal runs
   * @param maxPerUser terminals one user may have open at once on a replica; more are refused with
   *     429 at the ticket, 1008 at the socket (WORKSPACE_TERMINAL_MAX_PER_USER)
   * @param maxPerProject terminals open at once in one project (WORKSPACE_TERMINAL_MAX_PER_PROJECT)
   * @param maxMessageBytes largest WebSocket message accepted; a larger one closes the socket
   *     (1009)
   * @param maxPendingInputBytes typed input not yet taken by the shell, and input one socket may
   *     send within {@code sendTimeLimit} (tmux queues input for a shell that does not read, out of
   *     sight); beyond either the socket is closed with 1008, so a flood cannot grow the heap
   * @param maxPendingOutputBytes output not yet sent to a slow client; beyond it (or after {@code
   *     sendTimeLimit} on one send) the socket is closed
   * @param sendTimeLimit longest a single send to the client may take
   * @param maxSessionsPerProject terminal sessions (attached or not) one workspace may hold; a
   *     socket asking for another is closed with 1008 (WORKSPACE_TERMINAL_MAX_SESSIONS)
   * @param scrollbackLines history lines replayed to a socket that (re)attaches to a session
   */
  public record Terminal(
      @NotNull @DefaultValue("60s") Duration ticketTtl,
      @DefaultValue List<String> allowedOrigins,
      @NotNull @DefaultValue({"bash", "-l"}) List<String> shell,
      @Positive @DefaultValue("10") int maxPerUser,
      @Positive @DefaultValue("20") int maxPerProject,
      @Positive @DefaultValue("262144") int maxMessageBytes,
      @Positive @DefaultValue("1048576") int maxPendingInputBytes,
      @Positive @DefaultValue("1048576") int maxPendingOutputBytes,
      @NotNull @DefaultValue("10s") Duration sendTimeLimit,
      @Positive @DefaultValue("20") int maxSessionsPerProject,
      @Positive @DefaultValue("5000") int scrollbackLines) {}

  /**
   * The host-process runtime, for single-user machines without Docker.
   *
   * @param sandbox wrap processes in bubblewrap when it is installed
   * @param network let sandboxed processes use the host's network (they could then reach MongoDB
   *     and Redis)
   * @param hiddenPaths host paths sandboxed processes must not see (an empty tmpfs is mounted over
   *     them)
   * @param allowInProd allow the local runtime under the prod profile (it is refused there by
   *     default)
   */
  public record Local(
      @DefaultValue("true") boolean sandbox,
      @DefaultValue("false") boolean network,
      @DefaultValue List<Path> hiddenPaths,
      @DefaultValue("false") boolean allowInProd) {}
}
