package dev.constellation.project.access;

import dev.constellation.common.access.AccessChannels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the services that cache access answers to forget a project's (membership change, delete).
 */
@Component
public class AccessChanges {
  private static final Logger log = LoggerFactory.getLogger(AccessChanges.class);
  private final StringRedisTemplate redis;

  AccessChanges(StringRedisTemplate redis) {
    this.redis = redis;
  }

  public void announce(String projectId) {
    try {
      redis.convertAndSend(AccessChannels.ACCESS_CHANGED, projectId);
    } catch (RuntimeException e) {
      // The change is stored; the other services' caches expire on their own within their TTL.
      log.warn("could not announce access change of project {}: {}", projectId, e.toString());
    }
  }
}
