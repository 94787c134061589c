// The score-function estimator serves the ELBO only, and the error names the fix.
// expected-error: varia::ScoreFunction estimates the gradient of the ELBO only
#include <varia/estimator/score_function.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/fit.hpp>
#include <varia/math/reductions.hpp>
#include <varia/model/log_density.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/renyi.hpp>

int main() {
  const auto model =
      varia::make_log_density(2, [](const auto& x) { return -0.5 * varia::squared_norm(x); });
  const varia::FitOptions options;
#ifdef VARIA_COMPILE_FAIL_CONTROL
  const varia::Elbo objective;
#else
  const varia::Renyi objective(0.5);
#endif
  const auto result =
      varia::fit(model, varia::MeanFieldGaussian(2), options, objective, varia::ScoreFunction());
  return static_cast<int>(result.iterations);
}
