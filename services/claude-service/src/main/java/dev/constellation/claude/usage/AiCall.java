package dev.constellation.claude.usage;

import dev.constellation.common.auth.AuthenticatedUser;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One admitted AI request: a slot of the user's concurrency cap and the tokens reserved for it.
 * Every model call made for it is charged here ({@link UsageService#finish}); {@link #close()}
 * settles the ledger (refunding what was reserved but not used) and frees the slot, exactly once,
 * whatever way the request ended.
 */
public final class AiCall implements AutoCloseable {
  private final UsageService usage;
  private final AuthenticatedUser user;
  private final String projectId;
  private final TokenLedger.Keys ledger;
  private final long reserved;
  private final AtomicLong charged = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  AiCall(
      UsageService usage,
      AuthenticatedUser user,
      String projectId,
      TokenLedger.Keys ledger,
      long reserved) {
    this.usage = usage;
    this.user = user;
    this.projectId = projectId;
    this.ledger = ledger;
    this.reserved = reserved;
  }

  public AuthenticatedUser user() {
    return user;
  }

  public String projectId() {
    return projectId;
  }

  /** The ledgers the reservation charged; null when no budget applies (unlimited). */
  TokenLedger.Keys ledger() {
    return ledger;
  }

  long reserved() {
    return reserved;
  }

  long charged() {
    return charged.get();
  }

  void charge(long tokens) {
    charged.addAndGet(tokens);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      usage.settle(this);
    }
  }
}
