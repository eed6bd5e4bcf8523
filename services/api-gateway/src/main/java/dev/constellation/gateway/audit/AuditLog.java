package dev.constellation.gateway.audit;

import dev.constellation.common.audit.AuditEvent;
import dev.constellation.common.audit.AuditPublisher;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Publishes audit events to the shared stream, in the field layout {@link AuditPublisher} defines,
 * without blocking. Never pass secrets in {@code details}.
 */
@Component
public class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final String SERVICE = "api-gateway";

  private final ReactiveStringRedisTemplate redis;
  private final Clock clock;
  private final XAddOptions bound;

  AuditLog(
      ReactiveStringRedisTemplate redis,
      Clock clock,
      @Value(
              "${constellation.audit.stream-max-length:"
                  + AuditEvent.DEFAULT_STREAM_MAX_LENGTH
                  + "}")
          long maxLength) {
    this.redis = redis;
    this.clock = clock;
    this.bound = AuditPublisher.bound(maxLength);
  }

  /** Completes when the event is written; a failure to write is logged, never raised. */
  public Mono<Void> publish(
      String action, String actorId, String requestId, Map<String, String> details) {
    Map<String, String> fields =
        AuditPublisher.toFields(
            new AuditEvent(clock.instant(), SERVICE, action, actorId, null, requestId, details));
    return redis
        .opsForStream()
        .add(StreamRecords.string(fields).withStreamKey(AuditEvent.STREAM), bound)
        .then()
        // The action itself already happened; losing its audit line must not turn it into an error.
        .onErrorResume(
            e -> {
              log.warn("could not publish audit event {}: {}", action, e.toString());
              return Mono.empty();
            });
  }
}
