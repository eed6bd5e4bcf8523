package dev.constellation.project.audit;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One stored audit event. The id is the event's Redis stream id, so storing an event twice (a
 * redelivery after a crash) overwrites rather than duplicates it.
 */
@Document("audit")
record AuditRecord(
    @MongoId(FieldType.STRING) String id,
    Instant time,
    String service,
    String action,
    String actorId,
    @Nullable String projectId,
    @Nullable String requestId,
    Map<String, String> details) {}
