package dev.constellation.common.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

class StorageOutagesTest {

  @Test
  void recognisesRedisAndDatabaseOutagesAnywhereInTheCauseChain() {
    assertThat(StorageOutages.isOutage(new RedisConnectionFailureException("refused"))).isTrue();
    assertThat(StorageOutages.isOutage(new QueryTimeoutException("timed out"))).isTrue();
    assertThat(StorageOutages.isOutage(new DataAccessResourceFailureException("server selection")))
        .isTrue();
    var rejected = new RedisException("Currently not connected. Commands are rejected.");
    assertThat(StorageOutages.isOutage(new RedisSystemException("unknown", rejected))).isTrue();
    assertThat(StorageOutages.isOutage(new IllegalStateException("wrapped", rejected))).isTrue();
  }

  @Test
  void leavesOtherFailuresAlone() {
    assertThat(StorageOutages.isOutage(new IllegalStateException("bug"))).isFalse();
    assertThat(StorageOutages.isOutage(new RedisException("WRONGTYPE Operation against a key")))
        .isFalse();
  }

  @Test
  void theProblemSaysNothingAboutTheCause() {
    var problem = StorageOutages.problem();
    assertThat(problem.getStatus()).isEqualTo(503);
    assertThat(problem.getDetail()).doesNotContain("Exception").doesNotContainIgnoringCase("redis");
  }
}
