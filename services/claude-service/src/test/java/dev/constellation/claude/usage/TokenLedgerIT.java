package dev.constellation.claude.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.claude.support.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The two daily ledgers against the real redis-server: one script reserves in both or neither. */
class TokenLedgerIT extends TestStack {
  private static final String DAY = "2026-01-31";

  @Autowired StringRedisTemplate redis;

  @Test
  void manyUsersRacingForOneProjectNeverReserveMoreThanItsBudget() throws Exception {
    TokenLedger ledger = new TokenLedger(redis);
    String project = TokenLedger.projectKey(DAY, "p-" + UUID.randomUUID());
    long budget = 100;
    long amount = 7;
    int callers = 40;
    CountDownLatch start = new CountDownLatch(1);

    List<TokenLedger.Reservation> answers =
        inParallel(
            callers,
            () -> {
              // Every caller is another user with room to spare: only the project's budget binds.
              TokenLedger.Keys keys =
                  new TokenLedger.Keys(
                      TokenLedger.key(DAY, "u-" + UUID.randomUUID()), 1_000, project, budget);
              start.await();
              return ledger.reserve(keys, amount, 0, 0);
            },
            start);

    long granted = answers.stream().filter(TokenLedger.Reservation::granted).count();
    assertThat(granted).isEqualTo(budget / amount);
    assertThat(answers)
        .filteredOn(r -> !r.granted())
        .allSatisfy(r -> assertThat(r.refusedBy()).isEqualTo(TokenLedger.Budget.PROJECT));
    assertThat(Long.parseLong(redis.opsForValue().get(project))).isEqualTo(granted * amount);
  }

  @Test
  void oneUserRacingInManyProjectsNeverReservesMoreThanTheUsersBudget() throws Exception {
    TokenLedger ledger = new TokenLedger(redis);
    String user = TokenLedger.key(DAY, "u-" + UUID.randomUUID());
    CountDownLatch start = new CountDownLatch(1);

    List<TokenLedger.Reservation> answers =
        inParallel(
            30,
            () -> {
              TokenLedger.Keys keys =
                  new TokenLedger.Keys(
                      user, 50, TokenLedger.projectKey(DAY, "p-" + UUID.randomUUID()), 1_000);
              start.await();
              return ledger.reserve(keys, 10, 0, 0);
            },
            start);

    assertThat(answers.stream().filter(TokenLedger.Reservation::granted)).hasSize(5);
    assertThat(answers)
        .filteredOn(r -> !r.granted())
        .allSatisfy(r -> assertThat(r.refusedBy()).isEqualTo(TokenLedger.Budget.USER));
  }

  @Test
  void aRefusalByOneBudgetChargesNeitherLedger() {
    TokenLedger ledger = new TokenLedger(redis);
    TokenLedger.Keys keys =
        new TokenLedger.Keys(
            TokenLedger.key(DAY, "u-" + UUID.randomUUID()),
            1_000,
            TokenLedger.projectKey(DAY, "p-" + UUID.randomUUID()),
            100);
    assertThat(ledger.reserve(keys, 60, 0, 0).granted()).isTrue();

    TokenLedger.Reservation refused = ledger.reserve(keys, 60, 0, 0);

    assertThat(refused.granted()).isFalse();
    assertThat(refused.refusedBy()).isEqualTo(TokenLedger.Budget.PROJECT);
    assertThat(redis.opsForValue().get(keys.user())).isEqualTo("60");
    assertThat(redis.opsForValue().get(keys.project())).isEqualTo("60");
  }

  @Test
  void settlingRefundsBothLedgersAndANewLedgerStartsFromTheRecordsSeed() {
    TokenLedger ledger = new TokenLedger(redis);
    TokenLedger.Keys keys =
        new TokenLedger.Keys(
            TokenLedger.key(DAY, "u-" + UUID.randomUUID()),
            10_000,
            TokenLedger.projectKey(DAY, "p-" + UUID.randomUUID()),
            5_000);

    TokenLedger.Reservation first = ledger.reserve(keys, 300, 200, 4_000);
    ledger.settle(keys, 120 - 300);

    assertThat(first.userTotal()).isEqualTo(500);
    assertThat(first.projectTotal()).isEqualTo(4_300);
    assertThat(redis.opsForValue().get(keys.user())).isEqualTo("320");
    assertThat(redis.opsForValue().get(keys.project())).isEqualTo("4120");
    // The project has 880 left: a reservation of 900 is refused although the user has room.
    assertThat(ledger.reserve(keys, 900, 0, 0).refusedBy()).isEqualTo(TokenLedger.Budget.PROJECT);
  }

  @Test
  void aBudgetOfZeroIsNeitherCheckedNorCharged() {
    TokenLedger ledger = new TokenLedger(redis);
    TokenLedger.Keys keys =
        new TokenLedger.Keys(
            TokenLedger.key(DAY, "u-" + UUID.randomUUID()),
            100,
            TokenLedger.projectKey(DAY, "p-" + UUID.randomUUID()),
            0);

    assertThat(ledger.reserve(keys, 90, 0, 0).granted()).isTrue();
    ledger.settle(keys, -40);

    assertThat(redis.hasKey(keys.project())).isFalse();
    assertThat(redis.opsForValue().get(keys.user())).isEqualTo("50");
  }

  private static <T> List<T> inParallel(int n, Callable<T> call, CountDownLatch start)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) futures.add(pool.submit(call));
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(30, TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
