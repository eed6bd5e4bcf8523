package dev.constellation.common.preview;

import dev.constellation.common.project.ProjectIds;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The origin rule of port previews, for the gateway (which serves them) and workspace-service
 * (which lists their URLs): port {@code P} of project {@code X} is served on its own host {@code
 * pP-X.<domain>}, never on the IDE's origin, so a previewed app shares no cookies, storage or
 * same-origin rights with the IDE or with another project's or port's preview.
 */
public final class PreviewHosts {
  /** Host names are case-insensitive; project ids in hosts are matched lower-case. */
  private static final Pattern LABEL = Pattern.compile("p([1-9][0-9]{0,4})-([a-z0-9][a-z0-9_-]*)");

  /** Where a preview host points: the port inside the workspace of that project. */
  public record Target(String projectId, int port) {}

  private PreviewHosts() {}

  public static boolean validPort(int port) {
    return port >= 1 && port <= 65535;
  }

  /** {@code pP-X.<domain>}. */
  public static String host(String projectId, int port, String domain) {
    return "p" + port + "-" + projectId.toLowerCase(Locale.ROOT) + "." + domain;
  }

  /**
   * The origin {@code scheme://pP-X.<domain>[:port]} for a public URL such as {@code
   * http://preview.localhost:8000}, whose host is the preview domain.
   */
  public static String origin(String projectId, int port, URI publicUrl) {
    String origin = publicUrl.getScheme() + "://" + host(projectId, port, publicUrl.getHost());
    return publicUrl.getPort() < 0 ? origin : origin + ":" + publicUrl.getPort();
  }

  /**
   * The preview a Host header names, or empty when it is not a preview host of {@code domain}: the
   * port part of the header is ignored, the label must be exactly one {@code pP-X} in front of the
   * domain.
   */
  public static Optional<Target> parse(String hostHeader, String domain) {
    if (hostHeader == null || domain == null || domain.isEmpty()) return Optional.empty();
    String host = hostHeader.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) return Optional.empty();
    int colon = host.lastIndexOf(':');
    if (colon >= 0) host = host.substring(0, colon);
    if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
    String suffix = "." + domain.toLowerCase(Locale.ROOT);
    if (!host.endsWith(suffix)) return Optional.empty();
    var label = LABEL.matcher(host.substring(0, host.length() - suffix.length()));
    if (!label.matches()) return Optional.empty();
    int port = Integer.parseInt(label.group(1));
    String projectId = label.group(2);
    if (!validPort(port) || !ProjectIds.isValid(projectId)) return Optional.empty();
    return Optional.of(new Target(projectId, port));
  }

  /** Whether {@code hostHeader} is some host under the preview domain (a preview or not). */
  public static boolean underDomain(String hostHeader, String domain) {
    if (hostHeader == null || domain == null || domain.isEmpty()) return false;
    String host = hostHeader.toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.endsWith("]")) host = host.substring(0, colon);
    String d = domain.toLowerCase(Locale.ROOT);
    return host.equals(d) || host.endsWith("." + d);
  }
}
