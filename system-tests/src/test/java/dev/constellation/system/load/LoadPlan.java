package dev.constellation.system.load;

import java.time.Duration;

/**
 * What a load run does: how many simulated developers, for how long, how fast each works, how many
 * of them stream AI answers, and how many share a team project.
 *
 * @param users simulated developers, each with an account, an own project and a team project
 * @param duration how long the crowd works, after every account and project exists
 * @param think pause between two operations of one developer (people read what they get)
 * @param aiUsers developers who also ask the AI, about one question per {@code aiInterval}
 * @param aiInterval least time between two AI questions of one developer
 * @param teamSize developers per team project (its workspace has one terminal per member)
 * @param arriving sign-ups and set-ups at once while the crowd arrives (bcrypt is slow)
 * @param ramp the crowd's terminal opens spread evenly over this long (zero: all at once, the
 *     hardest case); each developer then works until the same end
 */
public record LoadPlan(
    int users,
    Duration duration,
    Duration think,
    int aiUsers,
    Duration aiInterval,
    int teamSize,
    int arriving,
    Duration ramp) {

  public LoadPlan {
    if (users < 1) throw new IllegalArgumentException("at least one user");
    if (teamSize < 1) throw new IllegalArgumentException("teams of at least one");
    aiUsers = Math.min(aiUsers, users);
  }

  /**
   * The plan from system properties: {@code load.users} (50), {@code load.seconds} (60), {@code
   * load.thinkMs} (500), {@code load.aiUsers} (a quarter of the users: 25 of 100), {@code
   * load.aiIntervalSeconds} (10), {@code load.teamSize} (5), {@code load.arriving} (8), {@code
   * load.rampSeconds} (0).
   */
  public static LoadPlan fromSystemProperties() {
    int users = Integer.getInteger("load.users", 50);
    return new LoadPlan(
        users,
        Duration.ofSeconds(Integer.getInteger("load.seconds", 60)),
        Duration.ofMillis(Integer.getInteger("load.thinkMs", 500)),
        Integer.getInteger("load.aiUsers", (users + 3) / 4),
        Duration.ofSeconds(Integer.getInteger("load.aiIntervalSeconds", 10)),
        Integer.getInteger("load.teamSize", 5),
        Integer.getInteger("load.arriving", 8),
        Duration.ofSeconds(Integer.getInteger("load.rampSeconds", 0)));
  }

  /** Number of team projects (the last team may be smaller). */
  public int teams() {
    return (users + teamSize - 1) / teamSize;
  }

  @Override
  public String toString() {
    return users
        + " users × "
        + duration.toSeconds()
        + " s (think "
        + think.toMillis()
        + " ms, "
        + aiUsers
        + " asking the AI every "
        + aiInterval.toSeconds()
        + " s, teams of "
        + teamSize
        + (ramp.isZero()
            ? ", terminals opened at once"
            : ", arriving over " + ramp.toSeconds() + " s")
        + ")";
  }
}
