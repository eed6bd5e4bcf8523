package dev.constellation.claude.conversation;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.repository.MongoRepository;

interface ConversationRepository extends MongoRepository<Conversation, String> {
  Page<Conversation> findByProjectId(String projectId, Pageable pageable);

  long deleteByProjectId(String projectId);
}
