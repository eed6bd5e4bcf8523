package dev.constellation.workspace.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the kernel's socket tables ({@code /proc/net/tcp} and {@code tcp6}) into the sockets in
 * LISTEN state: the one format both runtimes read, whether through an exec or from the host's
 * {@code /proc}.
 */
public final class ListeningSockets {
  /** TCP_LISTEN in include/net/tcp_states.h. */
  private static final String LISTEN = "0A";

  /**
   * A listening socket.
   *
   * @param loopbackOnly bound to 127.0.0.0/8 or ::1, so reachable only from inside its own network
   *     namespace
   */
  public record Socket(int port, long inode, boolean loopbackOnly) {}

  private ListeningSockets() {}

  /** Every LISTEN row of one or more concatenated tables; header and malformed lines skipped. */
  public static List<Socket> parse(String tables) {
    List<Socket> sockets = new ArrayList<>();
    for (String line : tables.split("\n")) {
      String[] f = line.trim().split("\\s+");
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
      if (f.length < 10 || !f[0].endsWith(":") || !LISTEN.equals(f[3])) continue;
      int colon = f[1].lastIndexOf(':');
      if (colon < 0) continue;
      try {
        String address = f[1].substring(0, colon);
        int port = Integer.parseInt(f[1].substring(colon + 1), 16);
        long inode = Long.parseLong(f[9]);
        sockets.add(new Socket(port, inode, loopback(address)));
      } catch (NumberFormatException e) {
        // not a row we understand
      }
    }
    return sockets;
  }

  /**
   * The kernel prints addresses as 32-bit words in host byte order (little-endian here): 127.x.y.z
   * ends in "7F", ::1 is three zero words and 01000000, ::ffff:127.x.y.z a mapped loopback.
   */
  static boolean loopback(String hex) {
    if (hex.length() == 8) return hex.regionMatches(true, 6, "7F", 0, 2);
    if (hex.length() == 32) {
      if (hex.equals("00000000000000000000000001000000")) return true;
      return hex.regionMatches(true, 0, "0000000000000000FFFF0000", 0, 24)
          && hex.regionMatches(true, 30, "7F", 0, 2);
    }
    return false;
  }
}
