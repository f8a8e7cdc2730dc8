# The same steps as .ci/run, one target each. `make deps` installs the e2e
# clients (Debian packages need root; npm ci needs node 20).
.PHONY: all deps test e2e fuzz lint ci

all: test lint

deps:
	bash .ci/run deps

test:
	go test -race ./...

e2e:
	cd test/e2e/js && npm ci --no-audit --no-fund --loglevel=error
	go test -race -count=1 -v ./test/e2e/

fuzz:
	bash .ci/run fuzz

lint:
	bash .ci/run lint

ci:
	bash .ci/run
