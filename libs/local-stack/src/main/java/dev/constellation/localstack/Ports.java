package dev.constellation.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything starts, that no port of the stack is taken. A second launcher (or the
 * orphans of a crashed one) would otherwise answer our health checks while our own services died on
 * their ports.
 */
final class Ports {
  private Ports() {}

  /** Throws naming every taken port and what we wanted it for. */
  static void requireFree(Map<Integer, String> ports) throws IOException {
    List<String> taken = new ArrayList<>();
    ports.forEach(
        (port, owner) -> {
          if (isTaken(port)) taken.add(port + " (" + owner + ")");
        });
    if (!taken.isEmpty()) {
      throw new IOException(
          "port"
              + (taken.size() > 1 ? "s " : " ")
              + String.join(", ", taken)
              + (taken.size() > 1 ? " are" : " is")
              + " already in use. Is Constellation already running"
              + " (make status, make stop)? Stop what holds them or choose other ports (e.g. API_GATEWAY_PORT,"
              + " LOCAL_REDIS_PORT, LOCAL_MONGO_PORT in .env); nothing was started.");
    }
  }

  /** A port free on loopback now (for a start that must not use 0). */
  static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static boolean isTaken(int port) {
    // Something answering on loopback, or a listener on any address that forbids our bind.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
      return true;
    } catch (IOException nothingAnswers) {
      // Go on: maybe bound but not reachable on loopback.
    }
    try (ServerSocket probe = new ServerSocket()) {
      // As the servers do: a port that only has connections in TIME_WAIT is free.
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("0.0.0.0", port));
      return false;
    } catch (IOException inUse) {
      return true;
    }
  }
}
