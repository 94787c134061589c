# Checks that SOURCE compiles with -DVARIA_COMPILE_FAIL_CONTROL and fails without it, with a
# diagnostic that matches the file's "// expected-error: REGEX" line.
file(STRINGS "${SOURCE}" expected_lines REGEX "^// expected-error: ")
if(NOT expected_lines)
  message(FATAL_ERROR "${SOURCE} has no '// expected-error: REGEX' line")
endif()

set(include_flags)
foreach(dir IN LISTS INCLUDE_DIRS)
  list(APPEND include_flags "-isystem" "${dir}")
endforeach()
set(compile ${CXX_COMPILER} -std=c++20 -fsyntax-only ${include_flags} "${SOURCE}")

execute_process(COMMAND ${compile} -DVARIA_COMPILE_FAIL_CONTROL RESULT_VARIABLE result
                OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the control build of ${SOURCE} failed, so the test proves nothing:\n${output}")
endif()

execute_process(COMMAND ${compile} RESULT_VARIABLE result OUTPUT_VARIABLE output
                ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but must be rejected")
endif()
foreach(line IN LISTS expected_lines)
  string(REGEX REPLACE "^// expected-error: " "" pattern "${line}")
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR "${SOURCE} was rejected, but no diagnostic matches '${pattern}':\n${output}")
  endif()
endforeach()
message(STATUS "${SOURCE} was rejected as expected")
