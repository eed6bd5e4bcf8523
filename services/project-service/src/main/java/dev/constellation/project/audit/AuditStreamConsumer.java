package dev.constellation.project.audit;

import dev.constellation.common.audit.AuditEvent;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamReadRequest;
import org.springframework.stereotype.Component;

/**
 * Moves audit events from the shared Redis stream into the {@code audit} collection. Replicas share
 * one consumer group so each event is stored by one of them; an event is acknowledged only after it
 * is stored, and this replica's unacknowledged events are stored again at start. Events left
 * unacknowledged by a consumer that is gone (killed between reading and acknowledging, or a replica
 * that came back under another host name) are taken over with XAUTOCLAIM once idle for {@code
 * reclaimMinIdle}. Storing is idempotent (the stream id is the document id), so an event stored by
 * a consumer that died before its acknowledgement is not stored twice when it is taken over.
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
  private java.util.concurrent.ScheduledExecutorService reclaimer;

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
    reclaimer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "audit-reclaim");
              thread.setDaemon(true);
              return thread;
            });
    long every = properties.reclaimInterval().toMillis();
    reclaimer.scheduleWithFixedDelay(
        this::reclaimOrphans, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (reclaimer != null) reclaimer.shutdownNow();
    if (container != null) container.stop();
  }

  /**
   * Takes over and stores every event of the group that has been pending with any consumer for at
   * least {@code reclaimMinIdle}, walking the pending list with XAUTOCLAIM's cursor. Returns how
   * many were stored. A failure (Redis away) is logged and tried again at the next interval.
   */
  int reclaimOrphans() {
    int stored = 0;
    try {
      String cursor = "0-0";
      // Bounded: a pending list of 100 000 orphans is walked over several intervals, not at once.
      for (int round = 0; round < 1000; round++) {
        ClaimedMessages<byte[], byte[]> claimed = autoclaim(cursor);
        if (claimed == null) break;
        for (StreamMessage<byte[], byte[]> message : claimed.getMessages()) {
          Map<String, String> fields = new LinkedHashMap<>();
          message
              .getBody()
              .forEach(
                  (k, v) ->
                      fields.put(
                          new String(k, StandardCharsets.UTF_8),
                          new String(v, StandardCharsets.UTF_8)));
          store(MapRecord.create(AuditEvent.STREAM, fields).withId(RecordId.of(message.getId())));
          stored++;
        }
        cursor = claimed.getId();
        if (cursor == null || "0-0".equals(cursor)) break;
      }
      if (stored > 0)
        log.info("took over {} audit events left unacknowledged by another consumer", stored);
    } catch (RuntimeException e) {
      log.warn("could not take over pending audit events: {}", e.toString());
    }
    return stored;
  }

  private ClaimedMessages<byte[], byte[]> autoclaim(String cursor) {
    return redis.execute(
        (RedisCallback<ClaimedMessages<byte[], byte[]>>)
            connection -> {
              @SuppressWarnings("unchecked")
              var commands =
                  (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
              var args =
                  XAutoClaimArgs.Builder.xautoclaim(
                          io.lettuce.core.Consumer.from(
                              bytes(properties.consumerGroup()), bytes(properties.consumerName())),
                          properties.reclaimMinIdle(),
                          cursor)
                      .count(100);
              return LettuceFutures.awaitOrCancel(
                  commands.xautoclaim(bytes(AuditEvent.STREAM), args), 5, TimeUnit.SECONDS);
            });
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
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
