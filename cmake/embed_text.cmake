# cmake -DOUT=header.hpp -DNAMESPACE=ns -DINPUTS="a.vert,b.frag" -P embed_text.cmake
# Turns text files into `inline constexpr const char* <stem>_<ext>` strings, so the shaders ship inside the WASM.
set(content "// Generated from shaders/ by cmake/embed_text.cmake. Do not edit.\n#pragma once\nnamespace ${NAMESPACE} {\n")
string(REPLACE "," ";" INPUTS "${INPUTS}")
foreach(input IN LISTS INPUTS)
  get_filename_component(stem "${input}" NAME_WE)
  get_filename_component(ext "${input}" EXT)
  string(REPLACE "." "" ext "${ext}")
  file(READ "${input}" text)
  string(APPEND content "inline constexpr const char* ${stem}_${ext} = R\"glsl(${text})glsl\";\n")
endforeach()
string(APPEND content "}  // namespace ${NAMESPACE}\n")
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
