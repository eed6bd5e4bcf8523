package dev.constellation.workspace.preview;

import dev.constellation.common.preview.PreviewHosts;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.ServiceOnly;
import dev.constellation.workspace.config.ProjectDirectories;
import java.time.Duration;
import java.util.Optional;
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
  record Target(String host, int port) {}

  private final PreviewPorts ports;

  InternalPortsController(PreviewPorts ports) {
    this.ports = ports;
  }

  @GetMapping("/internal/projects/{projectId}/ports/{port}/target")
  Target target(@PathVariable String projectId, @PathVariable int port) {
    ProjectDirectories.requireValidId(projectId);
    if (!PreviewHosts.validPort(port) || !PortPolicy.previewable(port)) throw notListening(port);
    Optional<String> host = ports.target(projectId, port);
    if (host == null) throw notListening(port);
    return host.map(h -> new Target(h, port))
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
