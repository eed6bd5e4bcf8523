package dev.constellation.project.deletion;

import java.time.Instant;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * What is still to be removed of a deleted project (an outbox record). It exists from the moment
 * the owner deletes the project until every other service and the disk have let go of it.
 */
@Document("deletions")
record Deletion(
    @MongoId(FieldType.STRING) String projectId,
    String requestedBy,
    Instant requestedAt,
    boolean workspaceDone,
    boolean conversationsDone,
    int attempts,
    String lastError,
    Instant nextAttemptAt) {}
