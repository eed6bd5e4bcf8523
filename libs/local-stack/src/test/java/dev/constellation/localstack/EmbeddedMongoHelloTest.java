package dev.constellation.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoHelloTest {

  @Test
  void answersHelloAsBootsHealthCheckSendsIt(@TempDir Path dir) throws Exception {
    for (EmbeddedMongo server :
        new EmbeddedMongo[] {
          EmbeddedMongo.inMemory(), EmbeddedMongo.persistent(dir.resolve("m.mv"), 0)
        }) {
      try (server;
          var client = MongoClients.create(server.uri())) {
        Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
        assertEquals(1.0, hello.get("ok", Number.class).doubleValue());
        assertTrue(hello.getBoolean("isWritablePrimary"));
        assertTrue(hello.get("maxWireVersion", Number.class).intValue() >= 8);
      }
    }
  }
}
