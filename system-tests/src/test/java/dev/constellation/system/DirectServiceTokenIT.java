package dev.constellation.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.constellation.localstack.TestInfrastructure;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every service verifies tokens itself: a request that skips the gateway meets the same rules. */
class DirectServiceTokenIT {
  private static final String OTHER_KEY = "another-secret-that-is-also-long-enough-for-hs256";

  static Stream<Arguments> badTokens() throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet valid = claims("constellation", "constellation-api", now.plusSeconds(600));
    String good = sign(valid, TestInfrastructure.JWT_SECRET);
    String[] parts = good.split("\\.");
    String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims("constellation", "constellation-api", now.plusSeconds(600)).toString()
            .replace("\"USER\"", "\"ADMIN\"").getBytes());
    return Stream.of(
        Arguments.of("no token", null),
        Arguments.of("garbage", "not-a-jwt"),
        Arguments.of("tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2]),
        Arguments.of("alg none", new PlainJWT(valid).serialize()),
        Arguments.of("expired", sign(claims("constellation", "constellation-api", now.minusSeconds(600)), TestInfrastructure.JWT_SECRET)),
        Arguments.of("wrong issuer", sign(claims("someone-else", "constellation-api", now.plusSeconds(600)), TestInfrastructure.JWT_SECRET)),
        Arguments.of("wrong audience", sign(claims("constellation", "another-api", now.plusSeconds(600)), TestInfrastructure.JWT_SECRET)),
        Arguments.of("wrong key", sign(valid, OTHER_KEY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void everyServiceRefusesBadTokensWith401(String label, String token) throws Exception {
    for (String service : List.of("project-service", "workspace-service", "claude-service")) {
      Api direct = new Api(SystemStack.serviceUrl(service));
      var response = direct.get(pathOf(service), token);
      assertThat(response.statusCode()).as(service + " with " + label).isEqualTo(401);
      assertThat(Api.json(response).path("status").asInt()).isEqualTo(401);
    }
    var viaGateway = new Api(SystemStack.gatewayUrl()).get("/api/projects", token);
    assertThat(viaGateway.statusCode()).as("gateway with " + label).isEqualTo(401);
  }

  private static String pathOf(String service) {
    return switch (service) {
      case "project-service" -> "/api/projects";
      case "workspace-service" -> "/api/projects/p1/workspace";
      default -> "/api/projects/p1/conversations";
    };
  }

  private static JWTClaimsSet claims(String issuer, String audience, Instant expires) {
    return new JWTClaimsSet.Builder()
        .subject("user-1")
        .issuer(issuer)
        .audience(audience)
        .issueTime(Date.from(Instant.now().minusSeconds(700)))
        .expirationTime(Date.from(expires))
        .claim("email", "mallory@example.test")
        .claim("roles", List.of("USER"))
        .build();
  }

  private static String sign(JWTClaimsSet claims, String key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(key.getBytes()));
    return jwt.serialize();
  }
}
