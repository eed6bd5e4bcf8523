package dev.constellation.gateway.auth;

import dev.constellation.gateway.users.UserService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The operator's one-time proof that they, and not a stranger who found a new deployment first,
 * register the first administrator. Given by SETUP_TOKEN, or made at start and written to the log
 * while no admin exists; only its hash is stored. It is spent by the first-admin claim: once an
 * admin exists, no token is accepted.
 */
@Component
class SetupToken {
  private static final Logger log = LoggerFactory.getLogger(SetupToken.class);
  private static final String COLLECTION = UserService.INSTALLATION;
  private static final String FIRST_ADMIN = UserService.FIRST_ADMIN;
  private static final String GENERATED = "setup-token";

  private final ReactiveMongoTemplate mongo;
  private final SignUpProperties properties;
  private final SecureRandom random = new SecureRandom();

  SetupToken(ReactiveMongoTemplate mongo, SignUpProperties properties) {
    this.mongo = mongo;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void announce() {
    if (properties.firstAdmin() != SignUpProperties.FirstAdmin.SETUP_TOKEN) return;
    try {
      Boolean adminExists =
          mongo.exists(byId(FIRST_ADMIN), COLLECTION).block(java.time.Duration.ofSeconds(10));
      if (Boolean.TRUE.equals(adminExists)) return;
      if (properties.setupToken() != null) {
        log.warn(
            "No administrator yet: register the first account with the setup token from SETUP_TOKEN.");
        return;
      }
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      mongo
          .upsert(byId(GENERATED), Update.update("hash", hex(sha256(token))), COLLECTION)
          .block(java.time.Duration.ofSeconds(10));
      // Printed once per start on purpose: it is the operator's only way to claim the installation.
      log.warn(
          "No administrator yet. Register the first account with this one-time setup token "
              + "(valid until an admin exists; a restart makes a new one): {}",
          token);
    } catch (RuntimeException e) {
      log.warn("could not prepare a setup token: {}", e.toString());
    }
  }

  /**
   * Whether {@code candidate} is the setup token and no admin exists yet. Compared in constant
   * time.
   */
  Mono<Boolean> accepts(String candidate) {
    if (candidate == null || candidate.isEmpty()) return Mono.just(false);
    byte[] given = sha256(candidate);
    Mono<byte[]> expected =
        properties.setupToken() != null
            ? Mono.just(sha256(properties.setupToken()))
            : mongo
                .findOne(byId(GENERATED), Document.class, COLLECTION)
                .map(doc -> fromHex(doc.getString("hash")))
                .defaultIfEmpty(new byte[0]);
    return mongo
        .exists(byId(FIRST_ADMIN), COLLECTION)
        .flatMap(
            adminExists ->
                adminExists
                    ? Mono.just(false)
                    : expected.map(hash -> MessageDigest.isEqual(hash, given)));
  }

  /** Called once the token made an admin: a generated token is gone for good. */
  Mono<Void> spend() {
    return mongo.remove(byId(GENERATED), COLLECTION).then();
  }

  private static Query byId(String id) {
    return Query.query(Criteria.where("_id").is(id));
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }

  private static byte[] fromHex(String hex) {
    try {
      return hex == null ? new byte[0] : java.util.HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
