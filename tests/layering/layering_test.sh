#!/usr/bin/env bash
# The layers of the README's architecture, checked on the includes: the pages, the API, the
# search and the layers below them reach the database only through the store interfaces
# (store/*.h), never a backend (store/sqlite/, store/postgres/), the factory that opens one
# (store/store.h, for the commands) or the referential's loader (territory/), so that either
# backend serves them unchanged; and neither backend uses the other. The linker alone cannot
# say it: every static library meets in the one executable.
#   tests/layering/layering_test.sh SOURCE_DIR
set -euo pipefail
src=${1:?usage: layering_test.sh SOURCE_DIR}/src
status=0
check() {  # check DIRECTORY PATTERN WHY
  local found
  found=$(grep -rnE "#include \"($2)" "$src/$1" --include='*.h' --include='*.cpp' || true)
  if [[ -n "$found" ]]; then
    echo "src/$1 must not include $2 ($3):"
    echo "$found"
    status=1
  fi
}
backends='store/sqlite/|store/postgres/|store/store\.h|territory/'
for layer in pages api search web observatory assessment; do
  check "$layer" "$backends" "it reads through store/*.h"
done
check store/sqlite 'store/postgres/' "the backends are independent"
check store/postgres 'store/sqlite/' "the backends are independent"
check domain 'store/|territory/|search/|web/|pages/|api/|app/' "the domain depends on core only"
check core 'domain/|store/|territory/|search/|web/|pages/|api/|app/' "core depends on nothing of Vigie"
check web 'pages/|api/|app/|store/|search/' "the HTTP layer knows no handler"
exit $status
