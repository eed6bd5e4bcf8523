package dev.constellation.common.auth;

/**
 * Redis keys shared by the gateway, which writes them, and every service, which reads them, so that
 * disabling a user takes effect at once rather than when the access token expires.
 */
public final class DisabledUsers {
  private DisabledUsers() {}

  public static String key(String userId) {
    return "constellation:user:disabled:" + userId;
  }
}
