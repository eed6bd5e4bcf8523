package dev.constellation.system.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A load run against a running stack: the developers arrive (sign-ups a few at a time, as bcrypt
 * allows), each team's owner makes the team project and starts its workspace, one developer works
 * alone for a few rounds (the baseline of the same run), then the whole crowd opens its terminals
 * at once and works for the plan's duration. Every phase is bounded in time; what does not finish
 * in its time is cut off and counted as an error.
 */
final class LoadRun {
  /** What a run measured. */
  record Result(
      LoadPlan plan,
      Recorder crowd,
      Recorder solo,
      Recorder setUp,
      Resources resources,
      double loadSeconds) {
    long errors() {
      return crowd.totalErrors() + setUp.totalErrors() + solo.totalErrors();
    }
  }

  private static final int SOLO_ROUNDS = 3;

  private final LoadPlan plan;
  private final String gateway;
  private final String installation;

  LoadRun(LoadPlan plan, String gateway, String installation) {
    this.plan = plan;
    this.gateway = gateway;
    this.installation = installation;
  }

  Result run() throws InterruptedException {
    Recorder setUp = new Recorder();
    Recorder solo = new Recorder();
    Recorder crowd = new Recorder();
    Resources resources = new Resources();
    List<Developer> developers = new ArrayList<>();
    for (int n = 0; n < plan.users(); n++) developers.add(new Developer(n, gateway, plan));
    ExecutorService pool = Executors.newFixedThreadPool(plan.users());
    long loadNanos = 0;
    try {
      // Arriving: an account and an own project each, a few at a time.
      Semaphore arriving = new Semaphore(plan.arriving());
      all(
          pool,
          developers,
          d -> {
            arriving.acquire();
            try {
              d.signUp(setUp);
              if (d.session != null) d.ownProject = d.createProject(setUp, "own-" + d.n);
            } finally {
              arriving.release();
            }
          },
          60 + plan.users() * 3L,
          setUp,
          "arrive");
      // Teams: the first of each team owns its project, adds the others and starts the workspace.
      List<List<Developer>> teams = new ArrayList<>();
      for (int t = 0; t < plan.teams(); t++)
        teams.add(
            developers.subList(
                t * plan.teamSize(), Math.min(plan.users(), (t + 1) * plan.teamSize())));
      all(
          pool,
          teams,
          team -> {
            arriving.acquire();
            try {
              Developer owner = team.get(0);
              if (owner.session == null) return;
              String project = owner.createProject(setUp, "team-" + owner.n);
              if (project == null) return;
              for (Developer member : team) {
                member.teamProject = project;
                if (member != owner && member.session != null)
                  owner.addMember(setUp, project, member);
              }
              owner.startWorkspace(setUp, project);
            } finally {
              arriving.release();
            }
          },
          120 + plan.teams() * 10L,
          setUp,
          "set up team");
      List<Developer> ready =
          developers.stream().filter(d -> d.session != null && d.teamProject != null).toList();
      if (ready.isEmpty()) return new Result(plan, crowd, solo, setUp, resources, 0);

      // The baseline of this run: one developer alone.
      Developer first = ready.get(0);
      first.openTerminal(solo);
      long soloEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int i = 0; i < SOLO_ROUNDS && System.nanoTime() < soloEnds; i++)
        first.round(solo, soloEnds);

      // The crowd: every terminal opened at once (or spread over the plan's ramp), then rounds
      // until the time is up.
      resources.sample();
      long started = System.nanoTime();
      long deadline = started + plan.duration().toNanos();
      Thread sampler =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline) {
                  try {
                    Thread.sleep(5_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                  resources.sample();
                }
              },
              "load-resources");
      sampler.setDaemon(true);
      sampler.start();
      all(
          pool,
          ready,
          d -> {
            long arrivesAt = started + plan.ramp().toNanos() * ready.indexOf(d) / ready.size();
            long wait = arrivesAt - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            if (d != first) d.openTerminal(crowd);
            while (System.nanoTime() < deadline) d.round(crowd, deadline);
          },
          plan.duration().toSeconds() + 120,
          crowd,
          "work");
      loadNanos = System.nanoTime() - started;
      sampler.interrupt();
      resources.sample();
      resources.sampleContainers(installation);

      // Leaving: terminals ended, projects deleted (their containers go with them).
      all(pool, ready, d -> d.closeTerminal(setUp), 60, setUp, "leave");
      all(
          pool,
          developers,
          d -> {
            if (d.session == null) return;
            d.deleteProject(setUp, d.ownProject);
            if (d.teamProject != null && d == teamOwner(developers, d)) {
              d.deleteProject(setUp, d.teamProject);
            }
          },
          120,
          setUp,
          "delete projects");
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    return new Result(plan, crowd, solo, setUp, resources, loadNanos / 1e9);
  }

  private Developer teamOwner(List<Developer> developers, Developer d) {
    return developers.get((d.n / plan.teamSize()) * plan.teamSize());
  }

  interface Work<T> {
    void on(T item) throws Exception;
  }

  /**
   * Runs {@code work} on every item in parallel and waits at most {@code seconds}; what is still
   * running then is interrupted (its step is counted as failed by the developer).
   */
  private static <T> void all(
      ExecutorService pool,
      List<T> items,
      Work<T> work,
      long seconds,
      Recorder recorder,
      String phase)
      throws InterruptedException {
    List<Future<?>> futures = new ArrayList<>();
    for (T item : items) {
      Callable<Void> task =
          () -> {
            work.on(item);
            return null;
          };
      futures.add(pool.submit(task));
    }
    long cutOff = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (Future<?> f : futures) {
      try {
        f.get(Math.max(1, cutOff - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException late) {
        f.cancel(true);
        recorder.failed(phase, "still running after " + seconds + " s: cut off");
      } catch (java.util.concurrent.ExecutionException e) {
        // a developer's steps record their own failures; anything else is a bug of the tool
        throw new IllegalStateException(e.getCause());
      }
    }
  }
}
