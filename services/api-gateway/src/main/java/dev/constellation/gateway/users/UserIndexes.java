package dev.constellation.gateway.users;

import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The unique email index is what makes "409 on duplicate email" hold under concurrent sign-ups;
 * made explicitly rather than trusting annotation scanning to have run for this entity.
 */
@Component
class UserIndexes {
  private final UserService users;

  UserIndexes(UserService users) {
    this.users = users;
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UserIndexes.class);

  @EventListener(ApplicationReadyEvent.class)
  void create() {
    try {
      users.ensureIndexes().block(Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      // Readiness already reports Mongo down; @Indexed creates the index once it is back.
      log.warn("could not create the unique email index now: {}", e.toString());
    }
  }
}
