package dev.constellation.gateway.preview;

/**
 * What a preview cookie grants: one project's one port, either to a member (re-checked on every
 * request: still a member, token version and sign-in not revoked) or, read-only, to whoever holds a
 * share link (re-checked: the link not revoked).
 *
 * @param userId the member, or null for a share grant
 * @param version the member's token version when the session was made (see TokenRevocations)
 * @param sessionId the member's sign-in, or null
 * @param shareId the share link's id, or null for a member grant
 * @param ideOrigin the IDE origin allowed to frame the preview and open its WebSockets
 * @param expiresAt epoch seconds
 */
record PreviewGrant(
    String projectId,
    int port,
    String userId,
    long version,
    String sessionId,
    String shareId,
    String ideOrigin,
    long expiresAt) {

  boolean readOnly() {
    return shareId != null;
  }
}
