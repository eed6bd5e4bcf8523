package dev.constellation.gateway.users;

import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.repository.ReactiveMongoRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

interface UserRepository extends ReactiveMongoRepository<User, String> {
  Mono<User> findByEmail(String email);

  Flux<User> findAllBy(Pageable pageable);
}
