# Builds and runs the consumer project in tests/packaging/consumer against varia.
#   MODE=find_package: install varia from VARIA_BUILD_DIR into a fresh prefix, then find_package it.
#   MODE=add_subdirectory: the consumer adds VARIA_SOURCE_DIR as a subdirectory.
foreach(required VARIA_SOURCE_DIR VARIA_BUILD_DIR WORK_DIR MODE CXX_COMPILER)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_consumer.cmake: ${required} is missing; pass it with -D${required}=...")
  endif()
endforeach()

function(run_step description)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${description} failed (exit ${result}):\n${output}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(consumer_args -S "${VARIA_SOURCE_DIR}/tests/packaging/consumer" -B "${WORK_DIR}/build"
    -G Ninja -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release -DMODE=${MODE})

if(MODE STREQUAL "find_package")
  run_step("install of varia" ${CMAKE_COMMAND} --install "${VARIA_BUILD_DIR}" --prefix
           "${WORK_DIR}/prefix")
  run_step("configure of the consumer" ${CMAKE_COMMAND} ${consumer_args}
           -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
elseif(MODE STREQUAL "add_subdirectory")
  run_step("configure of the consumer" ${CMAKE_COMMAND} ${consumer_args}
           -DVARIA_SOURCE_DIR=${VARIA_SOURCE_DIR})
else()
  message(FATAL_ERROR "run_consumer.cmake: MODE is '${MODE}', but must be find_package or add_subdirectory")
endif()

run_step("build of the consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run_step("run of the consumer" "${WORK_DIR}/build/consumer")
message(STATUS "consumer (${MODE}) built and ran")
