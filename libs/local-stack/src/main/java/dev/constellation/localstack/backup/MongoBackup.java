package dev.constellation.localstack.backup;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import dev.constellation.localstack.EmbeddedMongo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Backs up and restores MongoDB databases in mongodump's directory layout — per database a folder,
 * per collection {@code <coll>.bson} (the documents as concatenated BSON) and {@code
 * <coll>.metadata.json} (indexes and options) — so that a backup of the local stack's MongoDB-wire
 * server restores with {@code mongorestore} into the Docker replica set, and a {@code mongodump} of
 * the replica set restores here.
 *
 * <pre>
 * MongoBackup backup  --uri mongodb://127.0.0.1:27018/ --out DIR [--data-file data/mongo/constellation.mv]
 * MongoBackup restore --uri mongodb://127.0.0.1:27018/ --in DIR  [--data-file data/mongo/constellation.mv]
 * MongoBackup check   --uri mongodb://127.0.0.1:27018/            [--data-file data/mongo/constellation.mv]
 * </pre>
 *
 * With {@code --data-file}, when nothing answers at {@code --uri} (the local stack is stopped) the
 * tool opens that H2 file itself for the duration of the command.
 */
public final class MongoBackup {
  /** Server-owned databases: users and replication state belong to the target, not the backup. */
  static final Set<String> SKIPPED_DATABASES = Set.of("admin", "config", "local");

  private static final JsonWriterSettings JSON =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
  private static final int BATCH = 500;

  private MongoBackup() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) usage();
    String command = args[0];
    String uri = "mongodb://127.0.0.1:27018/";
    Path dir = null;
    Path dataFile = null;
    for (int i = 1; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--uri" -> uri = value;
        case "--out", "--in" -> dir = Path.of(value);
        case "--data-file" -> dataFile = Path.of(value);
        default -> usage();
      }
      i++;
    }
    if (dir == null && !command.equals("check")) usage();
    EmbeddedMongo opened = null;
    boolean answers = answers(uri);
    if (!answers && (dataFile == null || !Files.exists(dataFile))) {
      System.err.println(
          "nothing answers at "
              + uri
              + (dataFile == null ? "" : " and there is no " + dataFile)
              + ": start the stack (make run) or pass the right --uri");
      System.exit(1);
    }
    if (!answers) {
      // Nothing listening: the local stack is stopped, so its H2 file is ours to open.
      opened = EmbeddedMongo.persistent(dataFile, 0);
      uri = opened.uri();
      System.out.println("local stack not running: opened " + dataFile + " directly");
    }
    try (MongoClient client = client(uri)) {
      switch (command) {
        case "backup" -> report(backup(client, dir), "backed up to " + dir);
        case "restore" -> report(restore(client, dir), "restored from " + dir);
        case "check" -> report(check(client), "MongoDB answers at " + uri);
        default -> usage();
      }
    } catch (MongoException e) {
      System.err.println("MongoDB at " + uri + " failed: " + e.getMessage());
      System.exit(1);
    } finally {
      if (opened != null) opened.close();
    }
  }

  /**
   * What {@code make db-init} shows in local mode: every collection with its count and index names.
   */
  public static List<String> check(MongoClient client) {
    client.getDatabase("admin").runCommand(new Document("ping", 1));
    List<String> lines = new ArrayList<>();
    for (String dbName : new TreeSet<>(client.listDatabaseNames().into(new ArrayList<>()))) {
      if (SKIPPED_DATABASES.contains(dbName)) continue;
      MongoDatabase db = client.getDatabase(dbName);
      for (String name : new TreeSet<>(db.listCollectionNames().into(new ArrayList<>()))) {
        List<String> indexes =
            db.getCollection(name)
                .listIndexes()
                .map(i -> i.getString("name"))
                .into(new ArrayList<>());
        lines.add(
            dbName
                + "."
                + name
                + ": "
                + db.getCollection(name).countDocuments()
                + " documents, indexes "
                + indexes);
      }
    }
    return lines;
  }

  /**
   * Writes every database but admin/config/local into {@code out}; returns one line per collection.
   */
  public static List<String> backup(MongoClient client, Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String dbName : new TreeSet<>(client.listDatabaseNames().into(new ArrayList<>()))) {
      if (SKIPPED_DATABASES.contains(dbName)) continue;
      MongoDatabase db = client.getDatabase(dbName);
      Path dbDir = Files.createDirectories(out.resolve(dbName));
      for (Document info : db.listCollections()) {
        String name = info.getString("name");
        if (name.startsWith("system.") || "view".equals(info.getString("type"))) continue;
        MongoCollection<RawBsonDocument> collection = db.getCollection(name, RawBsonDocument.class);
        long count = 0;
        try (OutputStream file =
                new BufferedOutputStream(Files.newOutputStream(dbDir.resolve(name + ".bson")));
            MongoCursor<RawBsonDocument> cursor = collection.find().iterator()) {
          while (cursor.hasNext()) {
            ByteBuffer bytes = cursor.next().getByteBuffer().asNIO();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            file.write(copy);
            count++;
          }
        }
        List<Document> indexes = db.getCollection(name).listIndexes().into(new ArrayList<>());
        Document options = info.get("options", Document.class);
        Document metadata =
            new Document("indexes", indexes)
                .append("collectionName", name)
                .append("type", "collection")
                .append("options", options == null ? new Document() : options);
        Files.writeString(dbDir.resolve(name + ".metadata.json"), metadata.toJson(JSON));
        lines.add(
            dbName + "." + name + ": " + count + " documents, " + indexes.size() + " indexes");
      }
    }
    return lines;
  }

  /**
   * Restores every database folder of {@code in} (mongodump's or ours), replacing each collection
   * it holds, as {@code mongorestore --drop} does. Other collections are left alone.
   */
  public static List<String> restore(MongoClient client, Path in) throws IOException {
    if (!Files.isDirectory(in)) throw new IOException(in + " is not a backup directory");
    List<String> lines = new ArrayList<>();
    List<Path> dbDirs;
    try (Stream<Path> children = Files.list(in)) {
      dbDirs = children.filter(Files::isDirectory).sorted().toList();
    }
    for (Path dbDir : dbDirs) {
      String dbName = dbDir.getFileName().toString();
      if (SKIPPED_DATABASES.contains(dbName)) continue;
      MongoDatabase db = client.getDatabase(dbName);
      for (String name : collectionsIn(dbDir)) {
        if (name.startsWith("system.")) continue;
        Document metadata = readMetadata(dbDir, name);
        db.getCollection(name).drop();
        // Created explicitly so that an empty collection comes back too, with its options.
        Document create = new Document("create", name);
        Document options = metadata.get("options", Document.class);
        if (options != null) create.putAll(options);
        db.runCommand(create);
        long count = insertAll(db.getCollection(name, RawBsonDocument.class), dbDir, name);
        int indexes =
            createIndexes(db, name, metadata.getList("indexes", Document.class, List.of()));
        lines.add(
            dbName
                + "."
                + name
                + ": "
                + count
                + " documents, "
                + indexes
                + " indexes created besides _id_");
      }
    }
    return lines;
  }

  private static Set<String> collectionsIn(Path dbDir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(dbDir)) {
      files
          .map(f -> f.getFileName().toString())
          .forEach(
              f -> {
                for (String suffix :
                    List.of(".metadata.json.gz", ".metadata.json", ".bson.gz", ".bson")) {
                  if (f.endsWith(suffix)) {
                    names.add(f.substring(0, f.length() - suffix.length()));
                    return;
                  }
                }
              });
    }
    return names;
  }

  private static Document readMetadata(Path dbDir, String name) throws IOException {
    Path plain = dbDir.resolve(name + ".metadata.json");
    Path gzipped = dbDir.resolve(name + ".metadata.json.gz");
    if (Files.exists(plain)) return Document.parse(Files.readString(plain));
    if (Files.exists(gzipped)) {
      try (InputStream gz = new GZIPInputStream(Files.newInputStream(gzipped))) {
        return Document.parse(new String(gz.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return new Document();
  }

  private static long insertAll(
      MongoCollection<RawBsonDocument> collection, Path dbDir, String name) throws IOException {
    Path plain = dbDir.resolve(name + ".bson");
    Path gzipped = dbDir.resolve(name + ".bson.gz");
    if (!Files.exists(plain) && !Files.exists(gzipped)) return 0;
    long count = 0;
    try (InputStream raw =
            Files.exists(plain)
                ? Files.newInputStream(plain)
                : new GZIPInputStream(Files.newInputStream(gzipped));
        InputStream stream = new BufferedInputStream(raw)) {
      List<RawBsonDocument> batch = new ArrayList<>(BATCH);
      RawBsonDocument document;
      while ((document = next(stream)) != null) {
        batch.add(document);
        if (batch.size() == BATCH) {
          collection.insertMany(batch);
          count += batch.size();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        collection.insertMany(batch);
        count += batch.size();
      }
    }
    return count;
  }

  /** One document of a concatenated-BSON stream, or null at its end. */
  static RawBsonDocument next(InputStream stream) throws IOException {
    byte[] header = stream.readNBytes(4);
    if (header.length == 0) return null;
    if (header.length < 4) throw new EOFException("truncated BSON file");
    int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (length < 5) throw new IOException("corrupt BSON file: document length " + length);
    byte[] bytes = new byte[length];
    System.arraycopy(header, 0, bytes, 0, 4);
    int read = stream.readNBytes(bytes, 4, length - 4);
    if (read != length - 4) throw new EOFException("truncated BSON file");
    return new RawBsonDocument(bytes);
  }

  private static int createIndexes(MongoDatabase db, String collection, List<Document> declared) {
    List<Document> specs = new ArrayList<>();
    for (Document index : declared) {
      if ("_id_".equals(index.getString("name"))) continue;
      Document spec = new Document(index);
      // Server-assigned: the target server chooses its own index version and namespace.
      spec.remove("v");
      spec.remove("ns");
      specs.add(spec);
    }
    if (!specs.isEmpty())
      db.runCommand(new Document("createIndexes", collection).append("indexes", specs));
    return specs.size();
  }

  private static boolean answers(String uri) {
    try (MongoClient probe = client(uri, 1500)) {
      probe.getDatabase("admin").runCommand(new Document("ping", 1));
      return true;
    } catch (MongoException e) {
      return false;
    }
  }

  private static MongoClient client(String uri) {
    return client(uri, 10_000);
  }

  private static MongoClient client(String uri, int timeoutMillis) {
    return MongoClients.create(
        MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(
                c -> c.serverSelectionTimeout(timeoutMillis, TimeUnit.MILLISECONDS))
            .build());
  }

  private static void report(List<String> lines, String summary) {
    lines.forEach(line -> System.out.println("  " + line));
    System.out.println(summary + " (" + lines.size() + " collections)");
  }

  private static void usage() {
    System.err.println("usage: MongoBackup backup --uri URI --out DIR [--data-file H2FILE]");
    System.err.println("       MongoBackup restore --uri URI --in DIR [--data-file H2FILE]");
    System.err.println("       MongoBackup check --uri URI [--data-file H2FILE]");
    System.exit(2);
  }
}
