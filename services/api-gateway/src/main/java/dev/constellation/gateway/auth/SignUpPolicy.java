package dev.constellation.gateway.auth;

import dev.constellation.common.problem.ApiException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Decides, before anything is stored, whether a registration may go ahead and whether it may make
 * the first admin.
 */
@Component
class SignUpPolicy {
  private final SignUpProperties properties;
  private final SetupToken setupToken;
  private final Invites invites;

  SignUpPolicy(SignUpProperties properties, SetupToken setupToken, Invites invites) {
    this.properties = properties;
    this.setupToken = setupToken;
    this.invites = invites;
  }

  /**
   * @param firstAccountIsAdmin the account becomes ADMIN if the installation has no account yet
   * @param viaSetupToken the operator's setup token came with it: the account becomes the first
   *     admin
   */
  record Admission(boolean firstAccountIsAdmin, boolean viaSetupToken) {}

  Mono<Admission> admit(String token, String inviteCode) {
    boolean setupTokenRule = properties.firstAdmin() == SignUpProperties.FirstAdmin.SETUP_TOKEN;
    if (setupTokenRule && token != null && !token.isEmpty()) {
      // The operator's own registration passes whatever the mode: it is how a closed
      // installation gets its first administrator.
      return setupToken
          .accepts(token)
          .flatMap(
              ok ->
                  ok
                      ? Mono.just(new Admission(false, true))
                      : Mono.error(
                          ApiException.forbidden(
                              "The setup token is wrong, or an administrator already exists.")));
    }
    boolean firstAccountIsAdmin = !setupTokenRule;
    return switch (properties.mode()) {
      case OPEN -> Mono.just(new Admission(firstAccountIsAdmin, false));
      case CLOSED ->
          Mono.error(
              ApiException.forbidden(
                  "Sign-up is closed here; ask an administrator for an account."));
      case INVITE_ONLY ->
          invites
              .redeem(inviteCode)
              .flatMap(
                  ok ->
                      ok
                          ? Mono.just(new Admission(firstAccountIsAdmin, false))
                          : Mono.error(
                              ApiException.forbidden(
                                  "Sign-up here needs a valid invite code; ask an administrator for one.")));
    };
  }
}
