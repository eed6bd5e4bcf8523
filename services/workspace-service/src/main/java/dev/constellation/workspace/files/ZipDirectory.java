package dev.constellation.workspace.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Counts a zip's entries from its end-of-central-directory record (zip64 included) and by stepping
 * over the central directory's fixed-size headers, before any zip library parses it: a
 * million-entry directory costs a library hundreds of MB of heap, this a few KB. The archive must
 * also be self-consistent (the directory ends where the end record begins, and holds as many
 * headers as the record says), so every reader sees the same entries this count saw.
 */
final class ZipDirectory {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int CFH_SIG = 0x02014b50;
  private static final int EOCD_MIN = 22;
  private static final int CFH_FIXED = 46;

  /** Why an archive is refused before it is opened. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private ZipDirectory() {}

  /** The number of entries, refusing more than {@code max} or an archive whose records disagree. */
  static long countEntries(FileChannel zip, long max) throws IOException, Refused {
    long size = zip.size();
    if (size < EOCD_MIN) throw new Refused("The upload is not a readable zip archive.");
    int tailLength = (int) Math.min(size, EOCD_MIN + 0xFFFF);
    ByteBuffer tail = read(zip, size - tailLength, tailLength);
    int at = -1;
    for (int i = tailLength - EOCD_MIN; i >= 0; i--) {
      if (tail.getInt(i) == EOCD_SIG) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new Refused("The upload is not a readable zip archive.");
    long eocdPosition = size - tailLength + at;
    long declared = Short.toUnsignedLong(tail.getShort(at + 10));
    long directorySize = Integer.toUnsignedLong(tail.getInt(at + 12));
    long directoryOffset = Integer.toUnsignedLong(tail.getInt(at + 16));
    long directoryEnd = eocdPosition;

    // A zip64 locator right before the record means the zip64 record holds the real numbers
    // (readers look for it whether or not the 32-bit fields are saturated).
    if (eocdPosition >= 20 && read(zip, eocdPosition - 20, 4).getInt(0) == ZIP64_LOCATOR_SIG) {
      long zip64Position = read(zip, eocdPosition - 20 + 8, 8).getLong(0);
      if (zip64Position < 0 || zip64Position > eocdPosition - 20 - 56)
        throw new Refused("The archive's zip64 record is damaged.");
      ByteBuffer record = read(zip, zip64Position, 56);
      if (record.getInt(0) != ZIP64_EOCD_SIG)
        throw new Refused("The archive's zip64 record is damaged.");
      declared = record.getLong(32);
      directorySize = record.getLong(40);
      directoryOffset = record.getLong(48);
      directoryEnd = zip64Position;
    }
    if (declared < 0 || declared > max) {
      throw new Refused(
          "The archive has "
              + Long.toUnsignedString(declared)
              + " entries; at most "
              + max
              + " are accepted.");
    }
    if (directoryOffset < 0
        || directorySize < 0
        || directoryOffset + directorySize != directoryEnd) {
      throw new Refused(
          "The archive's central directory is not where its end record says; archives with data before or after it are not accepted.");
    }

    long counted = 0;
    long position = directoryOffset;
    ByteBuffer header = ByteBuffer.allocate(CFH_FIXED).order(ByteOrder.LITTLE_ENDIAN);
    while (position < directoryEnd) {
      if (++counted > max)
        throw new Refused(
            "The archive has more than " + max + " entries; at most " + max + " are accepted.");
      header.clear();
      readFully(zip, header, position);
      if (header.getInt(0) != CFH_SIG)
        throw new Refused("The archive's central directory is damaged.");
      int variable =
          Short.toUnsignedInt(header.getShort(28))
              + Short.toUnsignedInt(header.getShort(30))
              + Short.toUnsignedInt(header.getShort(32));
      position += CFH_FIXED + variable;
    }
    if (position != directoryEnd || counted != declared) {
      throw new Refused("The archive's central directory disagrees with its end record.");
    }
    return counted;
  }

  private static ByteBuffer read(FileChannel zip, long position, int length)
      throws IOException, Refused {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    readFully(zip, buffer, position);
    return buffer;
  }

  private static void readFully(FileChannel zip, ByteBuffer buffer, long position)
      throws IOException, Refused {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = zip.read(buffer, at);
      if (n < 0) throw new Refused("The archive ends early; it is damaged.");
      at += n;
    }
  }
}
