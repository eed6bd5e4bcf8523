package dev.constellation.workspace.runtime.docker;

import dev.constellation.workspace.runtime.StdioProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Previews of workspaces this service cannot reach over a network (Swarm mode: each is alone on an
 * internal overlay network of its own). Per project and port, a listener of this service's; each
 * connection the gateway opens to it becomes a process in the workspace that connects to that port
 * on the workspace's loopback, and the bytes go both ways through its standard input and output
 * (HTTP and WebSocket alike). Only the gateway may connect: a connection from any address that
 * {@code clients} does not resolve to is closed before anything runs.
 */
final class PreviewRelays implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PreviewRelays.class);

  /** Starts the process in the workspace that carries one connection to {@code port}. */
  interface Tunnel {
    StdioProcess open(String projectId, int port);
  }

  /** Every address a name stands for. */
  interface Resolver {
    Set<InetAddress> addresses(String name) throws UnknownHostException;
  }

  private record Key(String projectId, int port) {}

  private final Map<Key, ServerSocket> listeners = new ConcurrentHashMap<>();
  private final InetAddress bind;
  private final List<String> clients;
  private final Tunnel tunnel;
  private final Resolver resolver;

  PreviewRelays(InetAddress bind, List<String> clients, Tunnel tunnel, Resolver resolver) {
    this.bind = bind;
    this.clients = List.copyOf(clients);
    this.tunnel = tunnel;
    this.resolver = resolver;
  }

  static PreviewRelays of(List<String> clients, Tunnel tunnel) {
    try {
      return new PreviewRelays(
          InetAddress.getByName("0.0.0.0"),
          clients,
          tunnel,
          name -> Set.of(InetAddress.getAllByName(name)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The port of this service that relays to {@code port} in the project's workspace. */
  int portFor(String projectId, int port) {
    ServerSocket listener =
        listeners.computeIfAbsent(
            new Key(projectId, port),
            key -> {
              try {
                ServerSocket server = new ServerSocket();
                server.bind(new InetSocketAddress(bind, 0), 64);
                daemon("preview-relay-" + port, () -> accept(server, key));
                log.info(
                    "relaying previews of port {} in project {} at port {}",
                    port,
                    projectId,
                    server.getLocalPort());
                return server;
              } catch (IOException e) {
                throw new IllegalStateException("no port for a preview relay: " + e, e);
              }
            });
    return listener.getLocalPort();
  }

  /** The workspace stopped or went away: its relays end with it. */
  void closeProject(String projectId) {
    listeners.entrySet().removeIf(e -> e.getKey().projectId().equals(projectId) && close(e));
  }

  @Override
  public void close() {
    listeners.entrySet().removeIf(this::close);
  }

  private boolean close(Map.Entry<Key, ServerSocket> entry) {
    try {
      entry.getValue().close();
    } catch (IOException ignored) {
      // closing anyway
    }
    return true;
  }

  private void accept(ServerSocket server, Key key) {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      daemon("preview-relay-" + key.port(), () -> relay(client, key));
    }
  }

  private void relay(Socket client, Key key) {
    try (client) {
      if (!allowed(client.getInetAddress())) {
        log.warn(
            "refused a preview connection from {} to port {} in project {}",
            client.getInetAddress().getHostAddress(),
            key.port(),
            key.projectId());
        return;
      }
      InputStream fromClient = client.getInputStream();
      OutputStream toClient = client.getOutputStream();
      StdioProcess process = tunnel.open(key.projectId(), key.port());
      try {
        Thread upstream =
            daemon("preview-relay-in-" + key.port(), () -> pump(fromClient, process.stdin(), true));
        pump(process.stdout(), toClient, false);
        upstream.interrupt();
      } finally {
        process.close();
      }
    } catch (IOException | RuntimeException e) {
      log.debug(
          "preview relay of port {} in {} ended: {}", key.port(), key.projectId(), e.toString());
    }
  }

  /**
   * Copies until the source ends, then closes the destination when asked (the workspace's input:
   * the app sees the end of the request). The source stays open: closing a socket's stream would
   * close the socket, and the answer still has to go out through it.
   */
  private static void pump(InputStream in, OutputStream to, boolean closeAfter) {
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException ignored) {
      // either side went away; the other direction ends too
    } finally {
      if (closeAfter) {
        try {
          to.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }
  }

  private boolean allowed(InetAddress remote) {
    Set<InetAddress> allowed = new HashSet<>();
    for (String name : clients) {
      try {
        allowed.addAll(resolver.addresses(name));
      } catch (UnknownHostException e) {
        log.debug("preview clients: no address for {}", name);
      }
    }
    return allowed.contains(remote);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
