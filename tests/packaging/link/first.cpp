#include <varia/varia.hpp>

int first_translation_unit() { return varia::version_major + 1 - varia::version_major; }
