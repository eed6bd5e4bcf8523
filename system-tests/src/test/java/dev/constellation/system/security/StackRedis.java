package dev.constellation.system.security;

import dev.constellation.system.SystemStack;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A few raw commands to the stack's own redis-server, to look at what the services stored (a
 * ticket's lifetime) and to age it. The server is found as a child process of this test JVM.
 */
final class StackRedis implements AutoCloseable {
  /**
   * redis-server retitles itself "redis-server 127.0.0.1:PORT"; before that its arguments say
   * --port.
   */
  private static final Pattern PORT =
      Pattern.compile("redis-server\\S*\\s+(?:\\S*:(\\d+)|.*--port\\s+(\\d+))");

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private StackRedis(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static StackRedis connect() throws IOException {
    SystemStack.get();
    return new StackRedis(
        ProcessHandle.current()
            .descendants()
            .map(StackRedis::commandLine)
            .filter(c -> c.contains("redis-server"))
            .map(PORT::matcher)
            .filter(Matcher::find)
            .map(m -> Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no redis-server child process found")));
  }

  /** /proc/PID/cmdline as text: redis-server rewrites it, which ProcessHandle.Info may not show. */
  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw =
          java.nio.file.Files.readAllBytes(
              java.nio.file.Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException | RuntimeException e) {
      return process.info().commandLine().orElse("");
    }
  }

  Object command(String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(request.toByteArray());
    out.flush();
    return read();
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IOException("redis: " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) yield null;
        byte[] bytes = in.readNBytes(length);
        line();
        yield new String(bytes, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) items.add(read());
        yield items;
      }
      default -> throw new IOException("unexpected redis reply type " + type);
    };
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) throw new IOException("redis closed the connection");
      s.append((char) c);
    }
    in.read();
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
