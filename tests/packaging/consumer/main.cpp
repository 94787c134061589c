// A downstream program: differentiates a small model with the installed or added varia.
#include <varia/varia.hpp>

#include <cmath>
#include <cstdio>

struct Model {
  template <class T>
  auto operator()(const T& x) const {
    return varia::normal_lpdf(x, 1.0, 2.0);
  }
};

int main() {
  const Eigen::Vector2d x(0.0, 3.0);
  const auto [value, gradient] = varia::value_and_gradient(Model{}, x);
  // The gradient of log N(x | 1, 2) is -(x - 1) / 4.
  const bool correct = std::abs(gradient(0) - 0.25) < 1e-15 && std::abs(gradient(1) + 0.5) < 1e-15;
  std::printf("varia %d.%d.%d: value %.6f, gradient %s\n", varia::version_major,
              varia::version_minor, varia::version_patch, value, correct ? "correct" : "WRONG");
  return correct ? 0 : 1;
}
