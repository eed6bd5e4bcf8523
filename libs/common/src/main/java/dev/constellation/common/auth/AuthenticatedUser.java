package dev.constellation.common.auth;

import java.util.Set;

/** The caller as proven by a verified access token. */
public record AuthenticatedUser(String id, String email, Set<String> roles) {

  public static final String ADMIN = "ADMIN";

  /** Held only by tokens that services mint for calls to each other. */
  public static final String SERVICE = "SERVICE";

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }

  public boolean isService() {
    return roles.contains(SERVICE);
  }
}
