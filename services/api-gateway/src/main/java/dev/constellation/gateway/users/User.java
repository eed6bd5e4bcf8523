package dev.constellation.gateway.users;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
    Instant createdAt,
    @Nullable Preferences preferences) {

  public static final String USER = "USER";
  public static final String ADMIN = "ADMIN";

  /**
   * Per-user settings of the IDE. Accounts made before preferences existed have none stored: they
   * read as {@link Preferences#DEFAULT}.
   */
  public record Preferences(boolean autoStartWorkspace) {
    public static final Preferences DEFAULT = new Preferences(false);
  }

  /** The stored preferences, or the defaults for an account that never changed them. */
  public Preferences preferencesOrDefault() {
    return preferences == null ? Preferences.DEFAULT : preferences;
  }

  User withRoles(Set<String> newRoles) {
    return new User(
        id,
        email,
        displayName,
        passwordHash,
        Set.copyOf(newRoles),
        disabled,
        createdAt,
        preferences);
  }

  User withPasswordHash(String newHash) {
    return new User(id, email, displayName, newHash, roles, disabled, createdAt, preferences);
  }

  User withDisabled(boolean newDisabled) {
    return new User(
        id, email, displayName, passwordHash, roles, newDisabled, createdAt, preferences);
  }
}
