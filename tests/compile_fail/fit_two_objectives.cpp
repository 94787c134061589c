// varia::fit takes at most one objective, and the error says so.
// expected-error: more than one objective was passed, but a fit takes at most one
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/fit.hpp>
#include <varia/math/reductions.hpp>
#include <varia/model/log_density.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/iwae.hpp>

int main() {
  const auto model =
      varia::make_log_density(2, [](const auto& x) { return -0.5 * varia::squared_norm(x); });
  const varia::FitOptions options;
#ifdef VARIA_COMPILE_FAIL_CONTROL
  const auto result = varia::fit(model, varia::MeanFieldGaussian(2), options, varia::Iwae(2));
#else
  const auto result =
      varia::fit(model, varia::MeanFieldGaussian(2), options, varia::Elbo(), varia::Iwae(2));
#endif
  return static_cast<int>(result.iterations);
}
