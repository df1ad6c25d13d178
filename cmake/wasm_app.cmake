# Browser build (emcmake): the app bundle in ${CMAKE_BINARY_DIR}/web and the core tests for node.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(SYSTEM_PYTHON /usr/bin/python3)  # Debian's, which has fonttools
set(WEB_OUT "${CMAKE_BINARY_DIR}/web")
set(GENERATED "${CMAKE_BINARY_DIR}/generated")
file(MAKE_DIRECTORY "${WEB_OUT}/fonts" "${GENERATED}")

# C++ exceptions as WebAssembly exceptions: the store reports failures by throwing, and the UI must catch them.
set(WASM_EH -fwasm-exceptions)
foreach(lib steward_core steward_sync steward_store)
  target_compile_options(${lib} PRIVATE ${WASM_EH})
endforeach()

# --- Dear ImGui 1.86, from Debian's source package in the build cache ----------------------------------------
if(NOT EXISTS "${IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "Dear ImGui source not found in ${IMGUI_DIR}: run scripts/setup")
endif()
# misc/cpp: InputText on a std::string, for text whose count is not known in advance (a route's names and checks).
add_library(imgui STATIC ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
                         ${IMGUI_DIR}/imgui_widgets.cpp ${IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/misc/cpp)
# 32-bit indices: long visit lists exceed 65,536 vertices and WebGL2 has no base-vertex draws.
# The test-engine hooks give the browser tests every labelled widget's rectangle.
# 32-bit ImWchar: rare name characters beyond the BMP (CJK Extension B and later, e.g. 𠮷) are whole characters.
# PUBLIC, so everything that includes imgui.h agrees on the type.
target_compile_definitions(imgui PUBLIC "ImDrawIdx=unsigned int" IMGUI_USE_WCHAR32 IMGUI_ENABLE_TEST_ENGINE
                                        IMGUI_DISABLE_DEMO_WINDOWS IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
target_compile_options(imgui PRIVATE ${WASM_EH} -w)

# --- the font subset and the glyph ranges compiled into the app ------------------------------------------
set(FONT_OUT "${WEB_OUT}/fonts/steward-sc.otf")
add_custom_command(
  OUTPUT "${FONT_OUT}" "${GENERATED}/glyph_ranges.hpp"
  COMMAND ${SYSTEM_PYTHON} ${CMAKE_SOURCE_DIR}/scripts/make_font.py "${FONT_OUT}" "${GENERATED}/glyph_ranges.hpp"
          ${CMAKE_SOURCE_DIR}/src/ui/strings.cpp
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/make_font.py ${CMAKE_SOURCE_DIR}/src/ui/strings.cpp
  COMMENT "Subsetting Noto Sans CJK SC")

# The rest of Noto, and HanaMin B for CJK Extension B and later, in chunk files the app fetches when a character
# needs them (see make_font.py).
add_custom_command(
  OUTPUT "${GENERATED}/extra_font_chunks.hpp"
  COMMAND ${SYSTEM_PYTHON} ${CMAKE_SOURCE_DIR}/scripts/make_font.py --extra "${WEB_OUT}/fonts"
          "${GENERATED}/extra_font_chunks.hpp"
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/make_font.py
  COMMENT "Cutting the fuller font into chunks")

# --- shaders, built into the bundle -----------------------------------------------------------------------
file(GLOB SHADER_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/shaders/*.vert ${CMAKE_SOURCE_DIR}/shaders/*.frag)
string(REPLACE ";" "," SHADER_LIST "${SHADER_FILES}")  # one argument on the command line
add_custom_command(
  OUTPUT "${GENERATED}/shaders.hpp"
  COMMAND ${CMAKE_COMMAND} -DOUT=${GENERATED}/shaders.hpp -DNAMESPACE=steward::platform::shaders
          "-DINPUTS=${SHADER_LIST}" -P ${CMAKE_SOURCE_DIR}/cmake/embed_text.cmake
  DEPENDS ${SHADER_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_text.cmake)

# --- the app ----------------------------------------------------------------------------------------------
file(GLOB UI_SOURCES CONFIGURE_DEPENDS src/ui/*.cpp)
file(GLOB PLATFORM_SOURCES CONFIGURE_DEPENDS src/platform/*.cpp)
add_executable(steward ${UI_SOURCES} ${PLATFORM_SOURCES} "${GENERATED}/shaders.hpp" "${GENERATED}/glyph_ranges.hpp"
               "${GENERATED}/extra_font_chunks.hpp")
target_include_directories(steward PRIVATE "${GENERATED}")
target_link_libraries(steward PRIVATE steward_store imgui)
target_compile_options(steward PRIVATE ${WASM_EH})
set(WEB_BRIDGE "${CMAKE_SOURCE_DIR}/src/platform/web_bridge.js")
target_link_options(steward PRIVATE ${WASM_EH}
  -sENVIRONMENT=web -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB
  -sFORCE_FILESYSTEM=1 -lidbfs.js --js-library=${WEB_BRIDGE}
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free -sHTML5_SUPPORT_DEFERRING_USER_SENSITIVE_REQUESTS=0)
set_target_properties(steward PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${WEB_OUT}" SUFFIX ".js" LINK_DEPENDS "${WEB_BRIDGE}")

file(GLOB WEB_SHELL CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/* ${CMAKE_SOURCE_DIR}/assets/icons/*)
add_custom_target(web ALL
  COMMAND ${SYSTEM_PYTHON} ${CMAKE_SOURCE_DIR}/scripts/stage_web.py ${CMAKE_SOURCE_DIR} ${WEB_OUT}
  DEPENDS steward "${FONT_OUT}" ${WEB_SHELL} ${CMAKE_SOURCE_DIR}/scripts/stage_web.py
  COMMENT "Staging the web app")

# --- WASM programs run under node: the core tests, and a benchmark ------------------------------------------
# Debian's Emscripten 3.1.6 glue tries fetch() for the .wasm under node 20 (see node_without_fetch.js).
set(WASM_NODE_PRE_JS "${CMAKE_SOURCE_DIR}/tests/wasm/node_without_fetch.js")
function(steward_wasm_node_program target)
  target_compile_options(${target} PRIVATE ${WASM_EH})
  target_link_options(${target} PRIVATE ${WASM_EH} -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1
                      "--pre-js=${WASM_NODE_PRE_JS}" ${ARGN})
  set_target_properties(${target} PROPERTIES SUFFIX ".js" LINK_DEPENDS "${WASM_NODE_PRE_JS}")
endfunction()

file(GLOB CORE_TEST_SOURCES CONFIGURE_DEPENDS tests/core/*.cpp)
add_executable(core_tests_wasm ${CORE_TEST_SOURCES})
target_link_libraries(core_tests_wasm PRIVATE steward_core)
steward_wasm_node_program(core_tests_wasm)

# What a pull does with its answers (scripts/bench builds and runs it).
add_executable(pull_store_bench EXCLUDE_FROM_ALL tests/bench/pull_store_bench.cpp)
target_link_libraries(pull_store_bench PRIVATE steward_store)
steward_wasm_node_program(pull_store_bench -sINITIAL_MEMORY=64MB)
