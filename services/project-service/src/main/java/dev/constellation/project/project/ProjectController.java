package dev.constellation.project.project;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.project.PageResponse;
import dev.constellation.project.Paging;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/projects")
class ProjectController {
  private final ProjectService service;

  ProjectController(ProjectService service) {
    this.service = service;
  }

  /**
   * ResponseEntity carries the Location header; the annotation is what the OpenAPI document reads.
   */
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<ProjectResponse> create(
      @CurrentUser AuthenticatedUser user, @Valid @RequestBody CreateProjectRequest request) {
    Project project = service.create(user, request);
    return ResponseEntity.created(URI.create("/api/projects/" + project.id()))
        .body(ProjectResponse.of(project));
  }

  @GetMapping
  PageResponse<ProjectResponse> list(
      @CurrentUser AuthenticatedUser user,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String sort) {
    return service.list(user, q, Paging.of(page, size), sort).map(ProjectResponse::of);
  }

  @GetMapping("/{id}")
  ProjectResponse get(@CurrentUser AuthenticatedUser user, @PathVariable String id) {
    return ProjectResponse.of(service.open(user, id));
  }

  @PatchMapping("/{id}")
  ProjectResponse update(
      @CurrentUser AuthenticatedUser user,
      @PathVariable String id,
      @Valid @RequestBody UpdateProjectRequest request) {
    return ProjectResponse.of(service.update(user, id, request));
  }
}
