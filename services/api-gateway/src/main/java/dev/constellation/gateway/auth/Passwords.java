package dev.constellation.gateway.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** bcrypt, off the event loop: one hash takes tens of milliseconds of CPU on purpose. */
@Component
class Passwords {
  private final BCryptPasswordEncoder encoder;
  // Compared against when the email is unknown, so both failures cost the same time.
  private final String decoy;

  Passwords(AccountProperties properties) {
    this.encoder = new BCryptPasswordEncoder(properties.bcryptStrength());
    this.decoy = encoder.encode("decoy-password-never-matches");
  }

  Mono<String> hash(String password) {
    return Mono.fromCallable(() -> encoder.encode(password))
        .subscribeOn(Schedulers.boundedElastic());
  }

  Mono<Boolean> matches(String password, String hash) {
    return Mono.fromCallable(() -> encoder.matches(password, hash == null ? decoy : hash))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
