package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Api;
import dev.constellation.system.SystemStack;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that abuse a terminal socket — oversized frames, floods into a shell that does not read,
 * never reading what the shell prints — are closed, and other users' terminals keep answering.
 */
class TerminalAbuseIT {
  private static Workspaces.Project attacker;
  private static Workspaces.Project bystander;

  @BeforeAll
  static void projects() throws Exception {
    Workspaces.requireDocker();
    attacker = Workspaces.newProject("flooder").start();
    bystander = Workspaces.newProject("bystander").start();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (attacker != null) attacker.delete();
    if (bystander != null) bystander.delete();
  }

  @Test
  @Checklist({"A9", "B16"})
  void aOneMegabyteFrameClosesTheSocket() throws Exception {
    TerminalClient t = TerminalClient.open(attacker);
    try {
      assertThat(t.run("echo ready-$((40+2))", "ready-42", Duration.ofSeconds(30)))
          .as(t.clean())
          .isTrue();
      byte[] frame = new byte[1024 * 1024];
      Arrays.fill(frame, (byte) 'a');
      try {
        t.socket.sendBinary(ByteBuffer.wrap(frame), true).get(20, TimeUnit.SECONDS);
      } catch (Exception refused) {
        // the peer may close while the frame is still being written
      }
      assertThat(t.closed.get(20, TimeUnit.SECONDS)).as("close code").isIn(1009, 1008, 1011, -1);
    } finally {
      t.close();
    }
    assertBystanderAnswers();
  }

  @Test
  @Checklist({"A9", "B16"})
  void aFloodIntoAShellThatDoesNotReadIsClosedWith1008() throws Exception {
    TerminalClient t = TerminalClient.open(attacker);
    try {
      assertThat(t.run("echo ready-$((40+3))", "ready-43", Duration.ofSeconds(30)))
          .as(t.clean())
          .isTrue();
      // The terminal in raw mode (as in an editor) and nothing reading it: input cannot be dropped
      // by the line discipline, so it backs up. Then 10,000 messages of 400 bytes (4 MB) as fast as
      // they go.
      t.type("stty raw -echo; sleep 300\r");
      Thread.sleep(500);
      byte[] chunk = new byte[400];
      Arrays.fill(chunk, (byte) 'x');
      long began = System.nanoTime();
      int sent = 0;
      try {
        for (; sent < 10_000 && !t.closed.isDone(); sent++) {
          t.socket.sendBinary(ByteBuffer.wrap(chunk), true).get(10, TimeUnit.SECONDS);
        }
      } catch (Exception closedMeanwhile) {
        // the server closed the socket: what the test waits for
      }
      // 1008 when the close frame arrives; -1 when the peer closed the connection while our unread
      // flood sat in its receive buffer, which makes the kernel answer with a reset that can
      // overtake the close frame. Either way the server ended the socket; a server that let the
      // flood through keeps it open past this wait (the shell sleeps for 300 s).
      assertThat(t.closed.get(30, TimeUnit.SECONDS))
          .as(
              "close code after %d messages in %d ms",
              sent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began))
          .isIn(1008, -1);
    } finally {
      t.close();
    }
    assertBystanderAnswers();
  }

  @Test
  @Checklist({"A9", "B16"})
  void aClientThatNeverReadsOutputIsClosed() throws Exception {
    TerminalClient t = TerminalClient.open(attacker, false, "");
    try {
      // Endless output to a client that takes one message and then reads nothing more.
      t.type(
          "timeout 150 yes a-line-of-output-that-fills-every-buffer-between-the-shell-and-the-client\r");
      Thread.sleep(30_000);
      assertBystanderAnswers();
      // Now read. The socket was either given up on (it ends after what was buffered), or the
      // backpressure reached tmux, which then sends the current screen rather than a backlog: a
      // server that buffered everything `yes` printed for 30 s would now deliver hundreds of MB.
      long before = t.receivedBytes();
      t.socket.request(Long.MAX_VALUE);
      Thread.sleep(5_000);
      long after = t.receivedBytes();
      assertThat(t.closed.isDone() || after - before < 16L * 1024 * 1024)
          .as("closed %s, %d bytes delivered in 5 s once read", t.closed.isDone(), after - before)
          .isTrue();
    } finally {
      t.close();
    }
    assertBystanderAnswers();
  }

  /** Another user's terminal echoes promptly and the workspace service is healthy. */
  private static void assertBystanderAnswers() throws Exception {
    var health =
        new Api(SystemStack.serviceUrl("workspace-service")).get("/actuator/health/liveness", null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    long began = System.nanoTime();
    TerminalClient other = TerminalClient.open(bystander);
    try {
      assertThat(other.run("echo still-$((6*7))", "still-42", Duration.ofSeconds(20)))
          .as(other.clean())
          .isTrue();
    } finally {
      other.close();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .as("bystander's terminal round trip")
        .isLessThan(Duration.ofSeconds(20));
  }
}
