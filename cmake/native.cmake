# Native build: the server and the native test suites.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
# OpenSSL's libcrypto (installed with cpp-httplib's libssl-dev): MD5 digests and base64 of CouchDB attachments.
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
find_package(Threads REQUIRED)

# --- the server: one binary --------------------------------------------------------------------------
file(GLOB SERVER_LIB_SOURCES CONFIGURE_DEPENDS src/server/*.cpp)
list(FILTER SERVER_LIB_SOURCES EXCLUDE REGEX ".*/main\\.cpp$")
add_library(steward_server_lib STATIC ${SERVER_LIB_SOURCES})
target_link_libraries(steward_server_lib PUBLIC steward_store PkgConfig::HTTPLIB PkgConfig::SQLITE3 PkgConfig::ZLIB
                      PkgConfig::LIBCRYPTO Threads::Threads)
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
steward_test(server steward_server_lib)
add_dependencies(server_tests steward-server)

# --- benchmark tools --------------------------------------------------------------------------------------
add_executable(seed_visits tests/bench/seed_visits.cpp)
target_link_libraries(seed_visits PRIVATE steward_store)
