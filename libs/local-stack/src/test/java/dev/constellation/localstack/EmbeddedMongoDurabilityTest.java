package dev.constellation.localstack;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoDurabilityTest {

  /** A crash of the process right after an acknowledged write must not lose it. */
  @Test
  void everyAcknowledgedWriteIsInTheFileBeforeTheReply(@TempDir Path dir) throws Exception {
    try (EmbeddedMongo server = EmbeddedMongo.persistent(dir.resolve("m.mv"), 0);
        var client = MongoClients.create(server.uri())) {
      var collection = client.getDatabase("d").getCollection("c");
      collection.insertOne(new Document("_id", "a").append("v", 1));
      assertFalse(server.hasUncommittedChanges());
      collection.updateOne(new Document("_id", "a"), new Document("$set", new Document("v", 2)));
      assertFalse(server.hasUncommittedChanges());
      collection.deleteOne(new Document("_id", "a"));
      assertFalse(server.hasUncommittedChanges());
    }
  }
}
