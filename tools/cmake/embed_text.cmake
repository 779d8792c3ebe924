# cmake -DINPUT=file -DOUTPUT=file.cpp -DNAME=kName -P embed_text.cmake
# Writes a C++ source defining tcpinspect::core::render::NAME, a std::string_view of the
# file's text (the report's script and style, embedded so the page needs no fetches).
file(READ "${INPUT}" content)
string(FIND "${content}" ")TCPI\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )TCPI\"")
endif()
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${INPUT} by tools/cmake/embed_text.cmake. Do not edit.\n"
     "#include <string_view>\n"
     "namespace tcpinspect::core::render {\n"
     "extern const std::string_view ${NAME};\n"
     "const std::string_view ${NAME} = R\"TCPI(${content})TCPI\";\n"
     "}  // namespace tcpinspect::core::render\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
