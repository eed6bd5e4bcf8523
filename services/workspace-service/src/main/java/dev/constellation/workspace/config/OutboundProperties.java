package dev.constellation.workspace.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How workspaces reach the outside when the installation sits behind a proxy or a TLS-inspecting
 * gateway: these are passed into every workspace (container environment, exec, terminals), never
 * anything else of this service's own environment.
 *
 * @param httpProxy becomes HTTP_PROXY and http_proxy (WORKSPACE_HTTP_PROXY)
 * @param httpsProxy becomes HTTPS_PROXY and https_proxy (WORKSPACE_HTTPS_PROXY)
 * @param noProxy becomes NO_PROXY and no_proxy (WORKSPACE_NO_PROXY)
 * @param caCertificates a PEM file on the host with extra CA certificates, mounted read-only into
 *     every workspace and named by NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, PIP_CERT, SSL_CERT_FILE
 *     and GIT_SSL_CAINFO (WORKSPACE_CA_CERTIFICATES)
 */
@ConfigurationProperties(prefix = "workspace.outbound")
public record OutboundProperties(
    @Nullable String httpProxy,
    @Nullable String httpsProxy,
    @Nullable String noProxy,
    @Nullable Path caCertificates) {

  public OutboundProperties {
    // An unset WORKSPACE_CA_CERTIFICATES binds as an empty path.
    if (caCertificates != null && caCertificates.toString().isBlank()) caCertificates = null;
  }

  /** Where the CA file appears inside a workspace. */
  public static final String CA_PATH_IN_WORKSPACE = "/etc/constellation/ca-certificates.pem";

  public static OutboundProperties none() {
    return new OutboundProperties(null, null, null, null);
  }

  /** The variables every process in a workspace gets, in a stable order. */
  public java.util.List<String> environment() {
    var env = new java.util.ArrayList<String>();
    if (present(httpProxy)) {
      env.add("HTTP_PROXY=" + httpProxy);
      env.add("http_proxy=" + httpProxy);
    }
    if (present(httpsProxy)) {
      env.add("HTTPS_PROXY=" + httpsProxy);
      env.add("https_proxy=" + httpsProxy);
    }
    if (present(noProxy)) {
      env.add("NO_PROXY=" + noProxy);
      env.add("no_proxy=" + noProxy);
    }
    if (caCertificates != null) {
      for (String name :
          java.util.List.of(
              "NODE_EXTRA_CA_CERTS",
              "REQUESTS_CA_BUNDLE",
              "PIP_CERT",
              "SSL_CERT_FILE",
              "GIT_SSL_CAINFO")) {
        env.add(name + "=" + CA_PATH_IN_WORKSPACE);
      }
    }
    return java.util.List.copyOf(env);
  }

  private static boolean present(@Nullable String value) {
    return value != null && !value.isBlank();
  }
}
