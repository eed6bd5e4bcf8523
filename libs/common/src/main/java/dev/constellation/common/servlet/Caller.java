package dev.constellation.common.servlet;

import dev.constellation.common.auth.AuthenticatedUser;

/**
 * The verified caller plus the token it proved itself with, for a handler that must call another
 * service as that caller (claude-service reading files through workspace-service): the caller's own
 * token is forwarded, never a new one signed. Take it as {@code @CurrentUser Caller caller}.
 */
public record Caller(AuthenticatedUser user, String bearerToken) {

  /** The Authorization header value to forward. */
  public String authorization() {
    return "Bearer " + bearerToken;
  }
}
