package dev.constellation.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Signs and verifies access tokens (HS256). Every service verifies every token itself, so that a
 * request reaching a service directly is held to the same rules as one through the gateway.
 */
public final class JwtCodec {

  public static final int MIN_SECRET_BYTES = 32;

  /** Allowed clock difference between services; also how long an expired token still counts. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  static final String VERSION_CLAIM = "ver";
  static final String SESSION_CLAIM = "sid";

  private final byte[] secret;
  private final String issuer;
  private final String audience;
  private final Clock clock;

  public JwtCodec(String secret, String issuer, String audience, Clock clock) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "JWT_SECRET must be at least "
              + MIN_SECRET_BYTES
              + " bytes long; set it in .env or the environment");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
  }

  public String sign(AuthenticatedUser user, Duration ttl) {
    return sign(user, ttl, 0, null);
  }

  /**
   * A token for a sign-in: {@code version} is the user's token version read before signing and
   * {@code sessionId} the refresh-token family, so that {@link TokenRevocations} can refuse the
   * token as soon as either is revoked.
   */
  public String sign(AuthenticatedUser user, Duration ttl, long version, String sessionId) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .subject(user.id())
            .issuer(issuer)
            .audience(audience)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim("email", user.email())
            .claim("roles", List.copyOf(user.roles()));
    if (version > 0) builder.claim(VERSION_CLAIM, version);
    if (sessionId != null) builder.claim(SESSION_CLAIM, sessionId);
    JWTClaimsSet claims = builder.build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
  }

  /** A short-lived token one service presents to another for calls no user makes. */
  public String signServiceToken(String serviceName) {
    return sign(
        new AuthenticatedUser(
            "service:" + serviceName, null, java.util.Set.of(AuthenticatedUser.SERVICE)),
        Duration.ofMinutes(2));
  }

  public AuthenticatedUser verify(String token) {
    return verifyAccess(token).user();
  }

  /** Verifies like {@link #verify} and also returns the claims revocation is decided on. */
  public AccessToken verifyAccess(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException("missing token");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("malformed token");
    }
    // Pinning the algorithm refuses "alg: none" and any attempt to switch to another family; the
    // key is ours alone, so jku, x5u, jwk and kid headers are never read (nothing is fetched).
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidTokenException("unexpected algorithm");
    }
    try {
      if (!jwt.verify(new MACVerifier(secret))) {
        throw new InvalidTokenException("bad signature");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Instant now = clock.instant();
      if (claims.getExpirationTime() == null
          || claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
        throw new InvalidTokenException("expired token");
      }
      if (claims.getNotBeforeTime() != null
          && claims.getNotBeforeTime().toInstant().minus(CLOCK_SKEW).isAfter(now)) {
        throw new InvalidTokenException("token not yet valid");
      }
      if (!issuer.equals(claims.getIssuer())) {
        throw new InvalidTokenException("wrong issuer");
      }
      if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
        throw new InvalidTokenException("wrong audience");
      }
      if (claims.getSubject() == null) {
        throw new InvalidTokenException("no subject");
      }
      List<String> roles = claims.getStringListClaim("roles");
      Long version = claims.getLongClaim(VERSION_CLAIM);
      AuthenticatedUser user =
          new AuthenticatedUser(
              claims.getSubject(),
              claims.getStringClaim("email"),
              roles == null ? java.util.Set.of() : new LinkedHashSet<>(roles));
      return new AccessToken(
          user, version == null ? 0 : version, claims.getStringClaim(SESSION_CLAIM));
    } catch (JOSEException | ParseException e) {
      throw new InvalidTokenException("unverifiable token");
    }
  }
}
