package dev.constellation.common.audit;

import java.time.Instant;
import java.util.Map;

/**
 * Something worth answering "who did what, when" for. Every service publishes these to one Redis
 * stream; project-service stores them in its {@code audit} collection and serves them to admins.
 *
 * @param action dotted verb, e.g. {@code auth.login}, {@code project.delete}, {@code terminal.open}
 * @param actorId the user (or {@code service:<name>}) who did it
 * @param projectId the project concerned, or null
 * @param details small, secret-free facts (never tokens, passwords or file contents)
 */
public record AuditEvent(
    Instant time,
    String service,
    String action,
    String actorId,
    String projectId,
    String requestId,
    Map<String, String> details) {

  public static final String STREAM = "constellation:audit";

  /**
   * Entries the stream keeps (about; trimmed with {@code MAXLEN ~}) unless {@code
   * constellation.audit.stream-max-length} (env CONSTELLATION_AUDIT_STREAM_MAX_LENGTH) says
   * otherwise: days of events even for a busy installation, while project-service reads them within
   * seconds.
   */
  public static final long DEFAULT_STREAM_MAX_LENGTH = 100_000;
}
