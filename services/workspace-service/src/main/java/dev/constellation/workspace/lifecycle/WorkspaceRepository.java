package dev.constellation.workspace.lifecycle;

import java.util.Collection;
import java.util.List;
import org.springframework.data.mongodb.repository.MongoRepository;

interface WorkspaceRepository extends MongoRepository<WorkspaceRecord, String> {
  List<WorkspaceRecord> findByStatusIn(Collection<WorkspaceStatus> statuses);

  long countByStatus(WorkspaceStatus status);
}
