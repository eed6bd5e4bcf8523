package dev.constellation.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.access.AccessChannels;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

class TerminalIT extends DockerStack {

  @Test
  void typedCommandsEchoBackAndResizeReachesTheTty() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    Api.Terminal t = api.connect(p, api.ticket(p), null).get(20, TimeUnit.SECONDS);
    t.type("echo hi\n");
    assertThat(t.await(Pattern.compile("(?m)^hi$"), Duration.ofSeconds(15))).as(t.clean()).isTrue();
    t.type("{\"type\":\"resize\",\"cols\":123,\"rows\":45}");
    Thread.sleep(200);
    t.socket.sendBinary(java.nio.ByteBuffer.wrap("stty size\n".getBytes()), true).join();
    assertThat(t.await(Pattern.compile("(?m)^45 123$"), Duration.ofSeconds(10)))
        .as(t.clean())
        .isTrue();

    // A second terminal in the same project works alongside.
    Api.Terminal second =
        api.connect(p, api.ticket(p), "http://127.0.0.1:" + port).get(20, TimeUnit.SECONDS);
    second.type("echo second-$((20+22))\n");
    assertThat(second.await(Pattern.compile("second-42"), Duration.ofSeconds(15))).isTrue();
    t.socket.sendClose(1000, "bye").join();
    second.socket.sendClose(1000, "bye").join();
  }

  @Test
  void newSessionsAreTitledInOrderUpToTheProjectsCap() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    // Counted and created in one exec in the container: the titles follow the count, and the
    // 21st session (workspace.terminal.max-sessions-per-project, 20) is refused.
    for (int i = 1; i <= 20; i++) {
      Api.Terminal t = api.connect(p, api.ticket(p), null).get(20, TimeUnit.SECONDS);
      Pattern title = Pattern.compile(Pattern.quote("\"title\":\"Terminal " + i + "\""));
      assertThat(t.await(title, Duration.ofSeconds(20))).as(t.clean()).isTrue();
      // Closing detaches; the session stays and counts.
      t.socket.sendClose(1000, "bye").join();
      t.closed.get(20, TimeUnit.SECONDS);
    }
    Api.Terminal refused = api.connect(p, api.ticket(p), null).get(20, TimeUnit.SECONDS);
    assertThat(refused.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1008);
  }

  @Test
  void ticketsAreOneTimeBoundToTheirProjectAndNeedAToken() throws Exception {
    String p = project("alice", "EDITOR");
    String other = project("alice", "EDITOR");
    Api api = as("alice");
    var ticket = api.post("/api/projects/" + p + "/terminal/ticket", null).json();
    assertThat(ticket.get("expiresIn").asInt()).isBetween(1, 60);
    String t = ticket.get("ticket").asString();
    assertThat(Api.handshakeStatus(api.connect(other, t, null))).isEqualTo(401);
    // The failed attempt spent it: a ticket works at most once.
    assertThat(Api.handshakeStatus(api.connect(p, t, null))).isEqualTo(401);
    String fresh = api.ticket(p);
    api.connect(p, fresh, null).get(20, TimeUnit.SECONDS).socket.sendClose(1000, "").join();
    assertThat(Api.handshakeStatus(api.connect(p, fresh, null))).isEqualTo(401);
    assertThat(Api.handshakeStatus(api.connect(p, null, null))).isEqualTo(401);
    assertThat(
            Api.withToken(port, null)
                .post("/api/projects/" + p + "/terminal/ticket", null)
                .status())
        .isEqualTo(401);
    String viewed = project("bob", "VIEWER");
    assertThat(as("bob").post("/api/projects/" + viewed + "/terminal/ticket", null).status())
        .isEqualTo(403);
  }

  @Test
  void foreignOriginsAreRefusedAndConfiguredOnesAccepted() throws Exception {
    String p = project("alice", "EDITOR");
    Api api = as("alice");
    String ticket = api.ticket(p);
    assertThat(Api.handshakeStatus(api.connect(p, ticket, "https://evil.example.net")))
        .isEqualTo(403);
    var ok = api.connect(p, api.ticket(p), "https://ide.example.com").get(20, TimeUnit.SECONDS);
    ok.socket.sendClose(1000, "").join();
  }

  @Test
  void socketsCloseWhenTheWorkspaceStopsOrTheUserLosesAccess() throws Exception {
    String p = project("alice", "EDITOR");
    ACCESS.grant(p, "carol", "EDITOR");
    Api alice = as("alice");
    Api carol = as("carol");
    Api.Terminal aliceTerm = alice.connect(p, alice.ticket(p), null).get(20, TimeUnit.SECONDS);
    Api.Terminal carolTerm = carol.connect(p, carol.ticket(p), null).get(20, TimeUnit.SECONDS);

    // The handshake completes before the shell is attached: wait until both answer.
    aliceTerm.type("echo ready-a\n");
    carolTerm.type("echo ready-c\n");
    assertThat(aliceTerm.await(Pattern.compile("(?m)^ready-a$"), Duration.ofSeconds(15))).isTrue();
    assertThat(carolTerm.await(Pattern.compile("(?m)^ready-c$"), Duration.ofSeconds(15))).isTrue();

    ACCESS.revoke(p, "carol");
    Long receivers =
        bean(StringRedisTemplate.class).convertAndSend(AccessChannels.ACCESS_CHANGED, p);
    assertThat(receivers).isPositive();
    assertThat(carolTerm.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(aliceTerm.closed.isDone()).isFalse();

    alice.post("/api/projects/" + p + "/workspace/stop", null);
    assertThat(aliceTerm.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
  }
}
