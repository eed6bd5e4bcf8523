package dev.constellation.workspace.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Language servers in workspaces (workspace.lsp): each open socket is one server process.
 *
 * @param maxPerProject servers one project may run at once on this replica
 * @param maxPerUser servers one user may hold open at once on this replica
 * @param maxMessageBytes largest message (one JSON-RPC message) a client may send; a larger one
 *     closes the socket with 1009. A document is sent whole when it is opened.
 * @param maxServerMessageBytes largest message a server may send; a larger one ends it (1011)
 * @param maxPendingInputBytes what may wait for a server that does not read; beyond it the socket
 *     is closed (1008)
 * @param maxPendingOutputBytes what may wait for a client that does not read; beyond it the socket
 *     is closed (1008)
 * @param sendTimeLimit longest one send to a client may take
 */
@Validated
@ConfigurationProperties(prefix = "workspace.lsp")
public record LanguageServerProperties(
    @Positive @DefaultValue("4") int maxPerProject,
    @Positive @DefaultValue("8") int maxPerUser,
    @Positive @DefaultValue("4194304") int maxMessageBytes,
    @Positive @DefaultValue("33554432") int maxServerMessageBytes,
    @Positive @DefaultValue("16777216") long maxPendingInputBytes,
    @Positive @DefaultValue("16777216") int maxPendingOutputBytes,
    @NotNull @DefaultValue("10s") Duration sendTimeLimit) {

  /** The defaults, for code that is built without Spring's binder (tests). */
  public static LanguageServerProperties defaults() {
    return new LanguageServerProperties(
        4, 8, 4 << 20, 32 << 20, 16L << 20, 16 << 20, Duration.ofSeconds(10));
  }
}
