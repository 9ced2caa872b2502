# Embeds a text file into C++ as a function returning it: -DINPUT=file -DOUTPUT=cpp
# -DFUNCTION=qualified::name (declared by the including code). Used for the OpenAPI document.
file(READ "${INPUT}" content)
if(content MATCHES "\\)AQTEXT\"")
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )AQTEXT\"")
endif()
string(REGEX REPLACE "::[^:]+$" "" ns "${FUNCTION}")
string(REGEX REPLACE "^.*::" "" fn "${FUNCTION}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by EmbedText.cmake. Do not edit.\nnamespace ${ns} {\nconst char* ${fn}() {\n  return R\"AQTEXT(${content})AQTEXT\";\n}\n}  // namespace ${ns}\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
