package dev.constellation.workspace.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageProducer;

/**
 * lsp4j's Content-Length framing of a server's stdio, with the messages passed on as text: the
 * bridge forwards them and does not need (or want) lsp4j to parse them into its own types and write
 * them back, which could change what the two ends said.
 */
final class ServerFraming {
  private static final MessageJsonHandler UNUSED = new MessageJsonHandler(Map.of());

  private ServerFraming() {}

  /** Reads framed messages from a server; ends at its end of output or at a too large message. */
  static final class Reader extends StreamMessageProducer {
    private final int maxBytes;
    private final Consumer<String> sink;
    private volatile boolean tooLarge;

    Reader(InputStream input, int maxBytes, Consumer<String> sink) {
      super(input, UNUSED);
      this.maxBytes = maxBytes;
      this.sink = sink;
    }

    /** Runs until the stream ends; true when it stopped at a message larger than allowed. */
    boolean run() {
      listen(message -> {});
      return tooLarge;
    }

    @Override
    protected boolean handleMessage(InputStream input, Headers headers) {
      if (headers.contentLength > maxBytes) {
        tooLarge = true;
        return false;
      }
      try {
        byte[] content = input.readNBytes(headers.contentLength);
        if (content.length < headers.contentLength) return false;
        sink.accept(new String(content, Charset.forName(headers.charset)));
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Writes messages to a server, each with its Content-Length header. */
  static final class Writer extends StreamMessageConsumer {
    private final OutputStream output;

    Writer(OutputStream output) {
      super(output, StandardCharsets.UTF_8.name(), UNUSED);
      this.output = output;
    }

    void send(String json) throws IOException {
      byte[] content = json.getBytes(StandardCharsets.UTF_8);
      byte[] header = getHeader(content.length).getBytes(StandardCharsets.US_ASCII);
      synchronized (this) {
        output.write(header);
        output.write(content);
        output.flush();
      }
    }
  }
}
