package dev.constellation.workspace.git;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/** Generates ed25519 key pairs in OpenSSH's own encodings (what ssh-add and git hosts read). */
final class SshKeys {
  record Pair(String publicKey, String privateKey) {}

  private SshKeys() {}

  static Pair generate(String comment) {
    try {
      return generateOrThrow(comment);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Pair generateOrThrow(String comment) throws java.io.IOException {
    var generator = new Ed25519KeyPairGenerator();
    generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    String pub =
        "ssh-ed25519 "
            + Base64.getEncoder()
                .encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(pair.getPublic()))
            + " "
            + comment;
    byte[] blob = OpenSSHPrivateKeyUtil.encodePrivateKey(pair.getPrivate());
    String body =
        Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(blob);
    String priv =
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n";
    return new Pair(pub, priv);
  }
}
