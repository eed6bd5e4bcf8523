package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What sign-up on the local stack tells a stranger: nothing about who has an account. */
class SignUpIT {

  @Test
  @Checklist({"A14"})
  void registeringAKnownEmailLooksLikeRegisteringANewOneAndChangesNothing() throws Exception {
    EdgeHttp client = EdgeHttp.freshClient();
    Api.Session owner = client.signUp("owner");

    var taken =
        client.post(
            "/api/auth/register",
            null,
            register(owner.email().toUpperCase(), "an attacker's password"));
    var free =
        client.post(
            "/api/auth/register",
            null,
            register("free-" + UUID.randomUUID() + "@example.test", "an attacker's password"));

    assertThat(taken.status()).isEqualTo(202);
    assertThat(free.status()).isEqualTo(202);
    assertThat(taken.body()).isEqualTo(free.body());
    assertThat(taken.header("Content-Type")).isEqualTo(free.header("Content-Type"));
    assertThat(taken.body()).doesNotContain("accessToken", "exists", "taken");

    // The owner's account is untouched: their password still works, the attacker's does not.
    var ownLogin =
        client.post("/api/auth/login", null, login(owner.email(), "correct horse battery staple"));
    assertThat(ownLogin.status()).isEqualTo(200);
    assertThat(ownLogin.json().path("user").path("id").asString()).isEqualTo(owner.userId());
    assertThat(
            client
                .post("/api/auth/login", null, login(owner.email(), "an attacker's password"))
                .status())
        .isEqualTo(401);
  }

  static String register(String email, String password) {
    return Api.JSON.writeValueAsString(
        Map.of("email", email, "password", password, "displayName", "Someone"));
  }

  static String login(String email, String password) {
    return Api.JSON.writeValueAsString(Map.of("email", email, "password", password));
  }
}
