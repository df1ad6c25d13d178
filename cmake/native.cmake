# Native build: the server and the native test suites.
include(cmake/server_lib.cmake)

# --- the server: one binary --------------------------------------------------------------------------
add_executable(steward-server src/server/main.cpp)
target_link_libraries(steward-server PRIVATE steward_server_lib)

# --- native tests (doctest) ---------------------------------------------------------------------------
enable_testing()
function(steward_test name)
  file(GLOB srcs CONFIGURE_DEPENDS tests/${name}/*.cpp)
  add_executable(${name}_tests ${srcs})
  target_link_libraries(${name}_tests PRIVATE ${ARGN})
  target_compile_definitions(${name}_tests PRIVATE STEWARD_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                             STEWARD_SERVER_BINARY="$<TARGET_FILE:steward-server>")
  add_test(NAME ${name} COMMAND ${name}_tests)
endfunction()
steward_test(core steward_core)
steward_test(store steward_store)
# zlib: the server tests read gzip answers back with a decoder other than the one that wrote them.
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
steward_test(server steward_server_lib PkgConfig::ZLIB)
add_dependencies(server_tests steward-server)

# --- benchmark tools --------------------------------------------------------------------------------------
add_executable(seed_visits tests/bench/seed_visits.cpp)
target_link_libraries(seed_visits PRIVATE steward_store)
add_executable(seed_tickets tests/bench/seed_tickets.cpp)
target_link_libraries(seed_tickets PRIVATE steward_store)
