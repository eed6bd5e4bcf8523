package dev.constellation.gateway.users;

import dev.constellation.common.problem.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Accounts in {@code constellation_auth}. */
@Service
public class UserService {
  /**
   * Installation-wide facts; {@link #FIRST_ADMIN} is the one document whose insert makes the first
   * admin.
   */
  public static final String INSTALLATION = "installation";

  public static final String FIRST_ADMIN = "first-admin";

  private final UserRepository users;
  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  UserService(UserRepository users, ReactiveMongoTemplate mongo, Clock clock) {
    this.users = users;
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Also made at start-up by {@link UserIndexes}; kept here so tests and tools can call it. */
  public Mono<Void> ensureIndexes() {
    return mongo
        .indexOps(User.class)
        .createIndex(new Index("email", Sort.Direction.ASC).unique().named("email_unique"))
        .then();
  }

  public static String normalizeEmail(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Creates an account, ADMIN when {@code firstAccountIsAdmin} and the installation is empty. Two
   * sign-ups racing on an empty database both see zero users, so the title is decided by inserting
   * one fixed document, which only one insert can win. A taken email fails with {@link
   * DuplicateKeyException}: the caller decides what the client may learn from that.
   */
  public Mono<User> create(
      String email, String displayName, String passwordHash, boolean firstAccountIsAdmin) {
    String id = UUID.randomUUID().toString();
    Mono<Boolean> firstAdmin =
        !firstAccountIsAdmin
            ? Mono.just(false)
            : users.count().flatMap(count -> count > 0 ? Mono.just(false) : claimFirstAdmin(id));
    return firstAdmin
        .map(
            admin ->
                new User(
                    id,
                    normalizeEmail(email),
                    displayName,
                    passwordHash,
                    admin ? Set.of(User.USER, User.ADMIN) : Set.of(User.USER),
                    false,
                    clock.instant(),
                    null))
        .flatMap(mongo::insert);
  }

  /**
   * Makes {@code user} the installation's first admin if nobody is yet (the setup-token path);
   * empty when someone already is.
   */
  public Mono<User> promoteToFirstAdmin(User user) {
    return claimFirstAdmin(user.id())
        .filter(won -> won)
        .flatMap(won -> users.save(user.withRoles(Set.of(User.USER, User.ADMIN))));
  }

  private Mono<Boolean> claimFirstAdmin(String userId) {
    Document claim =
        new Document("_id", FIRST_ADMIN)
            .append("userId", userId)
            .append("at", Instant.now(clock).toString());
    return mongo
        .insert(claim, INSTALLATION)
        .thenReturn(true)
        .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
  }

  public Mono<User> findByEmail(String email) {
    return users.findByEmail(normalizeEmail(email));
  }

  public Mono<User> findById(String id) {
    return users.findById(id);
  }

  public Mono<Page> page(int page, int size) {
    var request = PageRequest.of(page, size, Sort.by("createdAt").ascending().and(Sort.by("_id")));
    return users
        .findAllBy(request)
        .map(UserResponse::of)
        .collectList()
        .zipWith(users.count(), (items, total) -> new Page(items, page, size, total));
  }

  Mono<User> save(User user) {
    return users.save(user);
  }

  public Mono<User> changePassword(String id, String passwordHash) {
    return users
        .findById(id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("There is no user " + id + ".")))
        .flatMap(user -> users.save(user.withPasswordHash(passwordHash)));
  }

  /**
   * Sets only the {@code preferences} field of the stored document (one atomic update), so a
   * concurrent role or password change is not overwritten by a stale copy of the user.
   */
  public Mono<User.Preferences> setPreferences(String id, User.Preferences preferences) {
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(id)),
            new Update().set("preferences", preferences),
            FindAndModifyOptions.options().returnNew(true),
            User.class)
        .switchIfEmpty(
            Mono.error(() -> ApiException.unauthorized("This account no longer exists.")))
        .map(User::preferencesOrDefault);
  }

  Mono<Void> delete(String id) {
    return users.deleteById(id);
  }

  /** The contract's paged list shape. */
  public record Page(java.util.List<UserResponse> items, int page, int size, long total) {}
}
