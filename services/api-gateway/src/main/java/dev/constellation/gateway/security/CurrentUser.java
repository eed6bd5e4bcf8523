package dev.constellation.gateway.security;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import org.springframework.web.server.ServerWebExchange;

/** The caller proven by the access token, as the authentication filter left it on the exchange. */
public final class CurrentUser {
  static final String ATTRIBUTE = AuthenticatedUser.class.getName();

  private CurrentUser() {}

  public static AuthenticatedUser require(ServerWebExchange exchange) {
    AuthenticatedUser user = exchange.getAttribute(ATTRIBUTE);
    if (user == null) throw ApiException.unauthorized("Sign in first.");
    return user;
  }

  public static AuthenticatedUser requireAdmin(ServerWebExchange exchange) {
    AuthenticatedUser user = require(exchange);
    if (!user.isAdmin()) throw ApiException.forbidden("Only administrators may do this.");
    return user;
  }

  /** Null for anonymous requests (public paths). */
  public static AuthenticatedUser orNull(ServerWebExchange exchange) {
    return exchange.getAttribute(ATTRIBUTE);
  }
}
