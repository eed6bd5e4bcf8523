package dev.constellation.gateway.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** One-time invite codes for INVITE_ONLY sign-up, in Redis under their hash, with a lifetime. */
@Component
class Invites {
  private static final String PREFIX = "constellation:invite:";

  private final ReactiveStringRedisTemplate redis;
  private final SignUpProperties properties;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  Invites(ReactiveStringRedisTemplate redis, SignUpProperties properties, Clock clock) {
    this.redis = redis;
    this.properties = properties;
    this.clock = clock;
  }

  record Invite(String code, Instant expiresAt) {}

  Mono<Invite> create(String adminId) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt = clock.instant().plus(properties.inviteTtl());
    return redis
        .opsForValue()
        .set(key(code), adminId, properties.inviteTtl())
        .thenReturn(new Invite(code, expiresAt));
  }

  /** Takes the code if it exists: GETDEL, so two sign-ups racing on one code cannot both win. */
  Mono<Boolean> redeem(String code) {
    if (code == null || code.isBlank() || code.length() > 100) return Mono.just(false);
    return redis.opsForValue().getAndDelete(key(code)).map(x -> true).defaultIfEmpty(false);
  }

  private static String key(String code) {
    return PREFIX + HexFormat.of().formatHex(SetupToken.sha256(code));
  }
}
