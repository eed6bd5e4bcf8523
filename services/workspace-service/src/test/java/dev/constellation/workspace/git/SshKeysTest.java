package dev.constellation.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeysTest {

  @Test
  void generatesAnEd25519PairThatOpenSshReads(@TempDir Path dir) throws Exception {
    SshKeys.Pair pair = SshKeys.generate("constellation:a@example.com");
    assertThat(pair.publicKey())
        .startsWith("ssh-ed25519 ")
        .endsWith(" constellation:a@example.com");
    assertThat(pair.privateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed");
    Path key = dir.resolve("id");
    Files.writeString(key, pair.privateKey());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Process p = new ProcessBuilder("ssh-keygen", "-y", "-f", key.toString()).start();
    String derived = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    // ssh-keygen derives the same public key from the private one.
    assertThat(pair.publicKey())
        .startsWith(derived.strip().split(" ")[0] + " " + derived.strip().split(" ")[1]);
  }
}
