package dev.constellation.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.audit.AuditEvent;
import dev.constellation.system.SystemStack;
import dev.constellation.system.security.Checklist;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * B71: audit events that a consumer read from the stream and never acknowledged — it was killed
 * between reading and storing, or its replica came back under another name — are taken over by the
 * running project-service (XAUTOCLAIM once idle {@code AUDIT_RECLAIM_MIN_IDLE}, 2 s in the system
 * stack) and stored once each: nothing lost, nothing twice.
 */
class AuditResumeIT {
  /** Adds three events and reads them as "dead-replica" in one step, so no live consumer can. */
  private static final String READ_AND_DIE =
      "for i = 1, 3 do redis.call('XADD', KEYS[1], '*', 'time', ARGV[3], 'service',"
          + " 'workspace-service', 'action', 'terminal.open', 'actorId', ARGV[2], 'd.n',"
          + " tostring(i)) end local read = redis.call('XREADGROUP', 'GROUP', ARGV[1],"
          + " 'dead-replica', 'COUNT', 1000, 'STREAMS', KEYS[1], '>') return #read[1][2]";

  @Test
  @Checklist({"B71"})
  void eventsADeadConsumerLeftPendingAreStoredOnceEach() throws Exception {
    int redis = SystemStack.get().redis().port();
    String actor = "audit-resume-" + UUID.randomUUID();
    String taken =
        StackFaults.redis(
            redis,
            "EVAL",
            READ_AND_DIE,
            "1",
            AuditEvent.STREAM,
            "project-service",
            actor,
            Instant.now().toString());
    assertThat(taken).as("events read by the dead consumer").matches(":[3-9]\\d*");
    assertThat(CommittedWrites.auditOf(actor)).as("not stored before the take-over").isZero();

    long dead = System.nanoTime();
    StackFaults.await(
        Duration.ofSeconds(30),
        "the dead consumer's events are stored",
        () -> CommittedWrites.auditOf(actor) == 3);
    FaultRecoveryIT.recovered("audit events of a dead consumer stored (min idle 2 s)", dead);
    StackFaults.await(
        Duration.ofSeconds(10),
        "and no longer pending with the dead consumer",
        () -> pendingOfDeadReplica(redis).equals("*0"));
    Thread.sleep(3000); // more rounds of the take-over: nothing is stored twice
    assertThat(CommittedWrites.auditOf(actor)).isEqualTo(3);
  }

  private static String pendingOfDeadReplica(int redis) {
    try {
      return StackFaults.redis(
          redis, "XPENDING", AuditEvent.STREAM, "project-service", "-", "+", "10", "dead-replica");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
