package dev.constellation.gateway.users;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.common.problem.ApiException;
import dev.constellation.gateway.audit.AuditLog;
import dev.constellation.gateway.security.CurrentUser;
import dev.constellation.gateway.web.RequestContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/admin/users")
class AdminUsersController {
  private static final Set<String> KNOWN_ROLES = Set.of(User.USER, User.ADMIN);

  private final UserService users;
  private final Sessions sessions;
  private final ReactiveStringRedisTemplate redis;
  private final AuditLog audit;

  private final Duration deletedMarkerTtl;

  AdminUsersController(
      UserService users,
      Sessions sessions,
      ReactiveStringRedisTemplate redis,
      AuditLog audit,
      @Value("${constellation.accounts.access-token-ttl:15m}") Duration accessTokenTtl) {
    this.deletedMarkerTtl = TokenRevocations.versionRetention(accessTokenTtl);
    this.users = users;
    this.sessions = sessions;
    this.redis = redis;
    this.audit = audit;
  }

  @GetMapping
  Mono<UserService.Page> list(
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      ServerWebExchange exchange) {
    CurrentUser.requireAdmin(exchange);
    if (page < 0) throw ApiException.validation("page", "page must be 0 or more.");
    if (size < 1 || size > 100)
      throw ApiException.validation("size", "size must be between 1 and 100.");
    return users.page(page, size);
  }

  record UpdateUserRequest(@Nullable List<String> roles, @Nullable Boolean disabled) {}

  @PatchMapping("/{id}")
  Mono<UserResponse> update(
      @PathVariable String id, @RequestBody UpdateUserRequest request, ServerWebExchange exchange) {
    AuthenticatedUser admin = CurrentUser.requireAdmin(exchange);
    Set<String> roles = request.roles() == null ? null : validRoles(request.roles());
    if (admin.id().equals(id)
        && (Boolean.TRUE.equals(request.disabled())
            || (roles != null && !roles.contains(User.ADMIN)))) {
      throw ApiException.conflict("You cannot disable yourself or take away your own ADMIN role.");
    }
    return users
        .findById(id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("There is no user " + id + ".")))
        .flatMap(
            user -> {
              User changed = user;
              if (roles != null) changed = changed.withRoles(roles);
              if (request.disabled() != null) changed = changed.withDisabled(request.disabled());
              boolean rolesChanged = !changed.roles().equals(user.roles());
              return users
                  .save(changed)
                  .flatMap(
                      saved ->
                          applyDisabled(saved, request.disabled())
                              // Tokens and sign-ins carry the roles they were issued with: a
                              // changed role ends them.
                              .then(rolesChanged ? sessions.revokeAll(saved.id()) : Mono.empty())
                              .thenReturn(saved));
            })
        .flatMap(
            saved ->
                audit
                    .publish(
                        "admin.user.update",
                        admin.id(),
                        RequestContext.requestId(exchange),
                        details(saved, request))
                    .thenReturn(UserResponse.of(saved)));
  }

  /**
   * Deletes an account. Its tokens, sign-ins, terminals and AI streams end at once; the projects it
   * owns stay (an administrator decides what becomes of them).
   */
  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(@PathVariable String id, ServerWebExchange exchange) {
    AuthenticatedUser admin = CurrentUser.requireAdmin(exchange);
    if (admin.id().equals(id)) throw ApiException.conflict("You cannot delete your own account.");
    return users
        .findById(id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("There is no user " + id + ".")))
        .flatMap(
            user ->
                users
                    .delete(user.id())
                    // Marked like a disabled account until every token it could hold has expired,
                    // so a
                    // sign-in that raced the delete cannot outlive it.
                    .then(
                        redis
                            .opsForValue()
                            .set(DisabledUsers.key(user.id()), "deleted", deletedMarkerTtl))
                    .then(sessions.revokeAll(user.id()))
                    .then(
                        audit.publish(
                            "admin.user.delete",
                            admin.id(),
                            RequestContext.requestId(exchange),
                            Map.of("userId", user.id()))))
        .then();
  }

  /**
   * Every service checks the Redis key on each request, so this takes effect at once everywhere.
   */
  private Mono<Void> applyDisabled(User user, Boolean disabled) {
    if (disabled == null) return Mono.empty();
    if (disabled) {
      return redis
          .opsForValue()
          .set(DisabledUsers.key(user.id()), "1")
          .then(sessions.revokeAll(user.id()));
    }
    return redis.delete(DisabledUsers.key(user.id())).then();
  }

  private static Set<String> validRoles(List<String> requested) {
    for (String role : requested) {
      if (!KNOWN_ROLES.contains(role)) {
        throw ApiException.validation("roles", "Unknown role '" + role + "'; use USER or ADMIN.");
      }
    }
    var roles = new java.util.HashSet<>(requested);
    roles.add(User.USER);
    return roles;
  }

  private static Map<String, String> details(User user, UpdateUserRequest request) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("userId", user.id());
    if (request.roles() != null)
      details.put("roles", String.join(",", user.roles().stream().sorted().toList()));
    if (request.disabled() != null) details.put("disabled", request.disabled().toString());
    return details;
  }
}
