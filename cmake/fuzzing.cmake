# Fuzz targets: tests/fuzz/<name>_fuzz.cpp, one per parser fed from outside (see the README,
# "Fuzzing"). Each is an executable in ${build}/fuzz/.
#
# - Ordinary builds (g++): each target is linked with tests/fuzz/corpus_runner.cpp, and CTest
#   replays its seed corpus tests/fuzz/corpus/<name>/ through it (test fuzz_corpus.<name>), so
#   the targets keep building and the inputs of past crashes stay harmless.
# - With -DVIGIE_FUZZ=ON (clang; `make fuzz`): everything is compiled with coverage
#   instrumentation, ASan and UBSan, and the targets are linked with libFuzzer.
file(GLOB vigie_fuzz_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/*_fuzz.cpp)
add_custom_target(vigie_fuzz)
if(NOT VIGIE_FUZZ)
  add_library(vigie_fuzz_corpus_runner OBJECT ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus_runner.cpp)
  target_link_libraries(vigie_fuzz_corpus_runner PRIVATE vigie_warnings)
endif()
foreach(source ${vigie_fuzz_sources})
  get_filename_component(name ${source} NAME_WE)
  add_executable(${name} ${source})
  # The API's library brings every layer below it but the backends (the API reads authorities
  # through an interface): the territory library brings the SQLite one.
  target_link_libraries(${name} PRIVATE vigie_api vigie_territory vigie_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE VIGIE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  if(VIGIE_FUZZ)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_link_libraries(${name} PRIVATE vigie_fuzz_corpus_runner)
    if(VIGIE_TESTS)
      add_test(NAME fuzz_corpus.${name} COMMAND ${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
      set_tests_properties(fuzz_corpus.${name} PROPERTIES LABELS fuzz TIMEOUT 120)
    endif()
  endif()
  add_dependencies(vigie_fuzz ${name})
endforeach()
