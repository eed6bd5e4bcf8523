package dev.constellation.workspace.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * What a file is, for the editor: text it may open, or bytes it must never turn into text (saving
 * them back would corrupt them). Decided from the content — a NUL or invalid UTF-8 in the first 8
 * KB, as git and most editors do — not from the name, which anyone can choose.
 */
record FileKind(boolean binary, String mediaType) {
  static final int SNIFF_BYTES = 8192;

  static FileKind of(String name, byte[] bytes) {
    boolean binary = looksBinary(bytes);
    return new FileKind(binary, mediaType(name, bytes, binary));
  }

  static boolean looksBinary(byte[] bytes) {
    int n = Math.min(bytes.length, SNIFF_BYTES);
    for (int i = 0; i < n; i++) if (bytes[i] == 0) return true;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
    CharBuffer out = CharBuffer.allocate(n);
    // Not the end of input when cut at 8 KB: a character split by the cut is not an error.
    CoderResult result = decoder.decode(in, out, n == bytes.length);
    if (result.isError()) return true;
    if (n == bytes.length) {
      try {
        return decoder.flush(out).isError();
      } catch (IllegalStateException e) {
        return false;
      }
    }
    return false;
  }

  // Images are recognised by their magic numbers, so a renamed file is shown for what it is.
  private static String mediaType(String name, byte[] b, boolean binary) {
    if (binary) {
      if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
      if (startsWith(b, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
      if (startsWith(b, 'G', 'I', 'F', '8')) return "image/gif";
      if (startsWith(b, 'R', 'I', 'F', 'F')
          && b.length >= 12
          && b[8] == 'W'
          && b[9] == 'E'
          && b[10] == 'B'
          && b[11] == 'P') return "image/webp";
      if (startsWith(b, '%', 'P', 'D', 'F')) return "application/pdf";
    }
    Optional<MediaType> byName = MediaTypeFactory.getMediaType(name);
    String guess = byName.map(MediaType::toString).orElse(null);
    if (binary) {
      // A name promising an image or text the bytes are not is not believed.
      if (guess == null || guess.startsWith("image/") || guess.startsWith("text/"))
        return MediaType.APPLICATION_OCTET_STREAM_VALUE;
      return guess;
    }
    if ("image/svg+xml".equals(guess)) return guess;
    if (guess == null || guess.startsWith("image/")) return MediaType.TEXT_PLAIN_VALUE;
    return guess;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) if ((bytes[i] & 0xFF) != prefix[i]) return false;
    return true;
  }
}
