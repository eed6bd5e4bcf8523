package dev.constellation.claude.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.constellation.claude.upstream.TokenUsage;
import org.junit.jupiter.api.Test;

class PricingTest {
  @Test
  void pricesEachKindOfTokenAtItsOwnRate() {
    // Sonnet 4.5: $3 in, $15 out, $3.75 cache write, $0.30 cache read per million.
    TokenUsage usage = new TokenUsage(1_000_000, 100_000, 2_000_000, 400_000);
    assertThat(Pricing.costUsd("claude-sonnet-4-5-20250929", usage))
        .isCloseTo(3.00 + 1.50 + 0.60 + 1.50, within(1e-9));
  }

  @Test
  void aNewerFamilyIsNotPricedAsItsOlderPrefix() {
    TokenUsage million = new TokenUsage(1_000_000, 0, 0, 0);
    assertThat(Pricing.costUsd("claude-opus-4-5", million)).isCloseTo(5.00, within(1e-9));
    assertThat(Pricing.costUsd("claude-opus-4-1", million)).isCloseTo(15.00, within(1e-9));
  }

  @Test
  void anUnknownModelIsNeverFree() {
    assertThat(Pricing.costUsd("some-future-model", new TokenUsage(1_000_000, 0, 0, 0)))
        .isGreaterThan(0);
  }

  @Test
  void cacheHitRateIsReadsOverAllInput() {
    assertThat(Pricing.cacheHitRate(new TokenUsage(100, 50, 300, 0))).isCloseTo(0.75, within(1e-9));
    assertThat(Pricing.cacheHitRate(TokenUsage.NONE)).isZero();
  }
}
