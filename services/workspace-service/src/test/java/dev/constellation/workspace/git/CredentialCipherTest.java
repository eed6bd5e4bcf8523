package dev.constellation.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {
  private static final String JWT = "a-jwt-secret-of-at-least-thirty-two-bytes!";

  @Test
  void sealsAndOpensWithoutKeepingThePlaintext() {
    var cipher = new CredentialCipher(CredentialCipher.keyFrom("", JWT));
    String sealed = cipher.seal("user-1", "ghp_secretToken123");
    assertThat(sealed).doesNotContain("ghp_secretToken123");
    assertThat(new String(Base64.getDecoder().decode(sealed))).doesNotContain("secretToken");
    assertThat(cipher.open("user-1", sealed)).isEqualTo("ghp_secretToken123");
    // A fresh nonce each time: the same secret never seals to the same text.
    assertThat(cipher.seal("user-1", "ghp_secretToken123")).isNotEqualTo(sealed);
  }

  @Test
  void aSealedSecretDoesNotOpenForAnotherUserOrUnderAnotherKey() {
    var cipher = new CredentialCipher(CredentialCipher.keyFrom("", JWT));
    String sealed = cipher.seal("user-1", "token");
    assertThatThrownBy(() -> cipher.open("user-2", sealed))
        .isInstanceOf(IllegalStateException.class);
    var other = new CredentialCipher(CredentialCipher.keyFrom("", JWT + "x"));
    assertThatThrownBy(() -> other.open("user-1", sealed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aConfiguredKeyWinsAndMustBe32Bytes() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(CredentialCipher.keyFrom(key, JWT)).isEqualTo(new byte[32]);
    assertThat(CredentialCipher.keyFrom("", JWT)).hasSize(32).isNotEqualTo(JWT.getBytes());
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> CredentialCipher.keyFrom(shortKey, JWT))
        .isInstanceOf(IllegalStateException.class);
  }
}
