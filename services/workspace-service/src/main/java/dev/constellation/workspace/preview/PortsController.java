package dev.constellation.workspace.preview;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.preview.PreviewShares;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import java.time.Instant;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The workspace's listening ports and their preview URLs, for project members. */
@RestController
class PortsController {
  private final PreviewPorts ports;
  private final ProjectGuard guard;
  private final StringRedisTemplate redis;
  private final JsonMapper json;

  PortsController(
      PreviewPorts ports, ProjectGuard guard, StringRedisTemplate redis, JsonMapper json) {
    this.ports = ports;
    this.guard = guard;
    this.redis = redis;
    this.json = json;
  }

  @GetMapping("/api/projects/{projectId}/ports")
  List<PortResponse> list(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return ports.current(projectId).stream()
        .sorted()
        .map(port -> new PortResponse(port, ports.url(projectId, port), share(projectId, port)))
        .toList();
  }

  /** The share link the gateway stored for the port, if it has not expired. */
  private PortResponse.Share share(String projectId, int port) {
    String stored = redis.opsForValue().get(PreviewShares.key(projectId, port));
    if (stored == null) return null;
    try {
      PreviewShares.Share share = json.readValue(stored, PreviewShares.Share.class);
      Instant expires = Instant.ofEpochMilli(share.expiresAt());
      return expires.isAfter(Instant.now()) ? new PortResponse.Share(share.url(), expires) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
