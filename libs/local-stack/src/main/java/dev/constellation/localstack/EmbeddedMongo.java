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
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
    this.server = server;
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
  public static EmbeddedMongo persistent(Path file, String host, int port) throws java.io.IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    MongoServer server = new MongoServer(new H2WithHello(file.toAbsolutePath().toString()));
    server.bind(host, port);
    return new EmbeddedMongo(server, server.getLocalAddress());
  }

  /** Starts a throw-away in-memory server on any free port: for tests. */
  public static EmbeddedMongo inMemory() {
    MongoServer server = new MongoServer(new MemoryWithHello());
    server.bind("127.0.0.1", 0);
    return new EmbeddedMongo(server, server.getLocalAddress());
  }

  public int port() {
    return address.getPort();
  }

  public String uri() {
    return "mongodb://127.0.0.1:" + port() + "/";
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

  private static final class H2WithHello extends H2Backend {
    H2WithHello(String file) {
      super(file);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
      return isHello(command) ? hello(super.handleCommand(channel, database, "isMaster", query))
          : super.handleCommand(channel, database, command, query);
    }
  }

  private static final class MemoryWithHello extends MemoryBackend {
    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
      return isHello(command) ? hello(super.handleCommand(channel, database, "isMaster", query))
          : super.handleCommand(channel, database, command, query);
    }
  }
}
