#include <varia/varia.hpp>

int second_translation_unit() { return varia::version_minor + 2 - varia::version_minor; }
