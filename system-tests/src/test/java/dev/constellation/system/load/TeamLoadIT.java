package dev.constellation.system.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.system.Docker;
import dev.constellation.system.SystemStack;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's short load run: 50 developers in teams of five for 60 s — signing up and in, listing
 * and opening projects, reading and saving files, running commands, typing in one terminal each
 * (five per team workspace), a quarter of them streaming AI answers from the fake upstream — and
 * not one error. The report (per operation p50/p99/max, per process resources) is printed and
 * written to {@code target/load/}. {@code bench/load/run.sh} runs the same test with more users and
 * {@code -Dload.strict=false}, which reports instead of failing.
 */
class TeamLoadIT {

  @Test
  void fiftyDevelopersWorkForAMinuteWithoutOneError() throws Exception {
    if (!Docker.available())
      Assumptions.abort("no Docker engine: the developers' terminals and commands need it");
    LoadPlan plan = LoadPlan.fromSystemProperties();
    LoadRun.Result result =
        new LoadRun(plan, SystemStack.gatewayUrl(), SystemStack.workspaceNetwork()).run();
    String report = LoadReport.render(result);
    System.out.println(report);
    Path dir = SystemStack.dataDir().getParent().resolve("load");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report-" + plan.users() + "-users.md"), report);

    if (!Boolean.parseBoolean(System.getProperty("load.strict", "true"))) return;
    assertThat(result.setUp().failures()).as("failures while arriving and leaving").isEmpty();
    assertThat(result.solo().failures()).as("failures of one developer alone").isEmpty();
    assertThat(result.crowd().failures()).as("failures under load").isEmpty();
    // It really was the crowd working: every developer did several rounds of all its steps.
    assertThat(result.crowd().stats().get("terminal command").count())
        .as("typed commands answered")
        .isGreaterThanOrEqualTo(plan.users() * 3);
    assertThat(result.crowd().stats().get("ai stream").count())
        .as("AI answers streamed")
        .isGreaterThanOrEqualTo(plan.aiUsers());
  }
}
