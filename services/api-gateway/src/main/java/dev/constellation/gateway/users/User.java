package dev.constellation.gateway.users;

import java.time.Instant;
import java.util.Set;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/** An account. {@code email} is stored lower-cased, so the unique index is case-insensitive. */
@Document("users")
public record User(
    @Id String id,
    @Indexed(unique = true) String email,
    String displayName,
    String passwordHash,
    Set<String> roles,
    boolean disabled,
    Instant createdAt) {

  public static final String USER = "USER";
  public static final String ADMIN = "ADMIN";

  User withRoles(Set<String> newRoles) {
    return new User(
        id, email, displayName, passwordHash, Set.copyOf(newRoles), disabled, createdAt);
  }

  User withPasswordHash(String newHash) {
    return new User(id, email, displayName, newHash, roles, disabled, createdAt);
  }

  User withDisabled(boolean newDisabled) {
    return new User(id, email, displayName, passwordHash, roles, newDisabled, createdAt);
  }
}
