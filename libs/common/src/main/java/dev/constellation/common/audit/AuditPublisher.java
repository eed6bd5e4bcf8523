package dev.constellation.common.audit;

import dev.constellation.common.web.RequestIds;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Publishes audit events to the shared Redis stream (blocking; for MVC services). Every add trims
 * the stream to about {@code maxLength} entries ({@code XADD MAXLEN ~}): the events live on in
 * project-service's store, and an unbounded stream would fill Redis's memory.
 */
public class AuditPublisher {
  private static final Logger log = LoggerFactory.getLogger(AuditPublisher.class);

  private final StringRedisTemplate redis;
  private final String service;
  private final Clock clock;
  private final XAddOptions bound;

  public AuditPublisher(StringRedisTemplate redis, String service, Clock clock, long maxLength) {
    this.redis = redis;
    this.service = service;
    this.clock = clock;
    this.bound = bound(maxLength);
  }

  /**
   * The XADD options every publisher of {@link AuditEvent#STREAM} uses: approximate trimming to
   * {@code maxLength}.
   */
  public static XAddOptions bound(long maxLength) {
    if (maxLength < 1)
      throw new IllegalArgumentException("the audit stream needs a maximum length of at least 1");
    return XAddOptions.maxlen(maxLength).approximateTrimming(true);
  }

  public void publish(
      String action, String actorId, String projectId, Map<String, String> details) {
    Map<String, String> fields =
        toFields(
            new AuditEvent(
                clock.instant(),
                service,
                action,
                actorId,
                projectId,
                MDC.get(RequestIds.MDC_KEY),
                details));
    try {
      redis
          .opsForStream()
          .add(StreamRecords.string(fields).withStreamKey(AuditEvent.STREAM), bound);
    } catch (RuntimeException e) {
      // The action itself already happened; losing its audit line must not turn it into an error.
      log.warn("could not publish audit event {}: {}", action, e.toString());
    }
  }

  /** The flat field map an event travels as in the stream. */
  public static Map<String, String> toFields(AuditEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("time", event.time().toString());
    fields.put("service", event.service());
    fields.put("action", event.action());
    fields.put("actorId", event.actorId() == null ? "" : event.actorId());
    if (event.projectId() != null) fields.put("projectId", event.projectId());
    if (event.requestId() != null) fields.put("requestId", event.requestId());
    if (event.details() != null)
      event.details().forEach((k, v) -> fields.put("d." + k, v == null ? "" : v));
    return fields;
  }
}
