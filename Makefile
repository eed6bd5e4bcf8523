# Constellation IDE — `make help` lists every command.
SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN        ?= mvn -B -q
NPM        ?= npm
DATA_DIR   ?= $(or $(CONSTELLATION_DATA_DIR),./data)
LAUNCHER   := libs/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar
COMPOSE    ?= docker-compose
# After `make prod-deploy`, .env names the files in COMPOSE_FILE and every target follows it.
COMPOSE_FILES      := $(if $(shell grep -s '^COMPOSE_FILE=' .env),,-f docker-compose.yml)
COMPOSE_DEV_FILES  := -f docker-compose.yml -f docker-compose.dev.yml
COMPOSE_PROD_FILES := -f docker-compose.yml -f docker-compose.prod.yml
DOCKER_UP  = $(COMPOSE) $(COMPOSE_FILES) ps -q 2>/dev/null | grep -q .
GATEWAY_URL ?= http://localhost:8000
BACKUP_DIR ?=

.PHONY: help
help: ## Show this menu
	@echo "Constellation IDE"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36mmake %-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

##@ Everyday
.PHONY: run
run: build ## Start the whole IDE locally (no Docker, no database to install) and print its URL
	@exec java -jar $(LAUNCHER)

.PHONY: test
test: ## Run every test: Java unit + integration, front-end unit, browser journey, config checks
	bash scripts/check-compose.sh
	bash scripts/check-monitoring.sh
	bash scripts/check-workspace-image.sh
	$(MVN) install
	$(MAKE) --no-print-directory frontend-deps
	$(NPM) --prefix frontend run lint
	$(NPM) --prefix frontend test
	bash scripts/e2e.sh
	bash scripts/check-log-secrets.sh

.PHONY: load-test
load-test: ## Run only the short load test (50 developers × 60 s, 0 errors; needs Docker)
	$(MVN) -Dmaven.test.skip=true install
	REQUIRE_DOCKER=1 mvn -B -o -pl system-tests verify -Dit.test=TeamLoadIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: build
build: ## Build the services and the UI (skips tests), and record the services' start-up archives
	$(MVN) -Dmaven.test.skip=true install
	$(MAKE) --no-print-directory frontend-build
	@java -jar $(LAUNCHER) --prepare

.PHONY: format
format: frontend-deps ## Format the Java (google-java-format via Spotless) and the UI (Prettier, ESLint --fix)
	$(MVN) spotless:apply
	$(NPM) --prefix frontend run format

.PHONY: gen
gen: ## Regenerate the UI's API types from the running services' OpenAPI documents
	$(NPM) --prefix frontend run gen

.PHONY: bench
bench: build ## Run the benchmarks (see docs/benchmarks.md)
	bash bench/run-all.sh

.PHONY: frontend-deps frontend-build
frontend-deps:
	@if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules ]; then \
	  $(NPM) --prefix frontend ci --no-audit --no-fund --loglevel=error && touch frontend/node_modules; fi
frontend-build: frontend-deps
	@if [ ! -f frontend/dist/index.html ] || [ -n "$$(find frontend/src frontend/index.html frontend/package.json -newer frontend/dist/index.html 2>/dev/null | head -1)" ]; then \
	  $(NPM) --prefix frontend run build; fi

##@ Docker stack (needs a Docker engine and access to a registry)
.PHONY: dev-setup
dev-setup: ## Prepare a development machine: .env with random secrets, data folders, hosts entries hint
	@[ -f .env ] || { bash deploy/scripts/env-generate.sh .env.example > .env && chmod 600 .env \
	  && echo "created .env from .env.example with random passwords and JWT_SECRET — add ANTHROPIC_API_KEY"; }
	@mkdir -p $(DATA_DIR) backups config/ssl
	@grep -q constellation.local /etc/hosts 2>/dev/null || echo "add to /etc/hosts: 127.0.0.1 constellation.local api.constellation.local"

.PHONY: ssl-generate
ssl-generate: ## Make a self-signed certificate for constellation.local (dev)
	bash deploy/scripts/ssl-generate.sh config/ssl

.PHONY: up
up: ## Start the Docker stack in the background
	$(COMPOSE) $(COMPOSE_FILES) up -d

.PHONY: up-dev
up-dev: ## Start the Docker stack with dev overrides and follow the logs
	$(COMPOSE) $(COMPOSE_DEV_FILES) up

.PHONY: down
down: ## Stop the Docker stack
	$(COMPOSE) $(COMPOSE_FILES) down

.PHONY: restart
restart: ## Restart the Docker stack
	$(COMPOSE) $(COMPOSE_FILES) restart

.PHONY: rebuild
rebuild: ## Rebuild the images and restart the Docker stack
	$(COMPOSE) $(COMPOSE_FILES) up -d --build

.PHONY: update
update: ## Pull the latest images (and git changes) and restart
	git pull --ff-only || true
	$(COMPOSE) $(COMPOSE_FILES) pull --ignore-pull-failures
	$(COMPOSE) $(COMPOSE_FILES) up -d --build

.PHONY: prod-deploy
prod-deploy: ## Deploy with production overrides (Let's Encrypt, /opt/constellation paths)
	bash deploy/scripts/prod-deploy.sh

.PHONY: logs
logs: ## Show all logs (Docker stack if running, else the local stack's)
	@if $(DOCKER_UP); then $(COMPOSE) $(COMPOSE_FILES) logs -f --tail=200; \
	else tail -n 100 -F $(DATA_DIR)/logs/*.log; fi

.PHONY: logs-api
logs-api: ## Show the API gateway's logs
	@if $(DOCKER_UP); then $(COMPOSE) $(COMPOSE_FILES) logs -f --tail=200 api-gateway; \
	else tail -n 100 -F $(DATA_DIR)/logs/api-gateway.log; fi

.PHONY: logs-db
logs-db: ## Show the database's logs
	@if $(DOCKER_UP); then $(COMPOSE) $(COMPOSE_FILES) logs -f --tail=200 mongodb-primary mongodb-init redis; \
	else echo "local mode: the MongoDB-wire server runs inside the launcher (its messages are in the make run console);"; \
	  echo "what it holds: make db-init"; fi

.PHONY: docker-smoke
docker-smoke: ## Build our images from a local Debian base and check /api/health through them (no registry needed)
	bash deploy/scripts/smoke-local-images.sh

##@ Docker Swarm (issue 14, phase 1: docs/deployment.md, "Swarm")
.PHONY: swarm-deploy swarm-rm swarm-test
swarm-deploy: ## Deploy the stack on this engine's swarm: Docker secrets from .env, docker-compose.swarm.yml
	bash deploy/scripts/swarm-deploy.sh

swarm-rm: ## Remove the stack from the swarm (keeps its volumes and secrets)
	docker stack rm $${SWARM_STACK:-constellation}

swarm-test: ## Three Docker engines in network namespaces as one swarm: deploy, journey, preview, workspace failover, streams across a crash, rolling update, drain (root, ~10 min)
	bash scripts/swarm-test.sh

##@ Database
.PHONY: db-init
db-init: ## Initialise the database: replica set rs0 and one user per service (Docker); check it (local)
	bash deploy/scripts/db-init.sh

.PHONY: db-backup
db-backup: ## Back up MongoDB and workspace files to backups/mongodb-YYYYmmdd_HHMMSS/
	bash deploy/scripts/db-backup.sh

.PHONY: db-restore
db-restore: ## Restore a backup: make db-restore BACKUP_DIR=./backups/mongodb-...
	@[ -n "$(BACKUP_DIR)" ] || { echo "usage: make db-restore BACKUP_DIR=./backups/mongodb-YYYYmmdd_HHMMSS"; exit 2; }
	bash deploy/scripts/db-restore.sh "$(BACKUP_DIR)"

##@ Operations
.PHONY: health
health: ## Check every service's health
	@if $(DOCKER_UP); then \
	  $(COMPOSE) $(COMPOSE_FILES) ps; \
	  $(COMPOSE) $(COMPOSE_FILES) exec -T --index=1 api-gateway curl -fsS --max-time 5 http://127.0.0.1:8000/api/health && echo \
	    || { echo "the gateway does not answer /api/health"; exit 1; }; \
	else curl -fsS --max-time 5 $(GATEWAY_URL)/api/health && echo || { echo "gateway not reachable at $(GATEWAY_URL)"; exit 1; }; fi

.PHONY: status
status: ## Show what is running
	@if $(DOCKER_UP); then $(COMPOSE) $(COMPOSE_FILES) ps; \
	elif [ -f $(DATA_DIR)/local-stack.pid ] && kill -0 $$(cat $(DATA_DIR)/local-stack.pid) 2>/dev/null; then \
	  echo "local stack running (pid $$(cat $(DATA_DIR)/local-stack.pid)) at $(GATEWAY_URL)"; \
	  for p in 8000 8001 8002 8003; do printf "  :%s %s\n" $$p "$$(curl -s --max-time 2 localhost:$$p/actuator/health/readiness || echo DOWN)"; done; \
	else echo "nothing running"; fi

.PHONY: monitor
monitor: ## Print (and open) the Grafana and Prometheus URLs
	@echo "Grafana:    http://localhost:3001   (dashboards in the Constellation folder)"
	@echo "Prometheus: http://localhost:9090   (alerts: http://localhost:9090/alerts)"
	@echo "Without Docker (make run) there is no Prometheus; each service serves its metrics itself:"
	@echo "  http://localhost:8000/actuator/prometheus ... :8003/actuator/prometheus"
	@command -v xdg-open >/dev/null && xdg-open http://localhost:3001 >/dev/null 2>&1 || true

##@ Cleaning
.PHONY: clean
clean: ## Remove build output, the stack's containers and our dangling images (keeps data)
	$(MVN) clean || true
	rm -rf frontend/dist
	-$(COMPOSE) $(COMPOSE_FILES) down --remove-orphans 2>/dev/null
	-docker image prune -f --filter label=dev.constellation.image=1 2>/dev/null

.PHONY: clean-all
clean-all: ## Remove everything, including all data (asks first)
	@read -p "This deletes ALL data ($(DATA_DIR) and the stack's Docker volumes; not /opt/constellation). Type 'yes' to continue: " answer; [ "$$answer" = yes ] || { echo aborted; exit 1; }
	-$(COMPOSE) $(COMPOSE_FILES) down -v --remove-orphans
	rm -rf $(DATA_DIR) frontend/dist frontend/node_modules
	$(MVN) clean || true
