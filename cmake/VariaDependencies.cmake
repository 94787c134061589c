# Eigen 3.4 is what Debian 12 ships. Eigen 5 is accepted too: a version range such as 3.4...5 is
# rejected by Eigen 3.4's own version file, so each major version is asked for in turn.
find_package(Eigen3 3.4 QUIET NO_MODULE)
if(NOT Eigen3_FOUND)
  find_package(Eigen3 5 QUIET NO_MODULE)
endif()
if(NOT Eigen3_FOUND)
  message(FATAL_ERROR
    "varia: Eigen 3.4 or 5 was not found. Install it (Debian: apt-get install libeigen3-dev) "
    "or point CMAKE_PREFIX_PATH at its installation.")
endif()
