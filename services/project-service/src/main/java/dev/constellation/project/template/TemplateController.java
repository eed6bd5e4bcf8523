package dev.constellation.project.template;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TemplateController {
  private final TemplateCatalog catalog;

  TemplateController(TemplateCatalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/templates")
  List<Template> list() {
    return catalog.list();
  }
}
