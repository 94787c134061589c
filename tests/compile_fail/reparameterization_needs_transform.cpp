// The reparameterization estimator needs a family that differentiates its transform, and the
// error says which members are missing.
// expected-error: varia::Reparameterization needs a ReparameterizableFamily
#include <cstdint>
#include <string_view>

#include <Eigen/Core>

#include <varia/estimator/reparameterization.hpp>
#include <varia/estimator/score_function.hpp>
#include <varia/family/family.hpp>
#include <varia/fit.hpp>
#include <varia/math/reductions.hpp>
#include <varia/model/log_density.hpp>
#include <varia/random/counter_rng.hpp>

// A family with a score but no transform adjoint: a standard normal with a fixed location.
struct ScoreOnlyFamily {
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(2);
  Eigen::Index dimension() const { return 2; }
  Eigen::Index base_dimension() const { return 2; }
  Eigen::Index parameter_count() const { return 2; }
  const Eigen::VectorXd& parameters() const { return lambda; }
  void set_parameters(const Eigen::VectorXd& value) { lambda = value; }
  void draw_base(const varia::CounterRng& rng, std::uint32_t iteration,
                 Eigen::MatrixXd& base) const {
    rng.fill_normal(iteration, 0, base);
  }
  void transform(const Eigen::MatrixXd& eps, Eigen::MatrixXd& z) const {
    z = eps.colwise() + lambda;
  }
  void log_density(const Eigen::MatrixXd& z, Eigen::VectorXd& out) const {
    out = -0.5 * (z.colwise() - lambda).colwise().squaredNorm().transpose();
  }
  Eigen::VectorXd mean() const { return lambda; }
  std::string_view name() const { return "score-only"; }
  void score(const Eigen::MatrixXd& z, Eigen::MatrixXd& out) const { out = z.colwise() - lambda; }
};

static_assert(varia::ScoreFamily<ScoreOnlyFamily>);

int main() {
  const auto model =
      varia::make_log_density(2, [](const auto& x) { return -0.5 * varia::squared_norm(x); });
  const varia::FitOptions options;
#ifdef VARIA_COMPILE_FAIL_CONTROL
  const varia::ScoreFunction estimator;
#else
  const varia::Reparameterization estimator;
#endif
  const auto result = varia::fit(model, ScoreOnlyFamily(), options, estimator);
  return static_cast<int>(result.iterations);
}
