# Fuzz build (clang, libFuzzer): CC=clang CXX=clang++ cmake -S . -B build/fuzz -DSTEWARD_FUZZ=ON
# Everything is compiled with coverage feedback and AddressSanitizer + UndefinedBehaviorSanitizer, so the fuzzer
# sees into the libraries and any memory error or undefined behaviour stops it with the input that caused it.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "STEWARD_FUZZ needs clang (libFuzzer): CC=clang CXX=clang++")
endif()
set(FUZZ_SANITIZERS "address,undefined")
foreach(lib steward_core steward_sync steward_store)
  target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link,${FUZZ_SANITIZERS} -fno-sanitize-recover=all -g)
endforeach()
include(cmake/server_lib.cmake)
target_compile_options(steward_server_lib PRIVATE -fsanitize=fuzzer-no-link,${FUZZ_SANITIZERS} -fno-sanitize-recover=all -g)

file(GLOB FUZZ_TARGETS CONFIGURE_DEPENDS tests/fuzz/fuzz_*.cpp)
foreach(src ${FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,${FUZZ_SANITIZERS} -fno-sanitize-recover=all -g)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,${FUZZ_SANITIZERS})
  target_link_libraries(${name} PRIVATE steward_server_lib)
endforeach()
