package dev.constellation.workspace.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Workspaces as Docker Swarm services (WORKSPACE_RUNTIME=swarm): the manager places them, each
 * node's own engine runs their commands and terminals (docs/deployment.md, "Swarm").
 *
 * @param hostRoot where workspace.root is on every node (the shared file system, the same path on
 *     each): the bind source of {@code <hostRoot>/<projectId>} (WORKSPACES_HOST_ROOT; empty: the
 *     same path as workspace.root)
 * @param constraints placement constraints of every workspace service, e.g. {@code
 *     node.labels.constellation.workspaces==true} (WORKSPACE_SWARM_CONSTRAINTS, comma-separated)
 * @param nodeEngines the Docker API of each node other than the manager's own, as {@code
 *     hostname=tcp://address:port}, or {@code dns:name:port} to find them by asking each address of
 *     the name which node it is (WORKSPACE_SWARM_NODE_ENGINES, comma-separated); TLS settings come
 *     from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as for the manager
 * @param startTimeout how long a start waits for the engine to run the workspace's task
 * @param previewHost the name the gateway reaches this service at, for its preview relays
 *     (WORKSPACE_SWARM_PREVIEW_HOST; empty: no previews in Swarm mode)
 * @param previewClients the names or addresses whose connections the preview relays accept: the
 *     gateway's tasks, e.g. {@code tasks.api-gateway} (WORKSPACE_SWARM_PREVIEW_CLIENTS)
 */
@Validated
@ConfigurationProperties(prefix = "workspace.swarm")
public record SwarmProperties(
    @Nullable Path hostRoot,
    @DefaultValue List<String> constraints,
    @DefaultValue List<String> nodeEngines,
    @NotNull @DefaultValue("90s") Duration startTimeout,
    @Nullable String previewHost,
    @DefaultValue List<String> previewClients) {

  /** The project directory's path on the nodes. */
  public Path hostDirectory(Path root, String projectId) {
    return Optional.ofNullable(hostRoot).orElse(root).resolve(projectId);
  }
}
