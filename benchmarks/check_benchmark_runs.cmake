# Runs BENCHMARK briefly and checks that it wrote a JSON file with at least one result.
file(REMOVE "${JSON}")
get_filename_component(json_dir "${JSON}" DIRECTORY)
file(MAKE_DIRECTORY "${json_dir}")
execute_process(
  COMMAND "${BENCHMARK}" --benchmark_min_time=0.001 "--benchmark_out=${JSON}"
          --benchmark_out_format=json
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${BENCHMARK} failed (exit ${result}):\n${output}")
endif()
file(READ "${JSON}" json)
string(JSON count LENGTH "${json}" benchmarks)
if(count EQUAL 0)
  message(FATAL_ERROR "${JSON} lists no benchmark results")
endif()
message(STATUS "${BENCHMARK} wrote ${count} results to ${JSON}")
