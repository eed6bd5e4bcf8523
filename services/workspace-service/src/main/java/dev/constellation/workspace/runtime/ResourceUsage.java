package dev.constellation.workspace.runtime;

/**
 * What a workspace uses at one moment.
 *
 * @param memoryBytes memory in use, page cache left out (what pausing it keeps occupied)
 * @param cpuNanos CPU time used since the workspace started, all cores together
 * @param recentCpus cores in use over the last second or so; negative when unknown
 */
public record ResourceUsage(long memoryBytes, long cpuNanos, double recentCpus) {}
