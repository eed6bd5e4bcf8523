package dev.constellation.system.security;

import static dev.constellation.system.security.Accounts.PASSWORD;
import static dev.constellation.system.security.Accounts.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.security.Accounts.Session;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Revocation at once (A13, B4–B6): whatever ends a user's tokens — sign-out, password change,
 * disabling, deleting, a role change, a replayed refresh token — ends them on the very next request
 * at the gateway and at every service reached directly, not when they expire.
 */
class RevocationIT {
  private static final List<String> EVERYWHERE =
      List.of("api-gateway", "project-service", "workspace-service", "claude-service");

  @Test
  @Checklist({"A13", "B5"})
  void afterLogoutTheSameAccessTokenIsRefusedAtTheGatewayAndAtEveryService() throws Exception {
    Session user = Accounts.register("logout");
    assertAccepted(user.accessToken());

    Accounts.logout(user);

    assertRefused(user.accessToken());
    assertThat(Accounts.refresh(user.refreshToken()).statusCode()).isEqualTo(401);
    // Only that sign-in ended: signing in again works.
    assertAccepted(Accounts.login(user.email(), PASSWORD).accessToken());
  }

  @Test
  @Checklist({"A13", "B5"})
  void logoutEverywhereEndsEverySignIn() throws Exception {
    Session laptop = Accounts.register("everywhere");
    Session phone = Accounts.login(laptop.email(), PASSWORD);

    var all = send("POST", Accounts.gateway() + "/api/auth/logout-all", laptop.accessToken(), null);
    assertThat(all.statusCode()).as(all.body()).isEqualTo(204);

    assertRefused(laptop.accessToken());
    assertRefused(phone.accessToken());
    assertThat(Accounts.refresh(phone.refreshToken()).statusCode()).isEqualTo(401);
  }

  @Test
  @Checklist({"A13", "B5"})
  void aPasswordChangeEndsEveryOtherSignInAndTheOldPassword() throws Exception {
    Session user = Accounts.register("password");
    Session thief = Accounts.login(user.email(), PASSWORD);
    String newPassword = "a completely different passphrase";

    var wrong =
        send(
            "POST",
            Accounts.gateway() + "/api/auth/password",
            user.accessToken(),
            Map.of("currentPassword", "not the password", "newPassword", newPassword));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertAccepted(thief.accessToken());

    var changed =
        send(
            "POST",
            Accounts.gateway() + "/api/auth/password",
            user.accessToken(),
            Map.of("currentPassword", PASSWORD, "newPassword", newPassword));
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    Session fresh = Accounts.session(changed);

    assertRefused(user.accessToken());
    assertRefused(thief.accessToken());
    assertThat(Accounts.refresh(thief.refreshToken()).statusCode()).isEqualTo(401);
    assertThat(Accounts.refresh(user.refreshToken()).statusCode()).isEqualTo(401);
    assertAccepted(fresh.accessToken());
    var oldPassword =
        Accounts.signInCall("/api/auth/login", Map.of("email", user.email(), "password", PASSWORD));
    assertThat(oldPassword.statusCode()).isEqualTo(401);
  }

  @Test
  @Checklist({"A13", "B5"})
  void disablingAnAccountRefusesItsTokensAtOnceEverywhere() throws Exception {
    Session admin = Accounts.admin();
    Session user = Accounts.register("disabled");
    assertAccepted(user.accessToken());

    Accounts.updateUser(admin, user.userId(), Map.of("disabled", true));

    assertRefused(user.accessToken());
    assertThat(Accounts.refresh(user.refreshToken()).statusCode()).isEqualTo(401);
  }

  @Test
  @Checklist({"A13", "B5"})
  void deletingAnAccountRefusesItsTokensAtOnceEverywhere() throws Exception {
    Session admin = Accounts.admin();
    Session user = Accounts.register("deleted");
    assertAccepted(user.accessToken());

    var deleted =
        send(
            "DELETE",
            Accounts.gateway() + "/api/admin/users/" + user.userId(),
            admin.accessToken(),
            null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

    assertRefused(user.accessToken());
    assertThat(Accounts.refresh(user.refreshToken()).statusCode()).isEqualTo(401);
    var login =
        Accounts.signInCall("/api/auth/login", Map.of("email", user.email(), "password", PASSWORD));
    assertThat(login.statusCode()).isEqualTo(401);
  }

  @Test
  @Checklist({"B6", "A13"})
  void aDemotedAdminLosesTheAdminEndpointsOnTheNextRequest() throws Exception {
    Session admin = Accounts.admin();
    Session other = Accounts.promoted("demoted");
    assertThat(
            send("GET", Accounts.gateway() + "/api/admin/users", other.accessToken(), null)
                .statusCode())
        .isEqualTo(200);

    Accounts.updateUser(admin, other.userId(), Map.of("roles", List.of("USER")));

    // The token that still says ADMIN no longer counts, nor does its sign-in (role change).
    int next =
        send("GET", Accounts.gateway() + "/api/admin/users", other.accessToken(), null)
            .statusCode();
    assertThat(next).isIn(401, 403);
    var patch =
        send(
            "PATCH",
            Accounts.gateway() + "/api/admin/users/" + admin.userId(),
            other.accessToken(),
            Map.of("disabled", true));
    assertThat(patch.statusCode()).isIn(401, 403);
    assertThat(Accounts.refresh(other.refreshToken()).statusCode()).isEqualTo(401);
    // Signed in again, the account is an ordinary user: 403 on every admin endpoint.
    Session demoted = Accounts.login(other.email(), PASSWORD);
    assertThat(
            send("GET", Accounts.gateway() + "/api/admin/users", demoted.accessToken(), null)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    "PATCH",
                    Accounts.gateway() + "/api/admin/users/" + admin.userId(),
                    demoted.accessToken(),
                    Map.of("disabled", true))
                .statusCode())
        .isEqualTo(403);
    // The admin who did it is untouched.
    assertThat(
            send("GET", Accounts.gateway() + "/api/admin/users", admin.accessToken(), null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  @Checklist({"B4"})
  void replayingARotatedRefreshTokenRevokesTheWholeFamilyAndItsAccessTokens() throws Exception {
    Session user = Accounts.register("replay");
    Session otherDevice = Accounts.login(user.email(), PASSWORD);
    var rotated = Accounts.refresh(user.refreshToken());
    assertThat(rotated.statusCode()).isEqualTo(200);
    Session next = Accounts.session(rotated);
    assertAccepted(next.accessToken());

    // The stolen, already used token comes back.
    assertThat(Accounts.refresh(user.refreshToken()).statusCode()).isEqualTo(401);

    // The newer refresh token of the family is gone too, and so are the family's access tokens.
    assertThat(Accounts.refresh(next.refreshToken()).statusCode()).isEqualTo(401);
    assertRefused(next.accessToken());
    assertRefused(user.accessToken());
    // Another sign-in of the same account is not that family.
    assertAccepted(otherDevice.accessToken());
    assertThat(Accounts.refresh(otherDevice.refreshToken()).statusCode()).isEqualTo(200);
  }

  private static void assertAccepted(String token) throws Exception {
    Map<String, Integer> statuses = Accounts.statusEverywhere(token);
    for (String where : EVERYWHERE) {
      assertThat(statuses.get(where))
          .as("%s accepts a live token: %s", where, statuses)
          .isNotIn(401, 503);
    }
  }

  private static void assertRefused(String token) throws Exception {
    Map<String, Integer> statuses = Accounts.statusEverywhere(token);
    for (String where : EVERYWHERE) {
      assertThat(statuses.get(where))
          .as("%s refuses a revoked token: %s", where, statuses)
          .isEqualTo(401);
    }
  }
}
