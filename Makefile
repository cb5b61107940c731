# SPDX-License-Identifier: GPL-3.0-or-later
#
# The two commands a person needs: `make run` and `make test`.
# Both install what is missing, configure, and build first.

BUILDDIR ?= _build
ASANDIR  ?= _build-asan
MESON    ?= meson

.PHONY: all deps build run test test-asan check-long bench clean

all: build

deps:
	@./build-aux/install-deps.sh

$(BUILDDIR)/build.ninja:
	$(MESON) setup $(BUILDDIR) -Ddevelopment=true

build: deps $(BUILDDIR)/build.ninja
	$(MESON) compile -C $(BUILDDIR)

run: build
	$(MESON) devenv -C $(BUILDDIR) ./app/whetstone

test: build
	$(MESON) test -C $(BUILDDIR) --print-errorlogs --num-processes 2

$(ASANDIR)/build.ninja:
	$(MESON) setup $(ASANDIR) -Ddevelopment=true -Db_sanitize=address,undefined -Db_lundef=false

test-asan: deps $(ASANDIR)/build.ninja
	$(MESON) compile -C $(ASANDIR)
	$(MESON) test -C $(ASANDIR) --print-errorlogs --num-processes 2 --no-suite gui

check-long: build
	$(MESON) test -C $(BUILDDIR) --print-errorlogs --suite long --num-processes 1

bench: build
	$(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench gemm

clean:
	rm -rf $(BUILDDIR) $(ASANDIR)
