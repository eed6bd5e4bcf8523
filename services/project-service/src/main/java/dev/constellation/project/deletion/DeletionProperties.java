package dev.constellation.project.deletion;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the deletion worker retries.
 *
 * @param interval pause between two scans of pending deletions
 * @param retryDelay wait after a first failed attempt; doubled after each further failure
 * @param maxRetryDelay longest wait between two attempts
 * @param lease how long a replica holds a deletion it is working on before another may take it
 */
@ConfigurationProperties(prefix = "constellation.deletion")
record DeletionProperties(
    Duration interval, Duration retryDelay, Duration maxRetryDelay, Duration lease) {}
