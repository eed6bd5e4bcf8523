package dev.constellation.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Distinct users who made an authenticated request in the last 15 minutes (the access token's
 * lifetime), as the gauge {@code constellation.users.active}. The set lives in Redis (a sorted set
 * scored by last-seen time) so that every gateway replica reports the same number: dashboards take
 * the max across replicas, never the sum.
 */
@Component
public class ActiveUsers implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ActiveUsers.class);
  static final String KEY = "constellation:active-users";
  static final Duration WINDOW = Duration.ofMinutes(15);

  /**
   * A user seen again within this is not written again: one Redis write per user per minute per
   * replica.
   */
  private static final Duration WRITE_EVERY = Duration.ofMinutes(1);

  private static final Duration REFRESH_EVERY = Duration.ofSeconds(10);

  private final ReactiveStringRedisTemplate redis;
  private final Clock clock;
  private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();
  private final AtomicLong active = new AtomicLong();
  private volatile Disposable refresher;

  ActiveUsers(ReactiveStringRedisTemplate redis, Clock clock, MeterRegistry meters) {
    this.redis = redis;
    this.clock = clock;
    Gauge.builder("constellation.users.active", active, AtomicLong::get)
        .description(
            "Distinct users with an authenticated request in the last 15 minutes (all replicas)")
        .register(meters);
  }

  /** Notes that {@code userId} was active now; never fails the request it is called from. */
  public Mono<Void> seen(String userId) {
    long now = clock.millis();
    Long previous = lastWritten.get(userId);
    if (previous != null && now - previous < WRITE_EVERY.toMillis()) return Mono.empty();
    lastWritten.put(userId, now);
    return redis
        .opsForZSet()
        .add(KEY, userId, now)
        .then()
        .onErrorResume(
            e -> {
              lastWritten.remove(userId);
              log.debug("could not record user activity: {}", e.toString());
              return Mono.empty();
            });
  }

  Mono<Long> refresh() {
    long cutoff = clock.millis() - WINDOW.toMillis();
    lastWritten.values().removeIf(t -> t < cutoff);
    return redis
        .opsForZSet()
        .removeRangeByScore(KEY, Range.closed(Double.NEGATIVE_INFINITY, (double) cutoff))
        .then(redis.opsForZSet().size(KEY))
        .doOnNext(active::set);
  }

  @Override
  public void start() {
    refresher =
        Flux.interval(Duration.ZERO, REFRESH_EVERY)
            .concatMap(
                tick ->
                    refresh()
                        .onErrorResume(
                            e -> {
                              log.debug("could not count active users: {}", e.toString());
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable d = refresher;
    if (d != null) d.dispose();
    refresher = null;
  }

  @Override
  public boolean isRunning() {
    return refresher != null;
  }
}
