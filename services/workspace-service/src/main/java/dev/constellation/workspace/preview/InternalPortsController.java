package dev.constellation.workspace.preview;

import dev.constellation.common.preview.PreviewHosts;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.ServiceOnly;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.runtime.PreviewTarget;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gateway asks where to send a preview request. The answer is this project's own workspace
 * address, and only for a port listening there now: nothing the request says can point the proxy
 * anywhere else.
 */
@RestController
@ServiceOnly
class InternalPortsController {
  /** {@code connectPort}: where to connect instead of {@code port}, when a relay carries it. */
  record Target(String host, int port, @Nullable Integer connectPort) {}

  private final PreviewPorts ports;

  InternalPortsController(PreviewPorts ports) {
    this.ports = ports;
  }

  @GetMapping("/internal/projects/{projectId}/ports/{port}/target")
  Target target(@PathVariable String projectId, @PathVariable int port) {
    ProjectDirectories.requireValidId(projectId);
    if (!PreviewHosts.validPort(port) || !PortPolicy.previewable(port)) throw notListening(port);
    Optional<PreviewTarget> target = ports.target(projectId, port);
    if (target == null) throw notListening(port);
    return target
        .map(t -> new Target(t.host(), t.port(), t.connectPort()))
        .orElseThrow(
            () ->
                ApiException.unavailable(
                    "Port "
                        + port
                        + " listens, but this host has no route to the workspace network (egress"
                        + " off gives its bridge no host address); previews need WORKSPACE_EGRESS=true.",
                    Duration.ofSeconds(30)));
  }

  private static ApiException notListening(int port) {
    return ApiException.notFound(
        "Nothing listens on port " + port + " in this project's workspace (or it is stopped).");
  }
}
