package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-in limits through the real gateway: 10 attempts a minute per client address and per account.
 * Each test is its own client address (EdgeHttp), so the buckets are its own. A bucket refills one
 * attempt every 6 s; the allowances below add what may have refilled while a slow machine ran them.
 */
class SignInLimitsIT {
  private static final int PER_MINUTE = 10;

  @Test
  @Checklist({"A4", "B7", "B11"})
  void aClientRotatingForgedForwardingHeadersStillMeetsItsAddressLimit() throws Exception {
    EdgeHttp attacker = EdgeHttp.freshClient();
    long start = System.nanoTime();
    int answered = 0;
    int limited = 0;
    String limitDetail = null;
    for (int i = 0; i < 25 && limited < 3; i++) {
      // A different forged client address each time, in every header a proxy could use.
      String forged = "203.0.113." + (i + 1);
      var response =
          attacker.send(
              "POST",
              "/api/auth/login",
              null,
              login(unknownEmail(), "wrong password!"),
              Map.of("X-Forwarded-For", forged, "X-Real-IP", forged, "Forwarded", "for=" + forged));
      if (response.status() == 429) {
        limited++;
        limitDetail = response.json().path("detail").asString();
        assertThat(response.header("Retry-After")).isNotBlank();
      } else {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        answered++;
      }
    }
    assertThat(limited).as("the per-address sign-in limit never applied").isPositive();
    assertThat(answered).isLessThanOrEqualTo(PER_MINUTE + refilledSince(start));
    assertThat(limitDetail).contains("your address");

    // The limit is the attacker's own: another client (as behind a trusted proxy, A4) still signs
    // in.
    EdgeHttp neighbour = EdgeHttp.freshClient();
    Api.Session user = neighbour.signUp("neighbour");
    var ok =
        neighbour.post(
            "/api/auth/login", null, login(user.email(), "correct horse battery staple"));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
  }

  @Test
  @Checklist({"B7"})
  void guessingOnePasswordFromManyAddressesMeetsTheAccountLimit() throws Exception {
    Api.Session victim = EdgeHttp.freshClient().signUp("victim");
    long start = System.nanoTime();
    int answered = 0;
    String limitDetail = null;
    for (int i = 0; i < 25 && limitDetail == null; i++) {
      var response =
          EdgeHttp.freshClient()
              .post("/api/auth/login", null, login(victim.email(), "guess number " + i));
      if (response.status() == 429) {
        limitDetail = response.json().path("detail").asString();
      } else {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        answered++;
      }
    }
    assertThat(limitDetail)
        .as("the per-account sign-in limit never applied")
        .contains("this account");
    // The sign-up's own attempt and the test's login took two of the ten.
    assertThat(answered).isLessThanOrEqualTo(PER_MINUTE + refilledSince(start));
  }

  @Test
  @Checklist({"A5", "B7"})
  void encodedSignInPathsShareTheLimitOfThePlainOne() throws Exception {
    EdgeHttp attacker = EdgeHttp.freshClient();
    List<String> variants =
        List.of(
            "/api/auth/logi%6e",
            "/api/auth/%6Cogin",
            "/api/%61uth/login",
            "/%61pi/auth/login",
            "/api/auth/%6c%6f%67%69%6e");
    long start = System.nanoTime();
    int reachedLogin = 0;
    for (int i = 0; i < 50; i++) {
      String variant = variants.get(i % variants.size());
      var response = attacker.post(variant, null, login(unknownEmail(), "wrong password!"));
      if (response.status() == 400) {
        // Refused as ambiguous before any filter or handler reads it: no guess was made.
        assertThat(response.body()).as(variant).contains("/problems/ambiguous-path");
      } else if (response.status() != 429) {
        // 401 = a guess that reached sign-in (the login handler, or the token filter).
        assertThat(response.status()).as(variant + ": " + response.body()).isEqualTo(401);
        reachedLogin++;
      }
    }
    // One bucket: the encoded guesses and the plain ones together stay within the sign-in limit.
    int plainStatus = 0;
    for (int i = 0; i <= PER_MINUTE; i++) {
      plainStatus =
          attacker.post("/api/auth/login", null, login(unknownEmail(), "wrong password!")).status();
      if (plainStatus == 401) reachedLogin++;
    }
    assertThat(reachedLogin)
        .as("guesses that reached sign-in through encoded and plain paths")
        .isLessThanOrEqualTo(PER_MINUTE + refilledSince(start));
    assertThat(plainStatus).isEqualTo(429);
  }

  private static int refilledSince(long startNanos) {
    return (int) ((System.nanoTime() - startNanos) / 6_000_000_000L) + 1;
  }

  private static String unknownEmail() {
    return "nobody-" + UUID.randomUUID() + "@example.test";
  }

  private static String login(String email, String password) {
    return Api.JSON.writeValueAsString(Map.of("email", email, "password", password));
  }
}
