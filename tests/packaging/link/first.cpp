#include <varia/varia.hpp>

// Records a gradient in this translation unit; the tape and arena are shared inline state.
double first_translation_unit() {
  const Eigen::Vector2d x(1.0, 2.0);
  return varia::value_and_gradient([](const auto& v) { return v(0) * v(1); }, x).second(0);
}
