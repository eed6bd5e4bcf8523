package dev.constellation.workspace.preview;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A listening port of the workspace.
 *
 * @param url the preview origin of the port (opening it needs a preview session from the gateway)
 * @param share the port's read-only share link, when the owner made one
 */
record PortResponse(int port, String url, @Nullable Share share) {
  record Share(String url, Instant expiresAt) {}
}
