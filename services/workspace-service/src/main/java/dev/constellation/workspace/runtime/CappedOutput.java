package dev.constellation.workspace.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a stream's bytes up to a cap, dropping the rest, so a chatty command cannot exhaust
 * memory.
 */
public final class CappedOutput {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final int cap;
  private boolean truncated;

  public CappedOutput(int cap) {
    this.cap = cap;
  }

  public synchronized void append(byte[] data, int offset, int length) {
    int room = cap - bytes.size();
    if (length > room) truncated = true;
    if (room > 0) bytes.write(data, offset, Math.min(room, length));
  }

  public synchronized boolean truncated() {
    return truncated;
  }

  public synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  /**
   * The kept bytes as UTF-8; a multi-byte character split by the cap becomes a replacement
   * character.
   */
  public synchronized String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
