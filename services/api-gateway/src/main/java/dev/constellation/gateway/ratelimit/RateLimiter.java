package dev.constellation.gateway.ratelimit;

import dev.constellation.common.resilience.RedisFailFast;
import dev.constellation.gateway.metrics.GatewayMetrics;
import dev.constellation.gateway.web.TooManyRequestsException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.RedisConnectionFailureException;
import reactor.core.publisher.Mono;

/** Token buckets in Redis (bucket4j, compare-and-swap), consumed without blocking. */
public class RateLimiter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  private static final String PREFIX = "constellation:ratelimit:";
  private static final String FAIL_CLOSED_PREFIX = "auth-";

  /**
   * Past this many live keys the proxies are dropped and rebuilt on demand; the buckets stay in
   * Redis.
   */
  private static final int MAX_CACHED_BUCKETS = 10_000;

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final AsyncProxyManager<String> buckets;
  private final Map<String, AsyncBucketProxy> proxies = new ConcurrentHashMap<>();
  private final boolean enabled;
  private final GatewayMetrics metrics;

  RateLimiter(String redisUrl, boolean enabled, GatewayMetrics metrics) {
    this.enabled = enabled;
    this.metrics = metrics;
    this.resources =
        ClientResources.builder().reconnectDelay(RedisFailFast.reconnectDelay()).build();
    this.client = RedisClient.create(resources, redisUrl);
    // Fail at once while Redis is away instead of queueing for Lettuce's default 60 s.
    client.setOptions(RedisFailFast.clientOptions());
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.buckets =
        Bucket4jLettuce.casBasedBuilder(connection)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofMinutes(1)))
            .build()
            .asAsync();
  }

  /**
   * Takes one token from the bucket {@code key}, or fails with 429 and how long to wait. When Redis
   * cannot be reached the request is let through (fail open: a limiter outage must not be an
   * outage) — except for the sign-in and sign-up buckets ({@code auth-*}), which fail closed with
   * 503: a failed sign-in still answers 401 without Redis while a right password meets the 503 of
   * the session store, so an open limiter there would let passwords be guessed without limit.
   */
  public Mono<Void> consume(String key, RateLimitProperties.Limit limit, String detail) {
    if (!enabled) return Mono.empty();
    return Mono.fromFuture(() -> bucket(key, limit).tryConsumeAndReturnRemaining(1))
        .onErrorResume(
            e -> {
              if (key.startsWith(FAIL_CLOSED_PREFIX)) {
                log.warn(
                    "rate limiter unavailable, refusing the sign-in attempt: {}", e.toString());
                return Mono.error(
                    new RedisConnectionFailureException("rate limiter unavailable", e));
              }
              log.warn("rate limiter unavailable, letting the request through: {}", e.toString());
              return Mono.empty();
            })
        .flatMap(
            probe -> {
              if (probe.isConsumed()) return Mono.empty();
              metrics.rateLimited(key.substring(0, Math.max(0, key.indexOf(':'))));
              return Mono.<Void>error(
                  new TooManyRequestsException(
                      detail,
                      (long)
                          Math.ceil(
                              probe.getNanosToWaitForRefill()
                                  / (double) TimeUnit.SECONDS.toNanos(1))));
            });
  }

  /**
   * Bucket4j's compare-and-swap retries when two requests update the same bucket at once, and a
   * burst from one user or address always does: 16 concurrent requests cost about 10 GET+EVAL round
   * trips each. Batching sends what queues up behind an in-flight update as one CAS, but only
   * within one proxy, so proxies are kept per key.
   */
  private AsyncBucketProxy bucket(String key, RateLimitProperties.Limit limit) {
    AsyncBucketProxy proxy = proxies.get(key);
    if (proxy != null) return proxy;
    if (proxies.size() >= MAX_CACHED_BUCKETS) proxies.clear();
    return proxies.computeIfAbsent(
        key,
        k -> {
          BucketConfiguration configuration =
              BucketConfiguration.builder()
                  .addLimit(
                      l ->
                          l.capacity(limit.capacity())
                              .refillGreedy(limit.capacity(), limit.period()))
                  .build();
          return buckets
              .builder()
              .withOptimization(Optimizations.batching())
              .build(PREFIX + k, () -> CompletableFuture.completedFuture(configuration));
        });
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
    resources.shutdown();
  }
}
