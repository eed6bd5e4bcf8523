package dev.constellation.workspace.lifecycle;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The local runtime runs commands as this service's own OS user, so it is for one person's machine
 * only. This service cannot list accounts, so "a second account exists" is approximated as "a
 * second account uses a workspace": the first user to start, exec or open a terminal becomes the
 * machine's owner (kept in MongoDB), and anyone else is refused with 409. Under the prod profile
 * the local runtime is refused outright (503) unless workspace.local.allow-in-prod is set.
 */
@Component
public class LocalRuntimePolicy {
  private static final Logger log = LoggerFactory.getLogger(LocalRuntimePolicy.class);

  @Document("local_runtime_owner")
  static class Owner {
    @Id String id = "owner";
    String userId;
    Instant since;
  }

  private final boolean local;
  private final boolean refusedByProfile;
  private final MongoTemplate mongo;
  private final Clock clock;

  LocalRuntimePolicy(
      WorkspaceRuntime runtime,
      WorkspaceProperties properties,
      Environment environment,
      MongoTemplate mongo,
      Clock clock) {
    this.local = "local".equals(runtime.name());
    this.refusedByProfile =
        local
            && environment.acceptsProfiles(Profiles.of("prod"))
            && !properties.local().allowInProd();
    this.mongo = mongo;
    this.clock = clock;
    if (refusedByProfile) {
      log.error(
          "workspace runtime is 'local' under the prod profile: workspaces are refused; "
              + "install Docker (WORKSPACE_RUNTIME=docker) for a multi-user installation");
    }
  }

  /** Throws when the caller may not use the local runtime; does nothing for Docker. */
  public void check(AuthenticatedUser user) {
    if (!local) return;
    if (refusedByProfile) {
      log.warn(
          "refused local workspace for user {}: local runtime is disabled in production",
          user.id());
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "local-runtime-refused",
          "Local runtime refused",
          "This installation runs workspaces as local processes, which is not allowed in production; the administrator must enable Docker.");
    }
    Owner owner = mongo.findById("owner", Owner.class);
    if (owner == null) {
      Owner mine = new Owner();
      mine.userId = user.id();
      mine.since = clock.instant();
      try {
        mongo.insert(mine);
        log.info("local runtime now belongs to user {}: other accounts will be refused", user.id());
        return;
      } catch (DuplicateKeyException raced) {
        owner = mongo.findById("owner", Owner.class);
      }
    }
    if (owner != null && !owner.userId.equals(user.id())) {
      log.warn(
          "refused local workspace for user {}: the local runtime is single-user and belongs to another account",
          user.id());
      throw new ApiException(
          HttpStatus.CONFLICT,
          "local-runtime-single-user",
          "Local runtime is single-user",
          "Workspaces here run as local processes on the host, which only one account may use; another account already does. Ask the administrator to enable Docker.");
    }
  }
}
