package dev.constellation.gateway.auth;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.DisabledUsers;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.problem.ApiException;
import dev.constellation.gateway.audit.AuditLog;
import dev.constellation.gateway.metrics.GatewayMetrics;
import dev.constellation.gateway.metrics.GatewayMetrics.AuthFailure;
import dev.constellation.gateway.ratelimit.RateLimitProperties;
import dev.constellation.gateway.ratelimit.RateLimiter;
import dev.constellation.gateway.users.User;
import dev.constellation.gateway.users.UserResponse;
import dev.constellation.gateway.users.UserService;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Sign-up, sign-in, refresh, sign-out and password change. {@code requestId} and {@code client} are
 * for the audit trail. Every access token names its sign-in and carries the user's token version
 * (see {@link dev.constellation.common.auth.TokenRevocations}), so revoking either refuses it at
 * once.
 */
@Service
class AuthService {
  private static final String BAD_CREDENTIALS = "The email address or password is wrong.";
  private static final String BAD_REFRESH =
      "The refresh token is invalid, expired or already used; sign in again.";

  private final UserService users;
  private final Passwords passwords;
  private final RefreshTokenStore refreshTokens;
  private final JwtCodec jwt;
  private final AccountProperties properties;
  private final RateLimiter limiter;
  private final RateLimitProperties limits;
  private final ReactiveStringRedisTemplate redis;
  private final AuditLog audit;
  private final GatewayMetrics metrics;
  private final SignUpPolicy signUp;
  private final SetupToken setupToken;
  private final SessionRevocation sessions;

  AuthService(
      UserService users,
      Passwords passwords,
      RefreshTokenStore refreshTokens,
      JwtCodec jwt,
      AccountProperties properties,
      RateLimiter limiter,
      RateLimitProperties limits,
      ReactiveStringRedisTemplate redis,
      AuditLog audit,
      GatewayMetrics metrics,
      SignUpPolicy signUp,
      SetupToken setupToken,
      SessionRevocation sessions) {
    this.signUp = signUp;
    this.setupToken = setupToken;
    this.sessions = sessions;
    this.metrics = metrics;
    this.users = users;
    this.passwords = passwords;
    this.refreshTokens = refreshTokens;
    this.jwt = jwt;
    this.properties = properties;
    this.limiter = limiter;
    this.limits = limits;
    this.redis = redis;
    this.audit = audit;
  }

  /**
   * Creates the account if the email is free and sign-up allows it. A taken email gets the same
   * answer as a free one, after the same bcrypt work, so that registration reveals no account.
   */
  Mono<AuthApi.RegisterResponse> register(
      AuthApi.RegisterRequest request, String requestId, String client) {
    AccountRules.checkEmail(request.email());
    AccountRules.checkPassword(request.password());
    String displayName = AccountRules.checkDisplayName(request.displayName());
    String email = UserService.normalizeEmail(request.email());
    return limitEmail(email)
        .then(signUp.admit(request.setupToken(), request.inviteCode()))
        .flatMap(
            admission ->
                passwords
                    .hash(request.password())
                    .flatMap(
                        hash ->
                            users.create(email, displayName, hash, admission.firstAccountIsAdmin()))
                    .flatMap(
                        user ->
                            admission.viaSetupToken()
                                ? users
                                    .promoteToFirstAdmin(user)
                                    .flatMap(admin -> setupToken.spend().thenReturn(admin))
                                    .defaultIfEmpty(user)
                                : Mono.just(user))
                    .doOnNext(user -> metrics.registration())
                    .flatMap(
                        user ->
                            audit.publish(
                                "auth.register",
                                user.id(),
                                requestId,
                                Map.of(
                                    "email",
                                    email,
                                    "client",
                                    client,
                                    "roles",
                                    String.join(",", user.roles()))))
                    .onErrorResume(
                        DuplicateKeyException.class,
                        taken ->
                            audit.publish(
                                "auth.register.taken",
                                "",
                                requestId,
                                Map.of("email", email, "client", client))))
        .thenReturn(AuthApi.RegisterResponse.ACCEPTED);
  }

  Mono<AuthApi.TokenResponse> login(AuthApi.LoginRequest request, String requestId, String client) {
    if (request.email() == null || request.email().isBlank())
      throw ApiException.validation("email", "Enter your email address.");
    if (request.password() == null || request.password().isEmpty())
      throw ApiException.validation("password", "Enter your password.");
    String email = UserService.normalizeEmail(request.email());
    return limitEmail(email)
        .then(
            users
                .findByEmail(email)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty()))
        .flatMap(
            found ->
                passwords
                    .matches(request.password(), found.map(User::passwordHash).orElse(null))
                    .flatMap(
                        ok -> {
                          if (!ok || found.isEmpty()) {
                            metrics.authFailure(AuthFailure.BAD_CREDENTIALS);
                            return audit
                                .publish(
                                    "auth.login.failure",
                                    found.map(User::id).orElse(""),
                                    requestId,
                                    Map.of("email", email, "client", client))
                                .then(
                                    Mono.<AuthApi.TokenResponse>error(
                                        ApiException.unauthorized(BAD_CREDENTIALS)));
                          }
                          User user = found.get();
                          if (user.disabled()) {
                            metrics.authFailure(AuthFailure.DISABLED_ACCOUNT);
                            return audit
                                .publish(
                                    "auth.login.disabled",
                                    user.id(),
                                    requestId,
                                    Map.of("client", client))
                                .then(
                                    Mono.error(
                                        ApiException.forbidden(
                                            "This account is disabled; ask an administrator.")));
                          }
                          metrics.login();
                          return audit
                              .publish("auth.login", user.id(), requestId, Map.of("client", client))
                              .then(signIn(user));
                        }));
  }

  Mono<AuthApi.TokenResponse> refresh(
      AuthApi.RefreshRequest request, String requestId, String client) {
    if (request.refreshToken() == null || request.refreshToken().isBlank()) {
      throw ApiException.validation("refreshToken", "Send the refresh token you were given.");
    }
    return refreshTokens
        .rotate(request.refreshToken())
        .flatMap(
            rotation ->
                switch (rotation.outcome()) {
                  case REUSED -> {
                    metrics.authFailure(AuthFailure.REFRESH_REUSE);
                    yield audit
                        .publish(
                            "auth.refresh.reuse",
                            rotation.userId(),
                            requestId,
                            Map.of("family", rotation.familyId(), "client", client))
                        .then(Mono.error(ApiException.unauthorized(BAD_REFRESH)));
                  }
                  case INVALID -> {
                    metrics.authFailure(AuthFailure.INVALID_REFRESH);
                    yield Mono.error(ApiException.unauthorized(BAD_REFRESH));
                  }
                  case ROTATED ->
                      tokens(rotation.userId(), rotation.familyId(), rotation.token())
                          .switchIfEmpty(
                              refreshTokens
                                  .revokeAll(rotation.userId())
                                  .then(Mono.error(ApiException.unauthorized(BAD_REFRESH))));
                });
  }

  /**
   * Ends the sign-in of the refresh token: its access tokens are refused at once everywhere, and
   * the user's open terminals and AI streams close.
   */
  Mono<Void> logout(AuthApi.RefreshRequest request, String requestId, String client) {
    if (request.refreshToken() == null || request.refreshToken().isBlank()) return Mono.empty();
    return refreshTokens
        .revokeByToken(request.refreshToken())
        .flatMap(
            userId ->
                sessions
                    .announce(userId)
                    .then(
                        audit.publish("auth.logout", userId, requestId, Map.of("client", client))))
        .then();
  }

  /** Ends every sign-in of the caller, everywhere. */
  Mono<Void> logoutEverywhere(AuthenticatedUser caller, String requestId, String client) {
    return sessions
        .revokeAll(caller.id())
        .then(audit.publish("auth.logout.all", caller.id(), requestId, Map.of("client", client)))
        .then();
  }

  /**
   * Changes the caller's password after checking the current one. Every sign-in of the account ends
   * (a thief who knew the old password loses their session too); the caller gets a new one.
   */
  Mono<AuthApi.TokenResponse> changePassword(
      AuthenticatedUser caller,
      AuthApi.ChangePasswordRequest request,
      String requestId,
      String client) {
    if (request.currentPassword() == null || request.currentPassword().isEmpty()) {
      throw ApiException.validation("currentPassword", "Enter your current password.");
    }
    try {
      AccountRules.checkPassword(request.newPassword());
    } catch (ApiException e) {
      throw ApiException.validation("newPassword", e.getMessage());
    }
    return users
        .findById(caller.id())
        .switchIfEmpty(
            Mono.error(() -> ApiException.unauthorized("This account no longer exists.")))
        .flatMap(
            user ->
                limitEmail(user.email())
                    .then(passwords.matches(request.currentPassword(), user.passwordHash()))
                    .flatMap(
                        ok -> {
                          if (!ok) {
                            metrics.authFailure(AuthFailure.BAD_CREDENTIALS);
                            return audit
                                .publish(
                                    "auth.password.failure",
                                    user.id(),
                                    requestId,
                                    Map.of("client", client))
                                .then(
                                    Mono.<AuthApi.TokenResponse>error(
                                        ApiException.forbidden("The current password is wrong.")));
                          }
                          return passwords
                              .hash(request.newPassword())
                              .flatMap(hash -> users.changePassword(user.id(), hash))
                              .then(sessions.revokeAll(user.id()))
                              .then(
                                  audit.publish(
                                      "auth.password.change",
                                      user.id(),
                                      requestId,
                                      Map.of("client", client)))
                              .then(signIn(user));
                        }));
  }

  Mono<AuthApi.MeResponse> me(AuthenticatedUser caller) {
    return users
        .findById(caller.id())
        .switchIfEmpty(
            Mono.error(() -> ApiException.unauthorized("This account no longer exists.")))
        .map(
            u ->
                new AuthApi.MeResponse(
                    u.id(),
                    u.email(),
                    u.displayName(),
                    u.roles().stream().sorted().toList(),
                    u.preferencesOrDefault()));
  }

  /** Applies the fields of {@code patch} that are given onto the caller's stored preferences. */
  Mono<User.Preferences> updatePreferences(AuthenticatedUser caller, Map<String, Object> patch) {
    if (patch == null) throw ApiException.validation("body", "Send a JSON object of preferences.");
    Object autoStart = patch.get("autoStartWorkspace");
    if (patch.containsKey("autoStartWorkspace") && !(autoStart instanceof Boolean))
      throw ApiException.validation("autoStartWorkspace", "autoStartWorkspace is true or false.");
    return users
        .findById(caller.id())
        .switchIfEmpty(
            Mono.error(() -> ApiException.unauthorized("This account no longer exists.")))
        .flatMap(
            u ->
                autoStart == null
                    ? Mono.just(u.preferencesOrDefault())
                    : users.setPreferences(u.id(), new User.Preferences((Boolean) autoStart)));
  }

  private Mono<User> activeUser(String userId) {
    return users
        .findById(userId)
        .filter(user -> !user.disabled())
        .filterWhen(user -> redis.hasKey(DisabledUsers.key(user.id())).map(disabled -> !disabled));
  }

  private Mono<AuthApi.TokenResponse> signIn(User user) {
    return refreshTokens
        .startFamily(user.id())
        .flatMap(
            started ->
                tokens(user.id(), started.familyId(), started.token())
                    .switchIfEmpty(
                        refreshTokens
                            .revokeAll(user.id())
                            .then(
                                Mono.error(
                                    ApiException.forbidden(
                                        "This account is disabled; ask an administrator.")))));
  }

  /**
   * An access token for the sign-in {@code familyId}; empty when the account is gone or disabled.
   * The version is read before the account: a revocation that raced this either shows in the
   * account read after it, or raised the version past the one this token carries.
   */
  private Mono<AuthApi.TokenResponse> tokens(String userId, String familyId, String refreshToken) {
    return sessions
        .currentVersion(userId)
        .flatMap(
            version ->
                activeUser(userId)
                    .map(
                        user -> {
                          String access =
                              jwt.sign(
                                  new AuthenticatedUser(user.id(), user.email(), user.roles()),
                                  properties.accessTokenTtl(),
                                  version,
                                  familyId);
                          return new AuthApi.TokenResponse(
                              UserResponse.of(user),
                              access,
                              refreshToken,
                              properties.accessTokenTtl().toSeconds());
                        }));
  }

  private Mono<Void> limitEmail(String email) {
    return limiter.consume(
        "auth-email:" + RefreshTokenStore.hash(email),
        limits.authEmail(),
        "Too many attempts for this account; wait before trying again.");
  }
}
