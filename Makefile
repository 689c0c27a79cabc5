# Vigie — the two commands of the README, and their parts.
#   make run    install what is missing, build, set up the database, load the demo, serve
#   make test   install what is missing, build, run every test (what .ci/run calls)
.PHONY: deps deps-test configure build assets setup demo run test test-unit test-e2e bench asan package fuzz clean

BUILD_DIR ?= build
DATA_DIR ?= var
VIGIE := $(BUILD_DIR)/vigie
export VIGIE_DATA_DIR ?= $(DATA_DIR)

deps:
	@scripts/install-deps.sh

deps-test:
	@scripts/install-deps.sh --test

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIE_WERROR=ON >/dev/null

configure: $(BUILD_DIR)/build.ninja

build: deps configure assets
	@cmake --build $(BUILD_DIR) --target vigie

# Front-end assets from npm, copied next to our own (never committed).
assets: deps
	@scripts/copy-assets.sh

setup: build
	@$(VIGIE) setup

demo: setup
	@$(VIGIE) demo

run: demo
	@$(VIGIE) serve

test: deps-test configure assets
	@cmake --build $(BUILD_DIR)
	@scripts/run-tests.sh $(BUILD_DIR)

bench: configure assets
	@scripts/install-deps.sh --bench
	@cmake --build $(BUILD_DIR) --target vigie vigie_corpus vigie_bench vigie_search_compare vigie_store_compare
	@bench/run.sh $(BUILD_DIR)

# Sanitizer build (clang: ASan, UBSan, libFuzzer coverage; build-fuzz/) and its unit tests.
asan: deps-test
	@scripts/configure-sanitizers.sh build-fuzz
	@cmake --build build-fuzz --target vigie vigie_tests
	@cd build-fuzz && ctest --output-on-failure -j2

# Debian package (build/vigie_<version>_<arch>.deb): binary, resources, systemd unit,
# configuration, nginx example. See the README, "Installing the Debian package".
package: build
	@cd $(BUILD_DIR) && cpack -G DEB

# Fuzzing: every libFuzzer target (tests/fuzz/) for FUZZ_SECONDS each, in the sanitizer build
# (`make test` runs them for a few seconds each). Crash inputs land in build-fuzz/fuzz-crashes/.
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps.sh --fuzz
	@scripts/configure-sanitizers.sh build-fuzz
	@cmake --build build-fuzz --target vigie_fuzz
	@scripts/run-fuzz.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) build-fuzz .stamps
