// Two translation units include every varia header and record gradients on the same thread's
// tape; the program links only if no header defines a non-inline function or variable.
#include <cstdlib>

double first_translation_unit();
double second_translation_unit();

int main() {
  return (first_translation_unit() == 2.0 && second_translation_unit() == 3.0) ? EXIT_SUCCESS
                                                                               : EXIT_FAILURE;
}
