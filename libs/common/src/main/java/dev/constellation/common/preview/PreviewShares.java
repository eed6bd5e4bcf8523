package dev.constellation.common.preview;

/**
 * Where the gateway keeps a port's share link, so that workspace-service can list it with the port
 * and DELETE can revoke it: one Redis key per project and port, holding {@link Share} as JSON and
 * expiring with the link.
 */
public final class PreviewShares {
  private static final String PREFIX = "constellation:preview:share:";

  /**
   * A share link.
   *
   * @param id the random id the signed share token names; a token whose id is not the stored one
   *     was revoked (or replaced)
   * @param url the link to give out
   * @param expiresAt epoch milliseconds
   */
  public record Share(String id, String url, long expiresAt) {}

  private PreviewShares() {}

  public static String key(String projectId, int port) {
    return PREFIX + projectId + ":" + port;
  }
}
