# web.mk — the map page (web/ → api/webdist/, embedded by api/web.go).
# Included from the Makefile. Needs node ≥ 20 and npm; the npm registry is
# used only by `npm ci`, pinned by web/package-lock.json.
#   make web        install the locked packages and rebuild api/webdist/
#   make web-check  rebuild into a temporary folder and fail if it differs
#                   from the committed api/webdist/ (sources and bundle agree)
.PHONY: web web-check

NPM ?= npm

web:
	cd web && $(NPM) ci --no-audit --no-fund --loglevel=error && node build.mjs

web-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cd web && $(NPM) ci --no-audit --no-fund --loglevel=error && WEB_OUT="$$tmp" node build.mjs && \
	diff -r "$$tmp" ../api/webdist && echo "web-check: api/webdist matches web/ sources"
