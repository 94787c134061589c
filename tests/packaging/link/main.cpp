// Two translation units include every varia header; the program links only if no header
// defines a non-inline function or variable.
#include <cstdlib>

int first_translation_unit();
int second_translation_unit();

int main() {
  return (first_translation_unit() == 1 && second_translation_unit() == 2) ? EXIT_SUCCESS
                                                                           : EXIT_FAILURE;
}
