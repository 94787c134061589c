// Differentiates a Bayesian logistic regression log density with varia: at one point, and at
// 16 points at once in Monte Carlo lanes. The same model source also evaluates with doubles.
#include <varia/varia.hpp>

#include <cstdio>

#include <Eigen/Core>

struct LogisticRegression {
  Eigen::MatrixXd x;  // N x d predictors
  Eigen::VectorXd y;  // N outcomes, 0 or 1

  template <class T>
  auto operator()(const T& beta) const {
    return varia::bernoulli_logit_lpmf(y, x * beta) + varia::normal_lpdf(beta, 0.0, 1.0);
  }
};

int main() {
  const Eigen::Index rows = 200;
  const Eigen::Index dimension = 5;
  std::srand(1);
  LogisticRegression model{Eigen::MatrixXd::Random(rows, dimension), Eigen::VectorXd(rows)};
  const Eigen::VectorXd true_beta = Eigen::VectorXd::LinSpaced(dimension, -1.0, 1.0);
  const Eigen::VectorXd probability = varia::inv_logit(model.x * true_beta);
  for (Eigen::Index i = 0; i < rows; ++i) {
    model.y(i) = (Eigen::internal::random<double>(0.0, 1.0) < probability(i)) ? 1.0 : 0.0;
  }

  const Eigen::VectorXd beta = Eigen::VectorXd::Zero(dimension);
  const auto [value, gradient] = varia::value_and_gradient(model, beta);
  std::printf("log density at beta = 0: %.6f (double evaluation: %.6f)\n", value, model(beta));
  std::printf("gradient: ");
  for (Eigen::Index i = 0; i < dimension; ++i) {
    std::printf("%.4f ", gradient(i));
  }
  std::printf("\n");

  const Eigen::MatrixXd points = Eigen::MatrixXd::Random(dimension, 16) * 0.1;
  Eigen::VectorXd values;
  Eigen::MatrixXd gradients;
  varia::value_and_gradient_lanes(model, points, values, gradients);
  std::printf("16 points in lanes: log densities from %.4f to %.4f\n", values.minCoeff(),
              values.maxCoeff());
  return 0;
}
