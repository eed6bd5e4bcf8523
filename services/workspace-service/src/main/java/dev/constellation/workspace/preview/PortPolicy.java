package dev.constellation.workspace.preview;

/**
 * Which listening ports are a user's to preview: every unprivileged port (1024 and up, where dev
 * servers listen) plus 80 and 443, which a web server in the container may bind (Docker lowers
 * {@code ip_unprivileged_port_start} inside containers). Other privileged ports are system daemons,
 * not apps to open in a browser.
 */
final class PortPolicy {
  private PortPolicy() {}

  static boolean previewable(int port) {
    return port == 80 || port == 443 || (port >= 1024 && port <= 65535);
  }
}
