package dev.constellation.localstack.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.constellation.localstack.EmbeddedMongo;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MongoBackupRoundTripTest {

  @TempDir Path tmp;
  private EmbeddedMongo server;
  private MongoClient client;

  @BeforeEach
  void start() {
    server = EmbeddedMongo.inMemory();
    client = MongoClients.create(server.uri());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void backupWipeRestoreGivesBackIdenticalDocumentsAndIndexes() throws Exception {
    seed();
    Map<String, List<Document>> documentsBefore = allDocuments();
    Map<String, List<Document>> indexesBefore = allIndexes();

    Path dir = tmp.resolve("mongodb-20260101_000000");
    MongoBackup.backup(client, dir);
    for (String db : List.of("constellation_projects", "constellation_chat"))
      client.getDatabase(db).drop();
    assertTrue(allDocuments().isEmpty(), "wipe left documents behind");

    MongoBackup.restore(client, dir);

    assertEquals(documentsBefore, allDocuments());
    assertEquals(indexesBefore, allIndexes());
  }

  @Test
  void writesMongodumpLayoutRecordingDeclaredIndexes() throws Exception {
    seed();
    Path dir = tmp.resolve("backup");
    MongoBackup.backup(client, dir);

    Path bson = dir.resolve("constellation_projects/projects.bson");
    Path metadata = dir.resolve("constellation_projects/projects.metadata.json");
    assertTrue(Files.isRegularFile(bson) && Files.isRegularFile(metadata));
    assertFalse(Files.exists(dir.resolve("admin")), "server-owned databases are not backed up");

    List<Document> fromFile = new ArrayList<>();
    try (var in = new ByteArrayInputStream(Files.readAllBytes(bson))) {
      RawBsonDocument raw;
      while ((raw = MongoBackup.next(in)) != null) fromFile.add(Document.parse(raw.toJson()));
    }
    assertEquals(3, fromFile.size());

    Document meta = Document.parse(Files.readString(metadata));
    assertEquals("projects", meta.getString("collectionName"));
    List<String> indexNames =
        meta.getList("indexes", Document.class).stream()
            .map(i -> i.getString("name"))
            .sorted()
            .toList();
    assertEquals(indexNames, serverIndexNames("constellation_projects", "projects"));
    assertTrue(
        indexNames.contains("slug_1"), "the unique index must be in the metadata: " + indexNames);
  }

  @Test
  void restoresAMongodumpOfTheReplicaSetSkippingAdmin() throws Exception {
    // What mongodump 100.x writes for the Docker stack: canonical extended JSON, index version
    // "v", a non-unique index, and an admin database that holds the server's own users.
    Path dump = tmp.resolve("mongodump");
    Path db = Files.createDirectories(dump.resolve("constellation_workspaces"));
    Files.createDirectories(dump.resolve("admin"));
    Files.writeString(
        dump.resolve("admin/system.users.metadata.json"),
        "{\"indexes\":[],\"collectionName\":\"system.users\"}");
    Files.write(dump.resolve("admin/system.users.bson"), new byte[0]);
    ObjectId id = new ObjectId();
    Document workspace =
        new Document("_id", id)
            .append("projectId", "p1")
            .append("state", "RUNNING")
            .append("updatedAt", new Date(1_700_000_000_000L));
    Files.write(db.resolve("workspaces.bson"), bytes(RawBsonDocument.parse(workspace.toJson())));
    Files.writeString(
        db.resolve("workspaces.metadata.json"),
        """
        {"indexes":[{"v":{"$numberInt":"2"},"key":{"_id":{"$numberInt":"1"}},"name":"_id_"},
                    {"v":{"$numberInt":"2"},"key":{"projectId":{"$numberInt":"1"}},"name":"projectId_1","unique":true},
                    {"v":{"$numberInt":"2"},"key":{"state":{"$numberInt":"1"}},"name":"state_1"}],
         "uuid":"6f1c3b0e9a8d4c2b8e7f6a5b4c3d2e1f","collectionName":"workspaces","type":"collection"}
        """);

    MongoBackup.restore(client, dump);

    MongoCollection<Document> restored =
        client.getDatabase("constellation_workspaces").getCollection("workspaces");
    assertEquals(List.of(workspace), restored.find().into(new ArrayList<>()));
    List<String> indexes = serverIndexNames("constellation_workspaces", "workspaces");
    assertTrue(indexes.contains("projectId_1"), "unique index restored: " + indexes);
    assertFalse(
        client.listDatabaseNames().into(new ArrayList<>()).contains("admin")
            && client
                .getDatabase("admin")
                .listCollectionNames()
                .into(new ArrayList<>())
                .contains("system.users"));
  }

  private void seed() {
    MongoCollection<Document> projects =
        client.getDatabase("constellation_projects").getCollection("projects");
    projects.createIndex(Indexes.ascending("slug"), new IndexOptions().unique(true));
    projects.createIndex(
        Indexes.compoundIndex(Indexes.ascending("ownerId"), Indexes.descending("createdAt")),
        new IndexOptions().unique(true).name("owner_created"));
    // Non-unique: mongo-java-server ignores it with a warning; the backup records what the server
    // reports.
    projects.createIndex(Indexes.ascending("name"));
    projects.insertMany(
        List.of(
            new Document("_id", new ObjectId())
                .append("slug", "alpha")
                .append("ownerId", "u1")
                .append("name", "Alpha")
                .append("createdAt", Date.from(Instant.parse("2026-01-01T10:00:00Z")))
                .append("members", List.of(new Document("userId", "u1").append("role", "OWNER"))),
            new Document("_id", new ObjectId())
                .append("slug", "beta")
                .append("ownerId", "u1")
                .append("name", "Beta")
                .append("createdAt", Date.from(Instant.parse("2026-01-02T10:00:00Z")))
                .append("sizeBytes", 12_345_678_901L)
                .append("price", Decimal128.parse("19.99")),
            new Document("_id", new ObjectId())
                .append("slug", "gamma")
                .append("ownerId", "u2")
                .append("name", "Gamma")
                .append("createdAt", Date.from(Instant.parse("2026-01-03T10:00:00Z")))
                .append("icon", new Binary(new byte[] {0, 1, 2, (byte) 255}))
                .append("archived", null)));
    MongoCollection<Document> messages =
        client.getDatabase("constellation_chat").getCollection("messages");
    messages.createIndex(
        Indexes.ascending("conversationId", "seq"), new IndexOptions().unique(true));
    List<Document> many = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      many.add(
          new Document("_id", "m" + i)
              .append("conversationId", "c" + (i % 7))
              .append("seq", i)
              .append("text", "message " + i + " é ✓")
              .append("tokens", new Document("in", i).append("out", i * 2.5)));
    }
    messages.insertMany(many);
    client
        .getDatabase("constellation_chat")
        .getCollection("empty")
        .insertOne(new Document("_id", 1));
    client
        .getDatabase("constellation_chat")
        .getCollection("empty")
        .deleteOne(new Document("_id", 1));
  }

  private Map<String, List<Document>> allDocuments() {
    Map<String, List<Document>> all = new TreeMap<>();
    for (String db : client.listDatabaseNames()) {
      if (MongoBackup.SKIPPED_DATABASES.contains(db)) continue;
      for (String name : client.getDatabase(db).listCollectionNames()) {
        List<Document> docs =
            client
                .getDatabase(db)
                .getCollection(name)
                .find()
                .sort(Sorts.ascending("_id"))
                .into(new ArrayList<>());
        if (!docs.isEmpty()) all.put(db + "." + name, docs);
      }
    }
    return all;
  }

  private Map<String, List<Document>> allIndexes() {
    Map<String, List<Document>> all = new TreeMap<>();
    for (String db : client.listDatabaseNames()) {
      if (MongoBackup.SKIPPED_DATABASES.contains(db)) continue;
      for (String name : client.getDatabase(db).listCollectionNames()) {
        List<Document> indexes = new ArrayList<>();
        for (Document index : client.getDatabase(db).getCollection(name).listIndexes()) {
          index.remove("v");
          index.remove("ns");
          indexes.add(index);
        }
        indexes.sort((a, b) -> a.getString("name").compareTo(b.getString("name")));
        all.put(db + "." + name, indexes);
      }
    }
    return all;
  }

  private List<String> serverIndexNames(String db, String collection) {
    return client
        .getDatabase(db)
        .getCollection(collection)
        .listIndexes()
        .map(i -> i.getString("name"))
        .into(new ArrayList<>())
        .stream()
        .sorted()
        .toList();
  }

  private static byte[] bytes(RawBsonDocument document) {
    var buffer = document.getByteBuffer().asNIO();
    byte[] copy = new byte[buffer.remaining()];
    buffer.get(copy);
    return copy;
  }
}
