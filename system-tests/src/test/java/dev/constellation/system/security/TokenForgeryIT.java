package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.constellation.localstack.TestInfrastructure;
import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged, stale and misdirected tokens, sent to the gateway and to each service directly (a request
 * that skips the gateway meets the same rules): 401 everywhere. Key-locating headers (jku, x5u,
 * jwk, kid) are never followed: a key server of the attacker's sees no request.
 */
class TokenForgeryIT {
  private static final String ISSUER = "constellation";
  private static final String AUDIENCE = "constellation-api";
  private static final String ATTACKER_KEY = "another-secret-that-is-also-long-enough-for-hs256";
  private static final List<String> SERVICES =
      List.of("project-service", "workspace-service", "claude-service");

  /** Stands for attacker.example: serves "keys" and counts who came to fetch them. */
  private static HttpServer keyServer;

  private static final AtomicInteger keyFetches = new AtomicInteger();
  private static String refreshToken;

  @BeforeAll
  static void attackersKeyServerAndARealRefreshToken() throws Exception {
    keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    keyServer.createContext(
        "/",
        exchange -> {
          keyFetches.incrementAndGet();
          byte[] body =
              ("{\"keys\":[" + attackerJwk().toJSONString() + "]}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    keyServer.start();
    refreshToken = new Api(SystemStack.gatewayUrl()).register("refresh").refreshToken();
  }

  @AfterAll
  static void stopKeyServer() {
    keyServer.stop(0);
  }

  private static URI keyUrl(String path) {
    return URI.create("http://127.0.0.1:" + keyServer.getAddress().getPort() + path);
  }

  static Stream<Arguments> forgedTokens() throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet valid = claims(ISSUER, AUDIENCE, now.plusSeconds(600), null);
    String good = hs256(new JWSHeader(JWSAlgorithm.HS256), valid, TestInfrastructure.JWT_SECRET);
    String[] parts = good.split("\\.");
    String adminPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                valid.toString().replace("\"USER\"", "\"ADMIN\"").getBytes(StandardCharsets.UTF_8));
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("attacker").generate();
    SignedJWT embeddedJwk =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(rsa.toPublicJWK()).build(), valid);
    embeddedJwk.sign(new RSASSASigner(rsa));
    SignedJWT rsaWithJku =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwkURL(keyUrl("/jwks.json"))
                .keyID("attacker")
                .build(),
            valid);
    rsaWithJku.sign(new RSASSASigner(rsa));
    return Stream.of(
        Arguments.of("B1 no token", null),
        Arguments.of("B1 garbage", "not-a-jwt"),
        Arguments.of("B1 alg none", new PlainJWT(valid).serialize()),
        Arguments.of("B1 alg none, signature kept", new PlainJWT(valid).serialize() + parts[2]),
        Arguments.of("B1 stripped signature", parts[0] + "." + parts[1] + "."),
        Arguments.of("B1 payload changed to ADMIN", parts[0] + "." + adminPayload + "." + parts[2]),
        Arguments.of(
            "B1 HS256 with another key",
            hs256(new JWSHeader(JWSAlgorithm.HS256), valid, ATTACKER_KEY)),
        Arguments.of(
            "B1 HS512 with the real key",
            hs(
                JWSAlgorithm.HS512,
                valid,
                TestInfrastructure.JWT_SECRET + TestInfrastructure.JWT_SECRET)),
        Arguments.of(
            "B2 expired",
            hs256(
                new JWSHeader(JWSAlgorithm.HS256),
                claims(ISSUER, AUDIENCE, now.minusSeconds(600), null),
                TestInfrastructure.JWT_SECRET)),
        Arguments.of(
            "B2 not valid before an hour from now",
            hs256(
                new JWSHeader(JWSAlgorithm.HS256),
                claims(ISSUER, AUDIENCE, now.plusSeconds(7200), now.plusSeconds(3600)),
                TestInfrastructure.JWT_SECRET)),
        Arguments.of(
            "B2 wrong issuer",
            hs256(
                new JWSHeader(JWSAlgorithm.HS256),
                claims("someone-else", AUDIENCE, now.plusSeconds(600), null),
                TestInfrastructure.JWT_SECRET)),
        Arguments.of(
            "B2 wrong audience",
            hs256(
                new JWSHeader(JWSAlgorithm.HS256),
                claims(ISSUER, "another-api", now.plusSeconds(600), null),
                TestInfrastructure.JWT_SECRET)),
        Arguments.of("B2 refresh token as access token", refreshToken),
        Arguments.of("B3 RS256 with its own key in a jwk header", embeddedJwk.serialize()),
        Arguments.of("B3 RS256 naming the attacker's jku", rsaWithJku.serialize()),
        Arguments.of(
            "B3 HS256 with another key naming a jku, x5u and kid",
            hs256(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .jwkURL(keyUrl("/jwks.json"))
                    .x509CertURL(keyUrl("/cert.pem"))
                    .keyID("../../../../dev/null")
                    .build(),
                valid,
                ATTACKER_KEY)),
        Arguments.of(
            "B3 HS256 with another key, naming the attacker's public jwk",
            hs256(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .jwk(rsa.toPublicJWK())
                    .keyID("attacker")
                    .build(),
                valid,
                ATTACKER_KEY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgedTokens")
  @Checklist({"B1", "B2", "B3"})
  void forgedOrStaleTokensAre401AtTheGatewayAndAtEveryService(String label, String token)
      throws Exception {
    for (String service : SERVICES) {
      var response = new Api(SystemStack.serviceUrl(service)).get(pathAt(service), token);
      assertThat(response.statusCode()).as(service + " with " + label).isEqualTo(401);
      assertThat(Api.json(response).path("status").asInt()).isEqualTo(401);
    }
    var viaGateway = new Api(SystemStack.gatewayUrl()).get("/api/projects", token);
    assertThat(viaGateway.statusCode()).as("gateway with " + label).isEqualTo(401);
    assertThat(keyFetches.get()).as("requests to the attacker's key server").isZero();
  }

  @Test
  @Checklist("B3")
  void keyLocatingHeadersOnARealTokenAreIgnoredNeverFetched() throws Exception {
    JWTClaimsSet valid = claims(ISSUER, AUDIENCE, Instant.now().plusSeconds(600), null);
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("attacker").generate();
    String token =
        hs256(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .jwkURL(keyUrl("/jwks.json"))
                .x509CertURL(keyUrl("/cert.pem"))
                .keyID("attacker")
                .jwk(rsa.toPublicJWK())
                .build(),
            valid,
            TestInfrastructure.JWT_SECRET);
    // Signed with the real key, the token is what it is: the headers change nothing and cost no
    // fetch.
    for (String service : SERVICES) {
      var response = new Api(SystemStack.serviceUrl(service)).get(pathAt(service), token);
      assertThat(response.statusCode()).as(service).isNotEqualTo(401).isLessThan(500);
    }
    assertThat(new Api(SystemStack.gatewayUrl()).get("/api/projects", token).statusCode())
        .isEqualTo(200);
    assertThat(keyFetches.get()).as("requests to the attacker's key server").isZero();
  }

  private static String pathAt(String service) {
    return switch (service) {
      case "project-service" -> "/api/projects";
      case "workspace-service" -> "/api/projects/p1/workspace";
      default -> "/api/projects/p1/conversations";
    };
  }

  private static JWK attackerJwk() {
    return new OctetSequenceKey.Builder(ATTACKER_KEY.getBytes(StandardCharsets.UTF_8))
        .keyID("attacker")
        .build();
  }

  private static JWTClaimsSet claims(
      String issuer, String audience, Instant expires, Instant notBefore) {
    return new JWTClaimsSet.Builder()
        .subject("user-forged")
        .issuer(issuer)
        .audience(audience)
        .issueTime(Date.from(Instant.now().minusSeconds(700)))
        .expirationTime(Date.from(expires))
        .notBeforeTime(notBefore == null ? null : Date.from(notBefore))
        .claim("email", "mallory@example.test")
        .claim("roles", List.of("USER"))
        .build();
  }

  private static String hs256(JWSHeader header, JWTClaimsSet claims, String key) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String hs(JWSAlgorithm alg, JWTClaimsSet claims, String key) throws Exception {
    return hs256(new JWSHeader(alg), claims, key);
  }
}
