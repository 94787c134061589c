// A math function called with a type it does not support is rejected with a sentence that lists
// the supported types.
// expected-error: a math function was called with an unsupported argument type
#include <complex>

#include <varia/math/exp_log.hpp>

int main() {
#ifdef VARIA_COMPILE_FAIL_CONTROL
  const double x = 0.5;
#else
  const std::complex<double> x(0.5, 1.0);
#endif
  const auto y = varia::exp(x);
  return static_cast<int>(std::abs(y));
}
