package dev.constellation.workspace.git;

import java.util.List;
import java.util.Optional;
import org.springframework.data.mongodb.repository.MongoRepository;

interface GitCredentialRepository extends MongoRepository<GitCredential, String> {
  List<GitCredential> findByUserIdOrderByCreatedAtAsc(String userId);

  Optional<GitCredential> findByIdAndUserId(String id, String userId);

  long countByUserId(String userId);
}
