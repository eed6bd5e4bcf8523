package dev.constellation.claude.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {

  private static List<HistoryWindow.Entry> turns(int count, int chars) {
    List<HistoryWindow.Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(
          new HistoryWindow.Entry("m" + i, i % 2 == 0 ? "user" : "assistant", "x".repeat(chars)));
    }
    return entries;
  }

  @Test
  void historyWithinBudgetIsKeptWhole() {
    var plan = HistoryWindow.plan(turns(6, 400), 0, 1000);
    assertThat(plan.summarize()).isEmpty();
    assertThat(plan.keep()).hasSize(6);
  }

  @Test
  void overBudgetKeepsNewestHalfStartingWithAUserTurnAndSummarizesTheRest() {
    // 10 turns of 100 estimated tokens each, budget 500: keep at most 250 tokens.
    var plan = HistoryWindow.plan(turns(10, 400), 0, 500);
    assertThat(plan.keep()).extracting(HistoryWindow.Entry::id).containsExactly("m8", "m9");
    assertThat(plan.summarize()).hasSize(8);
    assertThat(plan.keep().get(0).role()).isEqualTo("user");
  }

  @Test
  void existingSummaryCountsAgainstTheBudget() {
    assertThat(HistoryWindow.plan(turns(4, 400), 0, 500).summarize()).isEmpty();
    assertThat(HistoryWindow.plan(turns(4, 400), 200, 500).summarize()).isNotEmpty();
  }

  @Test
  void estimateIsCharactersOverFourRoundedUp() {
    assertThat(TokenEstimate.of("")).isZero();
    assertThat(TokenEstimate.of("abcde")).isEqualTo(2);
  }
}
