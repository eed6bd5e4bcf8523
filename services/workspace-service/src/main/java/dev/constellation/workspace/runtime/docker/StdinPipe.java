package dev.constellation.workspace.runtime.docker;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stdin of a terminal exec: WebSocket threads offer bytes, docker-java's thread reads them.
 * Language servers use it both ways: for their stdin, and for their stdout (docker-java's thread
 * offers, the bridge's thread reads; {@link #finish} ends it after what is queued). Unlike
 * PipedInputStream it does not care which threads write or whether they are still alive. What waits
 * here is bounded: a shell that does not read while a client floods it must not grow the heap, so
 * an offer beyond the bound is refused and the caller ends the terminal.
 */
final class StdinPipe extends InputStream {
  private static final byte[] EOF = new byte[0];
  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private final AtomicLong pending = new AtomicLong();
  private final long maxPendingBytes;
  private byte[] current = new byte[0];
  private int position;
  private volatile boolean closed;

  StdinPipe(long maxPendingBytes) {
    this.maxPendingBytes = maxPendingBytes;
  }

  /** Queues the bytes; false when that would hold more than the bound (nothing is queued then). */
  boolean offer(byte[] bytes) {
    if (closed || bytes.length == 0) return true;
    if (pending.addAndGet(bytes.length) > maxPendingBytes) {
      pending.addAndGet(-bytes.length);
      return false;
    }
    chunks.add(bytes.clone());
    return true;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) return 0;
    while (position >= current.length) {
      if (current == EOF) return -1;
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      position = 0;
      if (current == EOF) return -1;
      // Counted out when taken: the chunk in hand is at most one message, which the frame limit
      // bounds.
      pending.addAndGet(-current.length);
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current, position, buffer, offset, n);
    position += n;
    return n;
  }

  /** Ends the stream after the bytes already queued (close drops them). */
  void finish() {
    if (!closed) {
      closed = true;
      chunks.add(EOF);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      chunks.clear();
      chunks.add(EOF);
    }
  }
}
