include(CMakePackageConfigHelpers)

set(VARIA_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/cmake/varia"
    CACHE STRING "Where varia's CMake package files are installed, relative to the prefix")

install(TARGETS varia EXPORT variaTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/varia" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/varia)

install(EXPORT variaTargets NAMESPACE varia:: DESTINATION ${VARIA_CMAKE_INSTALL_DIR})

configure_package_config_file(
  cmake/variaConfig.cmake.in "${PROJECT_BINARY_DIR}/variaConfig.cmake"
  INSTALL_DESTINATION ${VARIA_CMAKE_INSTALL_DIR})
# A header-only package fits every architecture, so the version file does not check pointer size.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/variaConfigVersion.cmake" COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/variaConfig.cmake"
              "${PROJECT_BINARY_DIR}/variaConfigVersion.cmake"
        DESTINATION ${VARIA_CMAKE_INSTALL_DIR})

configure_file(cmake/varia.pc.in "${PROJECT_BINARY_DIR}/varia.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/varia.pc" DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)
