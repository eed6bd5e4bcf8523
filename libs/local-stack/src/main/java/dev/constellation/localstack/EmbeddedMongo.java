package dev.constellation.localstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server speaking the MongoDB wire protocol, so that the services use the official driver
 * unchanged with no database to install. Persisted to an H2 file when given one.
 */
public final class EmbeddedMongo implements AutoCloseable {
  private final MongoServer server;
  private final Object backend;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, Object backend, InetSocketAddress address) {
    this.server = server;
    this.backend = backend;
    this.address = address;
  }

  /** Starts a server persisted to {@code file}, on {@code port} (0 = any free port). */
  public static EmbeddedMongo persistent(Path file, int port) throws java.io.IOException {
    return persistent(file, "127.0.0.1", port);
  }

  /**
   * Starts a server persisted to {@code file} on {@code host}; a container binds 0.0.0.0 so that
   * other containers reach it (see {@link MongoWireServer}).
   */
  public static EmbeddedMongo persistent(Path file, String host, int port)
      throws java.io.IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    H2WithHello backend = new H2WithHello(file.toAbsolutePath().toString());
    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    return new EmbeddedMongo(server, backend, server.getLocalAddress());
  }

  /** Starts a throw-away in-memory server on any free port: for tests. */
  public static EmbeddedMongo inMemory() {
    MemoryWithHello backend = new MemoryWithHello();
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", 0);
    return new EmbeddedMongo(server, backend, server.getLocalAddress());
  }

  public int port() {
    return address.getPort();
  }

  /**
   * The services' connection string. A short server selection: with the server away, a request gets
   * a 503 within about three seconds instead of the driver's default 30 s wait. A socket timeout:
   * with the server frozen (connections open, nothing answers) a request already sent would
   * otherwise wait for ever (the driver's default is no timeout; measured: it hung until the server
   * came back, 25 s and more); without read retries that is at most 5 s (with them, 10 s: the
   * driver read again on a new connection to the same frozen server).
   */
  public String uri() {
    return uri(port());
  }

  static String uri(int port) {
    return "mongodb://127.0.0.1:"
        + port
        + "/?serverSelectionTimeoutMS=3000&socketTimeoutMS=5000&retryReads=false";
  }

  @Override
  public void close() {
    server.shutdown();
  }

  /**
   * mongo-java-server answers {@code isMaster} but not its successor {@code hello}, which Spring
   * Boot's MongoDB health check sends: without it every service reports the database DOWN.
   */
  static Document hello(Document isMaster) {
    isMaster.put("isWritablePrimary", Boolean.TRUE);
    return isMaster;
  }

  private static boolean isHello(String command) {
    return "hello".equalsIgnoreCase(command);
  }

  /** Commands that change data: each is committed to the file before it is acknowledged. */
  private static final java.util.Set<String> WRITES =
      java.util.Set.of(
          "insert",
          "update",
          "delete",
          "findandmodify",
          "create",
          "drop",
          "dropdatabase",
          "createindexes",
          "dropindexes",
          "renamecollection");

  static final class H2WithHello extends H2Backend {
    H2WithHello(String file) {
      super(file);
    }

    @Override
    public Document handleCommand(
        Channel channel, String database, String command, Document query) {
      if (isHello(command)) return hello(super.handleCommand(channel, database, "isMaster", query));
      Document result = super.handleCommand(channel, database, command, query);
      // H2's MVStore otherwise writes in the background about once a second: a crash of the
      // process would lose writes the services were already told had succeeded.
      if (WRITES.contains(command.toLowerCase(java.util.Locale.ROOT))) commit();
      return result;
    }
  }

  /** Whether everything acknowledged so far is in the file (for tests). */
  boolean hasUncommittedChanges() {
    return backend instanceof H2Backend h2 && h2.getMvStore().hasUnsavedChanges();
  }

  private static final class MemoryWithHello extends MemoryBackend {
    @Override
    public Document handleCommand(
        Channel channel, String database, String command, Document query) {
      return isHello(command)
          ? hello(super.handleCommand(channel, database, "isMaster", query))
          : super.handleCommand(channel, database, command, query);
    }
  }
}
