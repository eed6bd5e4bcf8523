package dev.constellation.workspace.lsp;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Clients always speak of {@code file:///workspace}, the root a container's servers see. A host
 * process (local runtime) sees the project's real directory instead: its URIs are rewritten in both
 * directions, so that the IDE never learns the host path and works the same on both.
 */
final class WorkspaceUris {
  static final String ROOT = "/workspace";
  private static final String CLIENT = "\"file://" + ROOT;
  private final String server;

  private WorkspaceUris(String server) {
    this.server = server;
  }

  /** Rewriting for a server that sees the project at {@code root}; null when it is /workspace. */
  static WorkspaceUris of(String root) {
    if (ROOT.equals(root)) return null;
    try {
      return new WorkspaceUris("\"file://" + new URI(null, null, root, null).getRawPath());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a path: " + root, e);
    }
  }

  String toServer(String json) {
    return json.replace(CLIENT + "/", server + "/").replace(CLIENT + "\"", server + "\"");
  }

  String toClient(String json) {
    return json.replace(server + "/", CLIENT + "/").replace(server + "\"", CLIENT + "\"");
  }
}
