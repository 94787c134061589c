# Compiler settings for varia's own tests, benchmarks and examples. None of them reaches the
# varia::varia target, so consumers keep their own flags.
add_library(varia_project_options INTERFACE)
add_library(varia::project_options ALIAS varia_project_options)

target_compile_options(
  varia_project_options
  INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
            -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
            -Wdouble-promotion -Wimplicit-fallthrough)
if(VARIA_WARNINGS_AS_ERRORS)
  target_compile_options(varia_project_options INTERFACE -Werror)
endif()
if(VARIA_NATIVE)
  target_compile_options(varia_project_options INTERFACE -march=native)
endif()
target_link_libraries(varia_project_options INTERFACE varia::varia)
