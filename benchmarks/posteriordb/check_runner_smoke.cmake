# Runs RUNNER on one posterior with one seed, a few families on two threads and few iterations
# into OUT, then checks that results.json lists the fits in family order with every documented
# field, that the draws files and report.md exist, and that a bad command line fails with a
# usage error.
# Arguments: RUNNER (the varia_posteriordb binary), DATA (data folder), OUT (scratch folder),
# POSTERIOR (folder name), FAMILIES (comma-separated family identifiers, in the runner's order).
file(REMOVE_RECURSE "${OUT}")
string(REPLACE "," ";" families "${FAMILIES}")
set(family_arguments)
foreach(family IN LISTS families)
  list(APPEND family_arguments --family "${family}")
endforeach()
list(LENGTH families family_count)
execute_process(
  COMMAND "${RUNNER}" --data "${DATA}" --out "${OUT}" --seeds 1 --posterior "${POSTERIOR}"
          ${family_arguments} --draws 500 --max-iterations 50 --jobs 2
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${RUNNER} failed (exit ${result}):\n${output}")
endif()

file(READ "${OUT}/results.json" json)
string(JSON fit_count LENGTH "${json}" fits)
if(NOT fit_count EQUAL family_count)
  message(FATAL_ERROR "results.json lists ${fit_count} fits, expected ${family_count}")
endif()
set(fit_index 0)
foreach(expected_family IN LISTS families)
  foreach(field posterior family seed k_hat objective converged iterations gradient_evaluations
                wall_seconds parameters)
    string(JSON type ERROR_VARIABLE missing TYPE "${json}" fits ${fit_index} ${field})
    if(missing)
      message(FATAL_ERROR "results.json: fit ${fit_index} has no field '${field}': ${missing}")
    endif()
  endforeach()
  string(JSON posterior GET "${json}" fits ${fit_index} posterior)
  string(JSON family GET "${json}" fits ${fit_index} family)
  string(JSON seed GET "${json}" fits ${fit_index} seed)
  string(JSON iterations GET "${json}" fits ${fit_index} iterations)
  if(NOT posterior STREQUAL POSTERIOR OR NOT family STREQUAL expected_family OR NOT seed EQUAL 1)
    message(FATAL_ERROR "results.json: fit ${fit_index} is ${posterior} ${family} seed ${seed}, "
                        "expected ${POSTERIOR} ${expected_family} seed 1")
  endif()
  if(iterations LESS 1 OR iterations GREATER 50)
    message(FATAL_ERROR "results.json: fit ${fit_index} ran ${iterations} iterations, expected "
                        "1 to 50")
  endif()

  string(JSON parameter_count LENGTH "${json}" fits ${fit_index} parameters)
  if(parameter_count EQUAL 0)
    message(FATAL_ERROR "results.json: fit ${fit_index} has no parameters")
  endif()
  math(EXPR last "${parameter_count} - 1")
  foreach(index RANGE ${last})
    foreach(field name ref_mean ref_sd mean sd standardized_error sd_ratio)
      string(JSON type ERROR_VARIABLE missing TYPE "${json}" fits ${fit_index} parameters
             ${index} ${field})
      if(missing)
        message(FATAL_ERROR "results.json: fit ${fit_index} parameter ${index} has no field "
                            "'${field}'")
      endif()
    endforeach()
    string(JSON sd_type TYPE "${json}" fits ${fit_index} parameters ${index} sd)
    if(NOT sd_type STREQUAL "NUMBER")
      message(FATAL_ERROR "results.json: fit ${fit_index} parameter ${index} has an sd of type "
                          "${sd_type}, expected NUMBER")
    endif()
  endforeach()

  if(NOT EXISTS "${OUT}/draws/${POSTERIOR}_${expected_family}_seed1.csv")
    message(FATAL_ERROR "${OUT}/draws/${POSTERIOR}_${expected_family}_seed1.csv was not written")
  endif()
  math(EXPR fit_index "${fit_index} + 1")
endforeach()
if(NOT EXISTS "${OUT}/report.md")
  message(FATAL_ERROR "${OUT}/report.md was not written")
endif()

execute_process(COMMAND "${RUNNER}" --data "${DATA}" --seeds 1 RESULT_VARIABLE result
                OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 2 OR NOT output MATCHES "--out is missing")
  message(FATAL_ERROR "a command line without --out gave exit ${result}:\n${output}")
endif()
message(STATUS "${RUNNER}: ${fit_count} ${POSTERIOR} fits with ${parameter_count} parameters "
               "each in ${OUT}")
