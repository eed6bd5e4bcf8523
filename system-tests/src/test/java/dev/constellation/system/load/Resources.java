package dev.constellation.system.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What each process of the stack uses while the crowd works, read from /proc: the service JVMs,
 * redis-server and the fake AI upstream (children of this JVM, which is the launcher and runs the
 * MongoDB-wire server and the simulated developers too), and the workspace containers ({@code
 * docker stats}).
 */
final class Resources {
  /** One process: CPU seconds used during the load, and the highest RSS, threads and fds seen. */
  static final class Usage {
    final String name;
    final long pid;
    double cpuStart = Double.NaN;
    double cpuEnd = Double.NaN;
    long rssPeakKib;
    int threadsPeak;
    int fdsPeak;

    Usage(String name, long pid) {
      this.name = name;
      this.pid = pid;
    }

    double cpuSeconds() {
      return cpuEnd - cpuStart;
    }
  }

  private static final double TICKS = 100; // USER_HZ on Linux
  private final Map<Long, Usage> usage = new LinkedHashMap<>();
  private final List<String> containers = new ArrayList<>();

  /** This JVM and its descendants that belong to the stack, named by their command line. */
  synchronized void sample() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(ProcessHandle.current());
    ProcessHandle.current().descendants().forEach(all::add);
    // The engine: every exec and attach is work for dockerd, containerd and the container's shim.
    ProcessHandle.allProcesses().filter(p -> engine(p) != null).forEach(all::add);
    for (ProcessHandle p : all) {
      String name = name(p);
      if (name == null) continue;
      Usage u = usage.computeIfAbsent(p.pid(), pid -> new Usage(name, pid));
      try {
        Path proc = Path.of("/proc", String.valueOf(p.pid()));
        String stat = Files.readString(proc.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        if (Double.isNaN(u.cpuStart)) u.cpuStart = cpu;
        u.cpuEnd = cpu;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
          if (line.startsWith("VmRSS:"))
            u.rssPeakKib = Math.max(u.rssPeakKib, Long.parseLong(line.replaceAll("\\D", "")));
          if (line.startsWith("Threads:"))
            u.threadsPeak = Math.max(u.threadsPeak, Integer.parseInt(line.replaceAll("\\D", "")));
        }
        try (var fds = Files.list(proc.resolve("fd"))) {
          u.fdsPeak = Math.max(u.fdsPeak, (int) fds.count());
        }
      } catch (IOException | RuntimeException gone) {
        // the process ended between listing and reading
      }
    }
  }

  private static String engine(ProcessHandle p) {
    String comm = comm(p);
    if (comm == null) return null;
    if (comm.equals("dockerd") || comm.equals("containerd")) return comm;
    if (comm.startsWith("containerd-shim")) return "containerd-shim (one per container)";
    return null;
  }

  private static String comm(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "comm")).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static String name(ProcessHandle p) {
    if (engine(p) != null) return engine(p);
    if (p.pid() == ProcessHandle.current().pid())
      return "test JVM (launcher, MongoDB-wire, load clients)";
    String cmd;
    try {
      cmd =
          new String(
                  Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                  StandardCharsets.UTF_8)
              .replace('\0', ' ');
    } catch (IOException e) {
      return null;
    }
    for (String service :
        List.of("api-gateway", "project-service", "workspace-service", "claude-service"))
      if (cmd.contains(service + ".jar")) return service;
    // The redis-server binary itself, not a shell or helper that names it.
    if ("redis-server".equals(comm(p))) return "redis-server";
    if (cmd.contains("fake-anthropic")) return "fake AI upstream (node)";
    return null;
  }

  /** {@code docker stats} of the installation's workspace containers, now (while loaded). */
  synchronized void sampleContainers(String installation) {
    containers.clear();
    String ids =
        run(
            "docker",
            "ps",
            "-q",
            "--filter",
            "label=dev.constellation.installation=" + installation);
    if (ids == null || ids.isBlank()) return;
    List<String> command =
        new ArrayList<>(
            List.of(
                "docker",
                "stats",
                "--no-stream",
                "--format",
                "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}"));
    ids.lines().filter(l -> !l.isBlank()).forEach(command::add);
    String out = run(command.toArray(String[]::new));
    if (out != null) out.lines().filter(l -> !l.isBlank()).forEach(containers::add);
  }

  synchronized String table() {
    StringBuilder t = new StringBuilder();
    t.append("| process | CPU s during load | RSS peak MiB | threads peak | open fds peak |\n");
    t.append("|---|---:|---:|---:|---:|\n");
    Map<String, double[]> shims = new LinkedHashMap<>();
    for (Usage u : usage.values()) {
      if (u.name.startsWith("containerd-shim")) {
        // Summed: one row for all of them (this run's workspaces and anyone else's).
        double[] sum = shims.computeIfAbsent(u.name, k -> new double[5]);
        sum[0] += Double.isNaN(u.cpuSeconds()) ? 0 : u.cpuSeconds();
        sum[1] += u.rssPeakKib / 1024.0;
        sum[2] += u.threadsPeak;
        sum[3] += u.fdsPeak;
        sum[4]++;
        continue;
      }
      t.append(
          String.format(
              "| %s (pid %d) | %.1f | %d | %d | %d |%n",
              u.name, u.pid, u.cpuSeconds(), u.rssPeakKib / 1024, u.threadsPeak, u.fdsPeak));
    }
    shims.forEach(
        (name, sum) ->
            t.append(
                String.format(
                    "| %s, %d processes summed | %.1f | %.0f | %.0f | %.0f |%n",
                    name, (int) sum[4], sum[0], sum[1], sum[2], sum[3])));
    if (!containers.isEmpty()) {
      t.append("\n| workspace container | CPU % | memory | PIDs |\n|---|---:|---:|---:|\n");
      for (String c : containers) {
        String[] f = c.split("\\|");
        if (f.length == 4)
          t.append("| ")
              .append(f[0].replaceFirst("^constellation-[^-]+-[^-]+-", ""))
              .append(" | ")
              .append(f[1])
              .append(" | ")
              .append(f[2])
              .append(" | ")
              .append(f[3])
              .append(" |\n");
      }
    }
    return t.toString();
  }

  synchronized double cpuSeconds(String name) {
    return usage.values().stream()
        .filter(u -> u.name.equals(name))
        .mapToDouble(Usage::cpuSeconds)
        .sum();
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) return null;
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
