// Fits the eight schools model (non-centered) with mean-field and full-rank Gaussian
// approximations and prints a summary of the constrained parameters and the PSIS diagnostic.
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/fit.hpp>
#include <varia/varia.hpp>

// The eight schools data: estimated coaching effects y_j with standard errors
// sigma_j. Model: mu ~ N(0, 5), tau ~ half-Cauchy(0, 5), theta_tilde_j ~ N(0, 1),
// y_j ~ N(mu + tau theta_tilde_j, sigma_j). The unconstrained point is
// x = (mu, log tau, theta_tilde_1..8), so the log density includes the Jacobian log tau.
struct EightSchools {
  Eigen::VectorXd y = (Eigen::VectorXd(8) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
  Eigen::VectorXd sigma = (Eigen::VectorXd(8) << 15, 10, 16, 11, 9, 11, 10, 18).finished();

  Eigen::Index dimension() const { return 10; }

  template <class T>
  auto operator()(const T& x) const {
    using Real = std::remove_cvref_t<decltype(x(0))>;
    const Real mu = x(0);
    const Real log_tau = x(1);
    const Real tau = varia::exp(log_tau);
    const auto theta_tilde = x.tail(8);
    // log(2 / (5 pi)) - log(1 + tau^2 / 25) is the half-Cauchy(0, 5) log density. The
    // likelihood is written as N(y - tau theta_tilde | mu, sigma), the same density.
    return varia::normal_lpdf(mu, 0.0, 5.0) +
           (-2.061020617723555 - varia::log(1.0 + tau * tau / 25.0) + log_tau) +
           varia::normal_lpdf(theta_tilde, 0.0, 1.0) +
           varia::normal_lpdf(y - tau * theta_tilde, mu, sigma);
  }

  std::vector<std::string> parameter_names() const {
    std::vector<std::string> names{"mu", "tau"};
    for (int j = 1; j <= 8; ++j) {
      names.push_back("theta[" + std::to_string(j) + "]");
    }
    return names;
  }

  // (mu, tau, theta_j = mu + tau theta_tilde_j).
  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const {
    Eigen::VectorXd out(10);
    const double tau = std::exp(x(1));
    out(0) = x(0);
    out(1) = tau;
    out.tail(8) = (x(0) + tau * x.tail(8).array()).matrix();
    return out;
  }
};

template <class Q>
void report(const EightSchools& model, const Q& family) {
  varia::FitOptions options;
  options.seed = 2024;
  const auto result = varia::fit(model, family, options);
  std::printf("\n%s: %s after %lld iterations, %lld gradient evaluations, %.3f s\n",
              std::string(result.family.name()).c_str(),
              std::string(varia::to_string(result.stop_reason)).c_str(),
              static_cast<long long>(result.iterations),
              static_cast<long long>(result.gradient_evaluations), result.wall_seconds);
  std::printf("%-10s %9s %9s %9s %9s %9s\n", "parameter", "mean", "sd", "5%", "50%", "95%");
  for (const auto& row : varia::summarize(model, result, 4000, 1)) {
    std::printf("%-10s %9.3f %9.3f %9.3f %9.3f %9.3f\n", row.name.c_str(), row.mean, row.sd, row.q5,
                row.q50, row.q95);
  }
  const varia::PsisDiagnostic check = varia::psis_diagnostic(model, result, 4000, 7);
  std::printf("PSIS k-hat %.2f (%s below %.2f), importance-sampling ESS %.0f of 4000\n",
              check.k_hat, check.reliable ? "reliable:" : "not reliable: not",
              check.k_hat_threshold, check.effective_sample_size);
}

int main() {
  const EightSchools model;
  report(model, varia::MeanFieldGaussian(10));
  report(model, varia::FullRankGaussian(10));
  return 0;
}
