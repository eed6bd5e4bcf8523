package dev.constellation.gateway.users;

import java.time.Instant;
import java.util.List;

/** A user as the API shows it; {@code disabled} matters to administrators. */
public record UserResponse(
    String id,
    String email,
    String displayName,
    List<String> roles,
    boolean disabled,
    Instant createdAt) {
  public static UserResponse of(User user) {
    return new UserResponse(
        user.id(),
        user.email(),
        user.displayName(),
        user.roles().stream().sorted().toList(),
        user.disabled(),
        user.createdAt());
  }
}
