# The server's code as a library, for the server binary, its tests and the fuzz targets.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# OpenSSL's libcrypto (installed with cpp-httplib's libssl-dev): MD5 digests and base64 of CouchDB attachments.
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
# OpenSSL's libssl: the HTTPS server's TLS context (startup.cpp).
pkg_check_modules(LIBSSL REQUIRED IMPORTED_TARGET libssl)
# libsodium: Argon2id password hashes, random tokens, keyed digests (passwords.hpp).
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# simdjson: _bulk_docs bodies, the server's heaviest parsing (couch_bulk_body.hpp).
find_package(simdjson REQUIRED)
find_package(Threads REQUIRED)

file(GLOB SERVER_LIB_SOURCES CONFIGURE_DEPENDS src/server/*.cpp)
list(FILTER SERVER_LIB_SOURCES EXCLUDE REGEX ".*/main\\.cpp$")
add_library(steward_server_lib STATIC ${SERVER_LIB_SOURCES})
target_link_libraries(steward_server_lib PUBLIC steward_store PkgConfig::HTTPLIB PkgConfig::SQLITE3
                      PkgConfig::LIBCRYPTO PkgConfig::LIBSSL PkgConfig::SODIUM simdjson::simdjson Threads::Threads)
