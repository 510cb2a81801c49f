# The front door. `make run` starts the system on embedded defaults; `make test` sets up what it needs and tests it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SERVICES := services/CommandService services/QueryService services/NotificationService
# `dotnet run` starts a service in its project folder: data paths are made absolute here.
DATA ?= $(CURDIR)/data

.PHONY: help setup build test run run-local dashboard demo token up down bench bench-serialization redrive status rebuild
# The development signing key (data/auth/signing-key, created on first use; Auth__SigningKey wins when set).
DEV_KEY = $$(DATA=$(DATA) infra/dev-key.sh)
SCOPE ?= accounts.read accounts.write accounts.admin
SUB ?=

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

setup: ## install what the tests need (Debian as root: apt-get; elsewhere: says what to install)
	@infra/setup.sh

build: ## build everything (0 warnings: warnings are errors)
	dotnet build Microservices.sln --nologo

test: setup ## run every test against real local servers
	@infra/test.sh

run: ## the whole system in one process on http://127.0.0.1:5080, no servers needed, data in data/ (telemetry to `make dashboard` when up)
	@if infra/dashboard.sh up; then export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:18889 DASHBOARD_URL=http://127.0.0.1:18888; fi; \
	Auth__SigningKey=$(DEV_KEY) dotnet run -c Release --project services/SingleProcessHost -- \
	  --EventStore:SqlitePath=$(DATA)/command/events.db --Query:SqlitePath=$(DATA)/query/views.db \
	  --Notifications:SqlitePath=$(DATA)/notification/notifications.db --Notifications:PickupDirectory=$(DATA)/notification/outbox

run-local: ## the Aspire app host: three services over RabbitMQ (RABBITMQ_URL, else a private node), dashboard on :18888
	DATA=$(DATA) CONTAINERS=$(CONTAINERS) infra/run-local.sh

dashboard: ## the Aspire dashboard alone on http://127.0.0.1:18888 (OTLP :18889 gRPC, :18890 HTTP) for `make run`
	infra/dashboard.sh run

token: ## print a bearer token for the development key: every scope, or make token SCOPE="accounts.read" SUB=<account id>
	@dotnet build -c Release --nologo -v q services/SingleProcessHost > /dev/null
	@Auth__SigningKey=$(DEV_KEY) dotnet services/SingleProcessHost/bin/Release/net10.0/SingleProcessHost.dll token "$(SCOPE)" "$(SUB)"

demo: ## a guided tour against the running system (make demo URLS="cmd query notify" for three processes)
	@dotnet build -c Release --nologo -v q services/SingleProcessHost > /dev/null
	DATA=$(DATA) infra/demo.sh $(URLS)

up: ## the full stack in containers (Docker): RabbitMQ, EventStoreDB, MongoDB, Jaeger, Mailpit, three services
	@[ -f .env ] && grep -q '^AUTH_SIGNING_KEY=' .env || { (umask 077; echo "AUTH_SIGNING_KEY=$$(head -c 32 /dev/urandom | base64)" >> .env); echo "wrote a development signing key to .env (git-ignored)"; }
	docker compose up --build -d

down: ## stop the container stack
	docker compose down

OPERATOR := dotnet run -c Release --project services/Operator --
redrive: ## list the _error queues (count, first reasons); QUEUE=query-users_error moves one back to its source queue
	$(OPERATOR) redrive $(if $(QUEUE),--queue $(QUEUE)) $(if $(URLS),--urls "$(URLS)")

status: ## each service's readiness, relay and projection lag, rebuild state, error-queue counts (URLS="cmd query notify" or one URL; RABBITMQ_URL)
	@ACCOUNTS_TOKEN="$${ACCOUNTS_TOKEN:-$$($(MAKE) -s token)}" $(OPERATOR) status $(if $(URLS),--urls "$(URLS)")

rebuild: ## rebuild the query service's views from the feed (blue/green) with a live progress bar; exit code 1 if it fails
	@ACCOUNTS_TOKEN="$${ACCOUNTS_TOKEN:-$$($(MAKE) -s token)}" $(OPERATOR) rebuild $(if $(URLS),--urls "$(URLS)")

bench: ## end to end (Release): raw-broker baseline, saturation (CPU per command), paced at baseline/20, peak RSS -> bench-results/latest.json
	@for p in $(SERVICES) tests/Benchmark; do dotnet build -c Release --nologo -v q $$p || exit 1; done
	dotnet run -c Release --no-build --project tests/Benchmark -- $(ARGS)

bench-serialization: ## Avro vs System.Text.Json vs MassTransit's JSON envelope: ns/op, allocations, bytes (BenchmarkDotNet)
	dotnet run -c Release --project tests/Serialization.Benchmarks -- --filter '*' --job short --inProcess
