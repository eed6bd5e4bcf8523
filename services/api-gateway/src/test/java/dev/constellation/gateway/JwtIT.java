package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.localstack.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtIT extends GatewayTestBase {
  private static final AuthenticatedUser USER =
      new AuthenticatedUser("u-jwt", "jwt@example.com", Set.of("USER"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "none",
        "garbage",
        "tampered",
        "alg-none",
        "expired",
        "wrong-issuer",
        "wrong-audience",
        "wrong-key"
      })
  void refusesBadTokensBeforeForwarding(String kind) throws Exception {
    int before = PROJECT.requests.get();
    Response response = get("/api/projects", token(kind));
    assertProblem(response, 401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(PROJECT.requests.get()).isEqualTo(before);
  }

  @Test
  void acceptsAGoodToken() {
    assertThat(
            get(
                    "/api/projects",
                    codec(
                            TestInfrastructure.JWT_SECRET,
                            "constellation",
                            "constellation-api",
                            Clock.systemUTC())
                        .sign(USER, Duration.ofMinutes(5)))
                .status())
        .isEqualTo(200);
  }

  private static String token(String kind) throws Exception {
    JwtCodec good =
        codec(
            TestInfrastructure.JWT_SECRET, "constellation", "constellation-api", Clock.systemUTC());
    return switch (kind) {
      case "none" -> null;
      case "garbage" -> "not.a.token";
      case "tampered" -> {
        String[] parts = good.sign(USER, Duration.ofMinutes(5)).split("\\.");
        String payload =
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"USER\"", "\"ADMIN\"");
        yield parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
      }
      case "alg-none" -> new PlainJWT(claims().build()).serialize();
      case "expired" ->
          codec(
                  TestInfrastructure.JWT_SECRET,
                  "constellation",
                  "constellation-api",
                  Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC))
              .sign(USER, Duration.ofMinutes(15));
      case "wrong-issuer" ->
          codec(
                  TestInfrastructure.JWT_SECRET,
                  "someone-else",
                  "constellation-api",
                  Clock.systemUTC())
              .sign(USER, Duration.ofMinutes(5));
      case "wrong-audience" ->
          codec(TestInfrastructure.JWT_SECRET, "constellation", "another-api", Clock.systemUTC())
              .sign(USER, Duration.ofMinutes(5));
      case "wrong-key" -> {
        SignedJWT jwt =
            new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims().build());
        jwt.sign(
            new MACSigner(
                "another-secret-that-is-long-enough-for-hs256".getBytes(StandardCharsets.UTF_8)));
        yield jwt.serialize();
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .subject(USER.id())
        .issuer("constellation")
        .audience("constellation-api")
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .claim("roles", java.util.List.of("ADMIN"));
  }

  private static JwtCodec codec(String secret, String issuer, String audience, Clock clock) {
    return new JwtCodec(secret, issuer, audience, clock);
  }
}
