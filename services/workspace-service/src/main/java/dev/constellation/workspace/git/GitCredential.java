package dev.constellation.workspace.git;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/** A user's git credential; {@code sealed} is the secret encrypted by {@link CredentialCipher}. */
@Document("git_credentials")
class GitCredential {
  @Id String id;
  @Indexed String userId;
  String host;
  String kind;
  @Nullable String username;
  @Nullable String publicKey;
  String sealed;
  Instant createdAt;

  GitCredential() {}

  GitCredential(
      String userId,
      String host,
      String kind,
      @Nullable String username,
      @Nullable String publicKey,
      String sealed,
      Instant createdAt) {
    this.userId = userId;
    this.host = host;
    this.kind = kind;
    this.username = username;
    this.publicKey = publicKey;
    this.sealed = sealed;
    this.createdAt = createdAt;
  }
}
