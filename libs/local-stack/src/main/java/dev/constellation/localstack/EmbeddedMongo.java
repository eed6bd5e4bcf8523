package dev.constellation.localstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
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
    MongoServer server = new MongoServer(new H2Backend(file.toAbsolutePath().toString()));
    server.bind(host, port);
    return new EmbeddedMongo(server, server.getLocalAddress());
  }

  /** Starts a throw-away in-memory server on any free port: for tests. */
  public static EmbeddedMongo inMemory() {
    MongoServer server = new MongoServer(new MemoryBackend());
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
}
