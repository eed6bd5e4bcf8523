package dev.constellation.project.audit;

import dev.constellation.common.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamReadRequest;
import org.springframework.stereotype.Component;

/**
 * Moves audit events from the shared Redis stream into the {@code audit} collection. Replicas share
 * one consumer group so each event is stored by one of them; an event is acknowledged only after it
 * is stored, and this replica's unacknowledged events are stored again at start.
 */
@Component
class AuditStreamConsumer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(AuditStreamConsumer.class);

  private final RedisConnectionFactory connections;
  private final StringRedisTemplate redis;
  private final MongoTemplate mongo;
  private final AuditProperties properties;
  private StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;
  private volatile boolean running;

  AuditStreamConsumer(
      RedisConnectionFactory connections,
      StringRedisTemplate redis,
      MongoTemplate mongo,
      AuditProperties properties) {
    this.connections = connections;
    this.redis = redis;
    this.mongo = mongo;
    this.properties = properties;
  }

  @Override
  public void start() {
    ensureGroup();
    drainPending();
    var options =
        StreamMessageListenerContainerOptions.builder()
            .pollTimeout(Duration.ofSeconds(1))
            .batchSize(100)
            .build();
    container = StreamMessageListenerContainer.create(connections, options);
    container.register(
        StreamReadRequest.builder(StreamOffset.create(AuditEvent.STREAM, ReadOffset.lastConsumed()))
            .consumer(consumer())
            .autoAcknowledge(false)
            .cancelOnError(e -> false)
            .errorHandler(this::onError)
            .build(),
        this::store);
    container.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (container != null) container.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private Consumer consumer() {
    return Consumer.from(properties.consumerGroup(), properties.consumerName());
  }

  private void ensureGroup() {
    try {
      redis
          .opsForStream()
          .createGroup(AuditEvent.STREAM, ReadOffset.from("0"), properties.consumerGroup());
    } catch (RuntimeException e) {
      if (!String.valueOf(rootMessage(e)).contains("BUSYGROUP")) {
        log.warn("cannot create audit consumer group: {}", e.toString());
      }
    }
  }

  private void onError(Throwable e) {
    // A Redis that restarted without its data has lost the group too; recreate it and carry on.
    if (String.valueOf(rootMessage(e)).contains("NOGROUP")) {
      ensureGroup();
    } else {
      log.warn("reading the audit stream failed: {}", e.toString());
      // The container polls again at once: while Redis is away (commands fail at once) this would
      // spin.
      try {
        Thread.sleep(500);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void drainPending() {
    try {
      while (true) {
        @SuppressWarnings("unchecked")
        List<MapRecord<String, Object, Object>> pending =
            redis
                .opsForStream()
                .read(
                    consumer(),
                    StreamReadOptions.empty().count(100),
                    StreamOffset.create(AuditEvent.STREAM, ReadOffset.from("0")));
        if (pending == null || pending.isEmpty()) return;
        for (var record : pending) {
          Map<String, String> fields = new LinkedHashMap<>();
          record.getValue().forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
          store(MapRecord.create(AuditEvent.STREAM, fields).withId(record.getId()));
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not store pending audit events: {}", e.toString());
    }
  }

  void store(MapRecord<String, String, String> record) {
    Map<String, String> fields = record.getValue();
    Map<String, String> details = new LinkedHashMap<>();
    fields.forEach(
        (k, v) -> {
          if (k.startsWith("d.")) details.put(k.substring(2), v);
        });
    String actor = fields.get("actorId");
    AuditRecord stored =
        new AuditRecord(
            record.getId().getValue(),
            parseTime(fields.get("time"), record),
            fields.get("service"),
            fields.get("action"),
            actor == null || actor.isEmpty() ? null : actor,
            fields.get("projectId"),
            fields.get("requestId"),
            details);
    mongo.save(stored);
    redis.opsForStream().acknowledge(properties.consumerGroup(), record);
  }

  private static Instant parseTime(String time, MapRecord<String, String, String> record) {
    try {
      if (time != null) return Instant.parse(time);
    } catch (DateTimeParseException ignored) {
      // fall through to the stream id, which Redis stamps with its own clock
    }
    Long millis = record.getId().getTimestamp();
    return millis == null ? Instant.now() : Instant.ofEpochMilli(millis);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    StringBuilder all = new StringBuilder();
    while (t != null) {
      all.append(t.getMessage()).append(' ');
      t = t.getCause();
    }
    return all.toString();
  }
}
