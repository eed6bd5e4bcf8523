import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands between workspace-service and the Docker API (in compose: in front of the
 * docker-socket-proxy, which only allowlists API sections and cannot read request bodies), so
 * that a compromised workspace-service still cannot take the host:
 * <ul>
 *   <li>{@code POST /containers/create} is refused when it asks for privileged mode, added
 *       capabilities, host (or another container's) namespaces, devices, volumes from other
 *       containers, unconfined security options, another runtime, bind mounts outside the
 *       allowed roots, or lacks the {@code dev.constellation.managed} label;</li>
 *   <li>every other call about one container (exec, attach, archive, start, stop, remove…) or one
 *       exec is allowed only for containers with that label, so a workspace-service cannot exec
 *       into the gateway, the database or the proxy itself;</li>
 *   <li>{@code POST /containers/{id}/exec} is refused with {@code Privileged}.</li>
 * </ul>
 * One request per upstream connection ({@code Connection: close}), so nothing the client
 * pipelines behind an inspected request reaches the daemon uninspected; upgraded (hijacked)
 * streams of exec and attach are relayed raw after their request was checked.
 *
 * <p>A single file on purpose: {@code java DockerApiFilter.java} runs it, the image compiles it,
 * no dependencies. Settings come from the environment:
 * {@code DOCKER_FILTER_LISTEN} (host:port, default 0.0.0.0:2375), {@code DOCKER_FILTER_UPSTREAM}
 * ({@code tcp://host:port} or {@code unix:///var/run/docker.sock}), {@code DOCKER_FILTER_BIND_ROOTS}
 * (colon-separated host directories bind mounts may come from, e.g. WORKSPACES_HOST_ROOT),
 * {@code DOCKER_FILTER_READONLY_FILES} (colon-separated host files that may be bind-mounted
 * read-only, and only read-only: WORKSPACE_CA_CERTIFICATES).
 */
public final class DockerApiFilter {
  static final String MANAGED_LABEL = "dev.constellation.managed";
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_INSPECTED_BODY = 1024 * 1024;
  private static final Pattern VERSION = Pattern.compile("^/v\\d+(\\.\\d+)?(?=/)");
  private static final Pattern CONTAINER_PATH = Pattern.compile("^/containers/([^/?]+)(/[^?]*)?");
  private static final Pattern PROJECT_DIRECTORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern EXEC_PATH = Pattern.compile("^/exec/([^/?]+)(/[^?]*)?");

  private final String upstream;
  private final List<Path> bindRoots;
  private final List<Path> readOnlyFiles;

  DockerApiFilter(String upstream, List<Path> bindRoots) {
    this(upstream, bindRoots, List.of());
  }

  DockerApiFilter(String upstream, List<Path> bindRoots, List<Path> readOnlyFiles) {
    this.upstream = upstream;
    this.bindRoots = bindRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.readOnlyFiles = readOnlyFiles.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public static void main(String[] args) throws IOException {
    String listen = env("DOCKER_FILTER_LISTEN", "0.0.0.0:2375");
    String upstream = env("DOCKER_FILTER_UPSTREAM", "unix:///var/run/docker.sock");
    List<Path> roots = new ArrayList<>();
    for (String root : env("DOCKER_FILTER_BIND_ROOTS", "").split(":")) {
      if (!root.isBlank()) roots.add(Path.of(root));
    }
    List<Path> files = new ArrayList<>();
    for (String file : env("DOCKER_FILTER_READONLY_FILES", "").split(":")) {
      if (!file.isBlank()) files.add(Path.of(file));
    }
    DockerApiFilter filter = new DockerApiFilter(upstream, roots, files);
    int colon = listen.lastIndexOf(':');
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))));
    System.out.println("docker-api-filter listening on " + listen + ", upstream " + upstream + ", bind roots " + filter.bindRoots);
    while (true) {
      Socket client = server.accept();
      daemon(() -> filter.serve(client));
    }
  }

  // --- The rules --------------------------------------------------------------------------------

  /** Why {@code POST /containers/create} with this body must not pass, or null when it may. */
  String createRefusal(Map<String, Object> body) {
    if (!(body.get("Labels") instanceof Map<?, ?> labels) || !"true".equals(labels.get(MANAGED_LABEL))) {
      return "containers must carry the label " + MANAGED_LABEL + "=true";
    }
    Map<?, ?> host = body.get("HostConfig") instanceof Map<?, ?> h ? h : Map.of();
    if (Boolean.TRUE.equals(host.get("Privileged"))) return "privileged containers are not allowed";
    if (nonEmpty(host.get("CapAdd"))) return "adding capabilities is not allowed";
    for (String key : List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode")) {
      String mode = host.get(key) instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
      if (mode.equals("host") || mode.startsWith("container:")) return key + " " + mode + " is not allowed";
    }
    for (String key : List.of("Devices", "DeviceRequests", "DeviceCgroupRules", "VolumesFrom", "Links")) {
      if (nonEmpty(host.get(key))) return key + " is not allowed";
    }
    if (host.get("Runtime") instanceof String runtime && !runtime.isEmpty() && !runtime.equals("runc")) {
      return "runtime " + runtime + " is not allowed";
    }
    if (host.get("SecurityOpt") instanceof List<?> options) {
      for (Object o : options) {
        String option = String.valueOf(o).toLowerCase(Locale.ROOT).replace('=', ':');
        if (option.contains("unconfined") || option.startsWith("label:disable") || option.startsWith("systempaths")) {
          return "security option " + o + " is not allowed";
        }
      }
    }
    if (host.get("Binds") instanceof List<?> binds) {
      for (Object b : binds) {
        String[] parts = String.valueOf(b).split(":");
        String source = parts[0];
        boolean readOnly = parts.length >= 3 && List.of(parts[2].split(",")).contains("ro");
        if (source.startsWith("/") && !allowedBindSource(source) && !(readOnly && allowedReadOnlyFile(source)))
          return "bind mount of " + source + " is not allowed";
      }
    }
    if (host.get("Mounts") instanceof List<?> mounts) {
      for (Object m : mounts) {
        Map<?, ?> mount = m instanceof Map<?, ?> map ? map : Map.of();
        String type = String.valueOf(mount.get("Type"));
        if (type.equals("bind")) {
          String source = String.valueOf(mount.get("Source"));
          if (!allowedBindSource(source) && !(Boolean.TRUE.equals(mount.get("ReadOnly")) && allowedReadOnlyFile(source)))
            return "bind mount of " + mount.get("Source") + " is not allowed";
        } else if (type.equals("volume")) {
          if (mount.get("VolumeOptions") instanceof Map<?, ?> options && options.get("DriverConfig") != null) {
            return "volumes with driver options are not allowed";
          }
        } else if (!type.equals("tmpfs")) {
          return "mounts of type " + type + " are not allowed";
        }
      }
    }
    return null;
  }

  /** Why an exec with this body must not be created, or null. */
  static String execRefusal(Map<String, Object> body) {
    return Boolean.TRUE.equals(body.get("Privileged")) ? "privileged execs are not allowed" : null;
  }

  /**
   * A bind source must be a project directory: a direct child of an allowed root with a project
   * id's name. Deeper paths are refused because the daemon follows symbolic links in the source,
   * and a workspace can plant links inside its own project directory.
   */
  boolean allowedBindSource(String source) {
    if (source == null || !source.startsWith("/") || source.contains("/../") || source.endsWith("/..")) return false;
    Path path = Path.of(source).normalize();
    Path parent = path.getParent();
    return parent != null && bindRoots.contains(parent)
        && PROJECT_DIRECTORY.matcher(path.getFileName().toString()).matches();
  }

  /** One of the files named by DOCKER_FILTER_READONLY_FILES, exactly (no parent, no sibling). */
  boolean allowedReadOnlyFile(String source) {
    if (source == null || !source.startsWith("/") || source.contains("/../") || source.endsWith("/..")) return false;
    return readOnlyFiles.contains(Path.of(source).normalize());
  }

  private static boolean nonEmpty(Object value) {
    return value instanceof List<?> list ? !list.isEmpty() : value != null && !(value instanceof String s && s.isEmpty());
  }

  // --- The proxy --------------------------------------------------------------------------------

  void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] headBytes = readHead(in);
      if (headBytes == null) return;
      String head = new String(headBytes, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      if (requestLine.length != 3) {
        refuse(out, 400, "malformed request line");
        return;
      }
      String method = requestLine[0].toUpperCase(Locale.ROOT);
      String target = requestLine[1];
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      String path = VERSION.matcher(target.split("\\?", 2)[0]).replaceFirst("");
      if (path.contains("..") || path.contains("%") || path.contains("//")) {
        refuse(out, 403, "encoded or dot segments are not allowed");
        return;
      }
      // Docker's hijacked streams (exec, attach) ask for "Upgrade: tcp"; any other upgrade (h2c…)
      // is dropped, so that it cannot turn the connection into an uninspected pipe.
      boolean upgrade = "tcp".equalsIgnoreCase(headers.getOrDefault("upgrade", ""));
      boolean create = method.equals("POST") && path.equals("/containers/create");
      Matcher container = CONTAINER_PATH.matcher(path);
      Matcher exec = EXEC_PATH.matcher(path);
      boolean execCreate = method.equals("POST") && container.matches() && "/exec".equals(container.group(2));
      boolean startWithBody = method.equals("POST") && container.matches() && "/start".equals(container.group(2));

      byte[] body = null;
      if (create || execCreate || startWithBody) {
        body = readBody(in, headers);
        if (body == null) {
          refuse(out, 413, "request body too large or malformed");
          return;
        }
      }
      String refusal = null;
      try {
        refusal = refusal(create, execCreate, startWithBody, path, container, exec, body);
      } catch (IllegalArgumentException e) {
        refusal = "unreadable JSON body: " + e.getMessage();
      }
      if (refusal != null) {
        refuse(out, 403, refusal);
        return;
      }
      forward(in, out, lines, upgrade, body, headers);
    } catch (IOException e) {
      // A client or the daemon went away mid-request: nothing to answer.
    }
  }

  private String refusal(boolean create, boolean execCreate, boolean startWithBody, String path, Matcher container,
      Matcher exec, byte[] body) throws IOException {
    String refusal = null;
    if (create) {
      refusal = createRefusal(asObject(body));
    } else if (container.matches() && !path.equals("/containers/json")) {
      refusal = managed("/containers/" + container.group(1) + "/json", "Config");
      if (refusal == null && execCreate) refusal = execRefusal(asObject(body));
      // API versions before 1.24 took a HostConfig at start: a way around the create check.
      if (refusal == null && startWithBody && body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
        refusal = "a body at container start is not allowed";
      }
    } else if (exec.matches()) {
      refusal = managedExec(exec.group(1));
    }
    return refusal;
  }

  private void forward(InputStream in, OutputStream out, String[] lines, boolean upgrade, byte[] body,
      Map<String, String> headers) throws IOException {
    try (SocketChannel up = connect()) {
      OutputStream upOut = output(up);
      StringBuilder forwarded = new StringBuilder(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).trim().toLowerCase(Locale.ROOT) : "";
        if (!upgrade && (name.equals("connection") || name.equals("upgrade") || name.equals("http2-settings"))) continue;
        if (body != null && (name.equals("content-length") || name.equals("transfer-encoding"))) continue;
        forwarded.append(lines[i]).append("\r\n");
      }
      if (!upgrade) forwarded.append("Connection: close\r\n");
      if (body != null) forwarded.append("Content-Length: ").append(body.length).append("\r\n");
      forwarded.append("\r\n");
      upOut.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        upOut.write(body);
      } else {
        copyBody(in, upOut, headers);
      }
      upOut.flush();
      InputStream upIn = input(up);
      byte[] responseHead = readHead(upIn);
      if (responseHead == null) return;
      out.write(responseHead);
      out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String status = new String(responseHead, 0, Math.min(responseHead.length, 16), StandardCharsets.ISO_8859_1);
      // Only once the daemon has switched protocols is the rest stdin, not HTTP: then relay it raw.
      if (upgrade && status.matches("HTTP/1\\.[01] 101.*")) {
        Thread pump = daemon(() -> {
          try {
            in.transferTo(upOut);
            up.shutdownOutput();
          } catch (IOException ignored) {
            // Either side went away; the other direction ends too.
          }
        });
        upIn.transferTo(out);
        pump.interrupt();
      } else {
        upIn.transferTo(out);
      }
      out.flush();
    }
  }

  /** Null when the container carries the managed label, else the refusal. */
  private String managed(String inspectPath, String configKey) throws IOException {
    Map<String, Object> info = get(inspectPath);
    if (info == null) return "no such container of ours";
    Map<?, ?> config = info.get(configKey) instanceof Map<?, ?> c ? c : Map.of();
    Map<?, ?> labels = config.get("Labels") instanceof Map<?, ?> l ? l : Map.of();
    return "true".equals(labels.get(MANAGED_LABEL)) ? null : "only containers labelled " + MANAGED_LABEL + " may be used";
  }

  private String managedExec(String execId) throws IOException {
    Map<String, Object> info = get("/exec/" + execId + "/json");
    if (info == null || !(info.get("ContainerID") instanceof String containerId)) return "no such exec of ours";
    return managed("/containers/" + containerId + "/json", "Config");
  }

  /** A GET to the daemon, answered as JSON, or null when it is not 200. */
  private Map<String, Object> get(String path) throws IOException {
    try (SocketChannel up = connect()) {
      OutputStream upOut = output(up);
      upOut.write(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      upOut.flush();
      InputStream upIn = input(up);
      byte[] head = readHead(upIn);
      if (head == null) return null;
      String text = new String(head, StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.1 200") && !text.startsWith("HTTP/1.0 200")) return null;
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : text.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      byte[] body = headers.containsKey("content-length") || "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
          ? readBody(upIn, headers) : upIn.readNBytes(MAX_INSPECTED_BODY);
      return body == null ? null : asObject(body);
    }
  }

  private SocketChannel connect() throws IOException {
    SocketAddress address;
    SocketChannel channel;
    if (upstream.startsWith("unix://")) {
      address = UnixDomainSocketAddress.of(upstream.substring("unix://".length()));
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } else {
      String hostPort = upstream.replaceFirst("^tcp://", "");
      int colon = hostPort.lastIndexOf(':');
      address = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      channel = SocketChannel.open();
    }
    channel.connect(address);
    return channel;
  }

  private static void refuse(OutputStream out, int status, String reason) throws IOException {
    System.out.println("refused (" + status + "): " + reason);
    byte[] body = ("{\"message\":\"docker-api-filter: " + reason.replace("\\", "\\\\").replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** The request or response head up to the blank line, or null at EOF. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) return null;
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        byte[] bytes = head.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 4);
      }
    }
    return null;
  }

  /** A whole body (Content-Length or chunked), at most 1 MiB; null when larger or malformed. */
  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) return null;
        int size;
        try {
          size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
        } catch (NumberFormatException e) {
          return null;
        }
        if (size < 0 || body.size() + size > MAX_INSPECTED_BODY) return null;
        if (size == 0) {
          while (true) {
            String trailer = readLine(in);
            if (trailer == null || trailer.isEmpty()) return body.toByteArray();
          }
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length != size) return null;
        body.write(chunk);
        readLine(in);
      }
    }
    String length = headers.get("content-length");
    if (length == null) return new byte[0];
    long n;
    try {
      n = Long.parseLong(length);
    } catch (NumberFormatException e) {
      return null;
    }
    if (n < 0 || n > MAX_INSPECTED_BODY) return null;
    byte[] body = in.readNBytes((int) n);
    return body.length == n ? body : null;
  }

  /** Relays a body that is not inspected, by its framing, and nothing after it. */
  private static void copyBody(InputStream in, OutputStream out, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) throw new IOException("truncated chunked body");
        out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
        if (size == 0) {
          while (true) {
            String trailer = readLine(in);
            if (trailer == null) throw new IOException("truncated chunked body");
            out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (trailer.isEmpty()) return;
          }
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length != size) throw new IOException("truncated chunk");
        out.write(chunk);
        readLine(in);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      long n = Long.parseLong(length);
      byte[] buffer = new byte[8192];
      while (n > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
        if (read < 0) throw new IOException("truncated body");
        out.write(buffer, 0, read);
        n -= read;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') return line.toString().replaceAll("\r$", "");
      line.append((char) b);
      if (line.length() > MAX_HEAD) return null;
    }
    return null;
  }

  // SocketChannel's own read and write may run in two threads at once; Channels.newInputStream
  // and newOutputStream would serialize them on one lock and deadlock a duplex stream.
  private static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        return n;
      }
    };
  }

  private static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) channel.write(buffer);
      }
    };
  }

  // --- A small JSON reader: objects, arrays, strings, numbers, booleans, null -------------------

  @SuppressWarnings("unchecked")
  static Map<String, Object> asObject(byte[] json) {
    if (json.length == 0) return Map.of();
    Object value = new Json(new String(json, StandardCharsets.UTF_8)).value();
    if (!(value instanceof Map)) throw new IllegalArgumentException("not a JSON object");
    return (Map<String, Object>) value;
  }

  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      if (i >= s.length()) throw new IllegalArgumentException("unexpected end of JSON");
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        skip();
        if (peek('}')) return map;
        do {
          skip();
          String key = string();
          skip();
          expect(':');
          // Docker matches keys case-insensitively; keep the first spelling's value and refuse duplicates.
          if (map.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key))) throw new IllegalArgumentException("duplicate key " + key);
          map.put(canonical(key), value());
          skip();
        } while (peek(','));
        expect('}');
        return map;
      }
      if (c == '[') {
        i++;
        List<Object> list = new ArrayList<>();
        skip();
        if (peek(']')) return list;
        do {
          list.add(value());
          skip();
        } while (peek(','));
        expect(']');
        return list;
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (start == i) throw new IllegalArgumentException("unexpected character at " + i);
      return Double.parseDouble(s.substring(start, i));
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') return out.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> { out.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
            default -> out.append(e);
          }
        } else {
          out.append(c);
        }
      }
      throw new IllegalArgumentException("unterminated string");
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private boolean peek(char c) {
      skip();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!peek(c)) throw new IllegalArgumentException("expected " + c + " at " + i);
    }
  }

  /** The daemon decodes field names case-insensitively (Go's encoding/json): so do the rules. */
  private static String canonical(String key) {
    for (String known : List.of("Labels", "HostConfig", "Privileged", "CapAdd", "NetworkMode", "PidMode", "IpcMode",
        "UTSMode", "UsernsMode", "CgroupnsMode", "Devices", "DeviceRequests", "DeviceCgroupRules", "VolumesFrom",
        "Links", "Runtime", "SecurityOpt", "Binds", "Mounts", "Type", "Source", "VolumeOptions", "DriverConfig",
        "Config", "ContainerID")) {
      if (known.equalsIgnoreCase(key)) return known;
    }
    return key;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static Thread daemon(Runnable task) {
    Thread t = new Thread(task);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
