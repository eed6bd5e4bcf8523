package dev.constellation.workspace.git;

import dev.constellation.common.auth.AuthProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Seals git credentials at rest with AES-256-GCM. The key is {@code GIT_CREDENTIALS_KEY} (base64 of
 * 32 random bytes) when set, else derived from {@code JWT_SECRET} with HKDF-SHA256 under its own
 * label, so a dump of the database alone reveals no token. The user id is bound as associated data:
 * a sealed secret copied onto another user's record does not open.
 */
@Component
class CredentialCipher {
  static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] INFO =
      "constellation git credentials v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  @Autowired
  CredentialCipher(
      @Value("${workspace.git.credentials-key:}") String configuredKey, AuthProperties auth) {
    this(keyFrom(configuredKey, auth.jwtSecret()));
  }

  CredentialCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  static byte[] keyFrom(String configuredKey, String jwtSecret) {
    if (configuredKey != null && !configuredKey.isBlank()) {
      byte[] raw = Base64.getDecoder().decode(configuredKey.strip());
      if (raw.length != KEY_BYTES)
        throw new IllegalStateException(
            "GIT_CREDENTIALS_KEY must be the base64 of " + KEY_BYTES + " random bytes.");
      return raw;
    }
    if (jwtSecret == null || jwtSecret.isEmpty())
      throw new IllegalStateException("Set GIT_CREDENTIALS_KEY or JWT_SECRET.");
    var hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(jwtSecret.getBytes(StandardCharsets.UTF_8), null, INFO));
    byte[] out = new byte[KEY_BYTES];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  String seal(String userId, String secret) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The secret; throws when the key or the owner does not match. */
  String open(String userId, String sealed) {
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "A stored git credential cannot be decrypted (was the key changed?)", e);
    }
  }
}
