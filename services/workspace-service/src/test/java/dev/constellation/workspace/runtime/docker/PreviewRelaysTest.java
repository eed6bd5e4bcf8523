package dev.constellation.workspace.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.workspace.runtime.StdioProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreviewRelaysTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** The app in the workspace: answers one line, then closes. */
  private ServerSocket app;

  private final AtomicInteger tunnels = new AtomicInteger();

  @BeforeEach
  void startApp() throws IOException {
    app = new ServerSocket(0, 50, LOOPBACK);
    Thread t =
        new Thread(
            () -> {
              while (!app.isClosed()) {
                try (Socket s = app.accept()) {
                  var in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                  var out = new PrintWriter(s.getOutputStream(), true);
                  out.println("hello " + in.readLine());
                } catch (IOException closed) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopApp() throws IOException {
    app.close();
  }

  /** What the python relay does in a workspace: one connection to the port, as stdin and stdout. */
  private StdioProcess tunnel(String projectId, int port) {
    tunnels.incrementAndGet();
    try {
      Socket s = new Socket(LOOPBACK, app.getLocalPort());
      InputStream out = s.getInputStream();
      OutputStream in = s.getOutputStream();
      return new StdioProcess() {
        @Override
        public InputStream stdout() {
          return out;
        }

        @Override
        public OutputStream stdin() {
          return in;
        }

        @Override
        public OptionalInt exitCode() {
          return OptionalInt.empty();
        }

        @Override
        public void close() {
          try {
            s.close();
          } catch (IOException ignored) {
            // closed
          }
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PreviewRelays relays(Set<InetAddress> gateway) {
    return new PreviewRelays(LOOPBACK, List.of("tasks.api-gateway"), this::tunnel, name -> gateway);
  }

  private static String ask(int port, String line) throws IOException {
    try (Socket s = new Socket(LOOPBACK, port)) {
      s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  @Test
  void theGatewaysConnectionReachesTheAppBothWays() throws IOException {
    try (PreviewRelays relays = relays(Set.of(LOOPBACK))) {
      int port = relays.portFor("p1", 3000);
      assertThat(relays.portFor("p1", 3000))
          .as("one listener per project and port")
          .isEqualTo(port);
      assertThat(ask(port, "gateway")).isEqualTo("hello gateway");
      assertThat(ask(port, "again")).isEqualTo("hello again");
    }
  }

  @Test
  void aConnectionFromAnyoneElseIsClosedBeforeAnythingRunsInTheWorkspace() throws IOException {
    try (PreviewRelays relays = relays(Set.of(InetAddress.getByName("10.0.0.7")))) {
      int port = relays.portFor("p1", 3000);
      assertThat(ask(port, "intruder")).isEmpty();
      assertThat(tunnels).hasValue(0);
    }
  }

  @Test
  void aStoppedWorkspacesRelaysAreClosed() throws IOException {
    try (PreviewRelays relays = relays(Set.of(LOOPBACK))) {
      int port = relays.portFor("p1", 3000);
      int other = relays.portFor("p2", 3000);
      relays.closeProject("p1");
      assertThat(ask(other, "p2")).isEqualTo("hello p2");
      try (Socket s = new Socket(LOOPBACK, port)) {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      } catch (IOException refused) {
        // closed listener: refused, as expected
      }
    }
  }
}
