# umdev - the two commands a new user needs (as root on Debian 12):
#   make demo    build, start umdevd, create a device, show bytes and interrupts
#   make check   build and run every test; ends with "N passed, N failed"
# Also: make (build), make install [DESTDIR=… PREFIX=…] (builds in build-install),
#       make deb (Debian packages in build-deb/), make check-kernel, make bench, make fuzz.

BUILD  ?= build
ASAN_BUILD ?= build-asan
INSTALL_BUILD ?= build-install
PREFIX ?= /usr/local
MESON_OPTS ?= -Dwerror=true

.PHONY: all build bootstrap demo check check-kernel bench install deb clean fuzz

all: build

bootstrap:
	@scripts/bootstrap build

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX) $(MESON_OPTS)

build: bootstrap $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@scripts/demo $(BUILD)

check: build $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	@scripts/check $(BUILD) $(ASAN_BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false

check-kernel: build
	@scripts/bootstrap kernel
	@scripts/run-tests $(BUILD) tests/kernel

# libFuzzer targets (fuzz/), each run for FUZZ_SECONDS from its seed corpus.
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/bootstrap fuzz
	$(MAKE) -C fuzz O=$(abspath $(BUILD))/fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) run

bench:
	@scripts/bootstrap bench
	@$(MAKE) --no-print-directory build
	@bench/run $(BUILD)

# Installing builds in its own directory, configured for PREFIX: ./build
# (make demo, make check) keeps its configuration.
install: bootstrap
	@if [ ! -f $(INSTALL_BUILD)/build.ninja ]; then \
		meson setup $(INSTALL_BUILD) --prefix=$(PREFIX) -Dtests=false $(MESON_OPTS); \
	elif [ "$$(meson introspect --buildoptions $(INSTALL_BUILD) | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')" != "$(PREFIX)" ]; then \
		meson configure $(INSTALL_BUILD) -Dprefix=$(PREFIX); \
	fi
	ninja -C $(INSTALL_BUILD)
	DESTDIR=$(DESTDIR) meson install -C $(INSTALL_BUILD) --no-rebuild --quiet

# Debian packages (debian/): umdev, libumdev0, libumdev-dev, umdev-mtty-dkms,
# built from a clean copy of the tree into $(DEB_BUILD)/.
DEB_BUILD ?= build-deb
deb:
	@scripts/bootstrap build pkg
	scripts/build-debs $(DEB_BUILD) >$(DEB_BUILD).log 2>&1 || { tail -30 $(DEB_BUILD).log; exit 1; }
	@ls $(DEB_BUILD)/*.deb

clean:
	rm -rf $(BUILD) build-*
