package dev.constellation.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-JVM host: what each service is given, and when its archive may be used. */
class OneJvmTest {
  private static final List<String> OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m");

  @TempDir Path root;

  @Test
  void eachServiceGetsItsOwnJarPortLogAndOnlyWorkspaceServiceItsOverrides() throws Exception {
    writeJars("v1");
    OneJvm host = new OneJvm(root, OPTIONS);
    Path logs = root.resolve("data/logs");
    Path plan =
        host.writePlan(
            spec -> spec.defaultPort() + 1000,
            "0.0.0.0",
            logs,
            Map.of("WORKSPACE_RUNTIME", "local"));

    Properties read = new Properties();
    try (InputStream in = Files.newInputStream(plan)) {
      read.load(in);
    }
    for (int i = 0; i < LocalStack.SERVICES.size(); i++) {
      var spec = LocalStack.SERVICES.get(i);
      assertEquals(spec.name(), read.getProperty(i + ".name"));
      assertTrue(read.getProperty(i + ".jar").contains("services/" + spec.name() + "/target/cds"));
      assertEquals(logs.resolve(spec.name() + ".log").toString(), read.getProperty(i + ".log"));
      String address = spec.name().equals("api-gateway") ? "0.0.0.0" : LocalStack.LOOPBACK;
      assertEquals("--server.address=" + address, read.getProperty(i + ".arg.0"));
      assertEquals("--server.port=" + (spec.defaultPort() + 1000), read.getProperty(i + ".arg.1"));
      assertEquals(
          spec.name().equals("workspace-service") ? "local" : null,
          read.getProperty(i + ".env.WORKSPACE_RUNTIME"));
    }
    // One heap for the four instead of four capped ones.
    assertTrue(host.jvmArgs().contains("-Xmx1g"));
    assertFalse(host.jvmArgs().contains("-Xmx384m"));
  }

  @Test
  void theArchiveIsUsedOnlyForTheServiceJarsItWasRecordedWith() throws Exception {
    writeJars("v1");
    OneJvm host = new OneJvm(root, OPTIONS);
    assertFalse(host.archiveReady(), "nothing recorded yet");
    host.recordingArgs();
    Files.createDirectories(root.resolve("libs/local-stack/target/one-jvm"));
    Files.writeString(root.resolve("libs/local-stack/target/one-jvm/app.jsa"), "archive");
    assertTrue(host.markRecorded());
    assertTrue(host.archiveReady());
    assertTrue(host.startArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")));
    assertFalse(new OneJvm(root, List.of("-Xss1m")).archiveReady(), "other JVM options");

    writeJars("v2, rebuilt");
    assertFalse(host.archiveReady(), "a rebuilt service jar");
  }

  private void writeJars(String content) throws Exception {
    for (var spec : LocalStack.SERVICES) {
      Path jar = spec.jar(root);
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, spec.name() + " " + content);
    }
  }
}
