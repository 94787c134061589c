// Fits a normal model with unknown mean and scale to 20 observations and prints the posterior
// summary: the first program of the README.
#include <varia/varia.hpp>

#include <cstdio>

struct NormalModel : varia::ConstrainedModel {
  Eigen::VectorXd y;

  explicit NormalModel(Eigen::VectorXd data) : y(std::move(data)) {
    layout.real("mu");
    layout.positive("sigma");
  }

  template <class T>
  auto operator()(const T& x) const {
    auto reader = layout.reader(x);
    const auto mu = reader.scalar();
    const auto sigma = reader.scalar();
    return varia::normal_lpdf(y, mu, sigma) + varia::normal_lpdf(mu, 0.0, 10.0) +
           varia::lognormal_lpdf(sigma, 0.0, 1.0) + reader.log_jacobian();
  }
};

int main() {
  const NormalModel model(Eigen::VectorXd::LinSpaced(20, 1.0, 5.0));
  const auto result = varia::fit(model, varia::FullRankGaussian(model.dimension()), {});

  std::printf("%s after %lld iterations\n", varia::to_string(result.stop_reason).data(),
              static_cast<long long>(result.iterations));
  for (const auto& row : varia::summarize(model, result, 4000, 1)) {
    std::printf("%-6s mean %6.3f  sd %5.3f  90%% interval [%6.3f, %6.3f]\n", row.name.c_str(),
                row.mean, row.sd, row.q5, row.q95);
  }
}
