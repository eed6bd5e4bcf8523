package dev.constellation.project.project;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

@Repository
public class ProjectRepository {
  private final MongoTemplate mongo;

  ProjectRepository(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  @EventListener(ApplicationReadyEvent.class)
  void createIndexes() {
    var indexes = mongo.indexOps(Project.class);
    indexes.createIndex(new Index().on("ownerId", Sort.Direction.ASC).named("ownerId"));
    indexes.createIndex(
        new Index().on("members.userId", Sort.Direction.ASC).named("members_userId"));
    indexes.createIndex(new Index().on("name", Sort.Direction.ASC).named("name"));
  }

  void insert(Project project) {
    mongo.insert(project);
  }

  public Optional<Project> findById(String id) {
    return Optional.ofNullable(mongo.findById(id, Project.class));
  }

  record Found(List<Project> items, long total) {}

  Found findVisible(String userId, String q, Sort sort, long offset, int limit) {
    Criteria criteria = Criteria.where("members.userId").is(userId);
    if (q != null && !q.isBlank()) {
      Pattern pattern =
          Pattern.compile(
              Pattern.quote(q.strip()), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      criteria =
          new Criteria()
              .andOperator(
                  criteria,
                  new Criteria()
                      .orOperator(
                          Criteria.where("name").regex(pattern),
                          Criteria.where("description").regex(pattern)));
    }
    long total = mongo.count(Query.query(criteria), Project.class);
    List<Project> items =
        mongo.find(Query.query(criteria).with(sort).skip(offset).limit(limit), Project.class);
    return new Found(items, total);
  }

  /**
   * Stores {@code changed} only if nobody changed the project since {@code expectedVersion} was
   * read.
   */
  boolean replaceIfUnchanged(Project changed, long expectedVersion) {
    var result =
        mongo.updateFirst(
            Query.query(Criteria.where("_id").is(changed.id()).and("version").is(expectedVersion)),
            new Update()
                .set("name", changed.name())
                .set("description", changed.description())
                .set("ownerId", changed.ownerId())
                .set("members", changed.members())
                .set("updatedAt", changed.updatedAt())
                .set("version", expectedVersion + 1),
            Project.class);
    return result.getMatchedCount() == 1;
  }

  void touchOpened(String id, Instant when) {
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(id)),
        new Update().set("lastOpenedAt", when),
        Project.class);
  }

  public boolean delete(String id) {
    return mongo.remove(Query.query(Criteria.where("_id").is(id)), Project.class).getDeletedCount()
        > 0;
  }
}
