package dev.constellation.project.transfer;

import dev.constellation.common.problem.ApiException;
import org.springframework.http.HttpStatus;

class ArchiveRefusedException extends ApiException {
  ArchiveRefusedException(String detail) {
    super(HttpStatus.BAD_REQUEST, "archive-refused", "Archive refused", detail);
  }
}
