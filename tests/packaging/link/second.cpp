#include <varia/varia.hpp>

double second_translation_unit() {
  const Eigen::Vector2d x(1.0, 2.0);
  return varia::value_and_gradient([](const auto& v) { return varia::sum(v * 3.0); }, x).second(1);
}
