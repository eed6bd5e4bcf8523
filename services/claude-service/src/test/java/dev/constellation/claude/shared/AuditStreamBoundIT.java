package dev.constellation.claude.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.audit.AuditEvent;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.localstack.TestInfrastructure;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The shared audit stream stays bounded however many events are published (libs/common). */
class AuditStreamBoundIT {

  @Test
  void publishingTrimsTheStreamToAboutItsMaximumLength() {
    java.net.URI uri = java.net.URI.create(TestInfrastructure.redis().url());
    LettuceConnectionFactory connections =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
    connections.afterPropertiesSet();
    try {
      StringRedisTemplate redis = new StringRedisTemplate(connections);
      redis.delete(AuditEvent.STREAM);
      AuditPublisher publisher =
          new AuditPublisher(redis, "claude-service", Clock.systemUTC(), 200);

      for (int i = 0; i < 3000; i++) {
        publisher.publish("test.event", "user-" + i, null, Map.of("n", String.valueOf(i)));
      }

      Long length = redis.opsForStream().size(AuditEvent.STREAM);
      // MAXLEN ~ trims whole radix-tree nodes (100 entries by default), so a little above 200 is
      // allowed.
      assertThat(length).isBetween(200L, 400L);
      var last =
          redis
              .opsForStream()
              .reverseRange(
                  AuditEvent.STREAM,
                  org.springframework.data.domain.Range.unbounded(),
                  org.springframework.data.redis.connection.Limit.limit().count(1));
      assertThat(last.get(0).getValue()).containsEntry("d.n", "2999");
      redis.delete(AuditEvent.STREAM);
    } finally {
      connections.destroy();
    }
  }
}
