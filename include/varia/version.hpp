// varia's version. CMakeLists.txt reads the project version from these three lines.
#pragma once

namespace varia {

inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;

}  // namespace varia
