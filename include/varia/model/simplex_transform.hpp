// The stick-breaking transform from R^(K-1) onto the unit K-simplex.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/math/logistic.hpp>
#include <varia/model/transform_base.hpp>

namespace varia::transform {

/// Maps x in R^(K-1) onto the unit K-simplex {y : y_k > 0, sum_k y_k = 1} by stick-breaking, as
/// in the Stan Reference Manual, "Constraint Transforms", section "Unit simplex" (version 2.26).
/// Newer Stan Math releases use an isometric log-ratio transform instead, so unconstrained
/// values do not carry over between the two. With 1-based k < K,
///   u_k = x_k - log(K - k),  z_k = inv_logit(u_k),  y_k = s_k z_k,  s_(k+1) = s_k (1 - z_k),
/// s_1 = 1 and y_K = s_K. The offset log(K - k) maps x = 0 to the uniform simplex. The
/// log-Jacobian of x -> (y_1, ..., y_(K-1)) is sum_k [log z_k + log(1 - z_k) + log s_k]. All of
/// it is computed in log space with log_sigmoid, so extreme x give no log(0).
class Simplex : public TransformBase<Simplex> {
 public:
  static constexpr bool elementwise = false;

  /// Throws std::invalid_argument unless size >= 2.
  explicit Simplex(Eigen::Index size) : size_(size) {
    if (size < 2) {
      throw std::invalid_argument("varia::transform::Simplex: size is " + std::to_string(size) +
                                  ", expected at least 2");
    }
  }

  /// K, the number of constrained values.
  Eigen::Index size() const { return size_; }

  /// K; throws std::invalid_argument unless unconstrained_size is K - 1.
  Eigen::Index constrained_size(Eigen::Index unconstrained_size) const {
    if (unconstrained_size != size_ - 1) {
      throw std::invalid_argument("varia::transform::Simplex: the unconstrained vector has " +
                                  std::to_string(unconstrained_size) + " elements, but a simplex " +
                                  "of size " + std::to_string(size_) + " needs " +
                                  std::to_string(size_ - 1));
    }
    return size_;
  }

  template <int W>
  void forward(const detail::ConstBlockMap<W>& x, detail::BlockMap<W> y,
               ad::Lanes<W>& log_jacobian) const {
    ad::Lanes<W> log_stick = ad::Lanes<W>::Zero();
    log_jacobian.setZero();
    for (Eigen::Index k = 0; k + 1 < size_; ++k) {
      const ad::Lanes<W> u = detail::lanes_of_row(x, k) - offset(k);
      const ad::Lanes<W> log_z = varia::detail::LogSigmoidRule::value(u);
      const ad::Lanes<W> log_one_minus_z = varia::detail::LogSigmoidRule::value(-u);
      y.row(k) = (log_stick + log_z).exp().matrix().transpose();
      log_jacobian += log_stick + log_z + log_one_minus_z;
      log_stick += log_one_minus_z;
    }
    y.row(size_ - 1) = log_stick.exp().matrix().transpose();
  }

  // The stick lengths s_k are the tail sums of y, rebuilt in the reverse pass. The value part
  // runs the recursion backwards; the log-Jacobian's derivative by u_k is
  // 1 - 2 z_k - (K - 1 - k) z_k (1-based k), because log s_j contains log(1 - z_k) for each j > k.
  template <int W>
  void backward(const detail::ConstBlockMap<W>& x, const detail::ConstBlockMap<W>& y,
                const detail::BlockMap<W>& y_adjoint, const ad::Lanes<W>& log_jacobian_adjoint,
                detail::BlockMap<W> x_adjoint) const {
    ad::Lanes<W> stick = detail::lanes_of_row(y, size_ - 1);
    ad::Lanes<W> stick_adjoint = detail::lanes_of_row(y_adjoint, size_ - 1);
    for (Eigen::Index k = size_ - 2; k >= 0; --k) {
      const ad::Lanes<W> u = detail::lanes_of_row(x, k) - offset(k);
      const ad::Lanes<W> z = varia::detail::InvLogitRule::value(u);
      const ad::Lanes<W> one_minus_z = varia::detail::InvLogitRule::value(-u);
      const ad::Lanes<W> y_k_adjoint = detail::lanes_of_row(y_adjoint, k);
      stick += detail::lanes_of_row(y, k);  // now s_k
      const ad::Lanes<W> z_adjoint = stick * (y_k_adjoint - stick_adjoint);
      const auto later = static_cast<double>(size_ - 2 - k);
      const ad::Lanes<W> u_adjoint =
          z_adjoint * z * one_minus_z + log_jacobian_adjoint * (one_minus_z - z - later * z);
      x_adjoint.row(k) += u_adjoint.matrix().transpose();
      stick_adjoint = y_k_adjoint * z + stick_adjoint * one_minus_z;
    }
  }

  /// Returns the x with constrain(x) = y. Throws std::invalid_argument unless y has K elements,
  /// and std::domain_error unless every element is positive and they sum to 1 within 1e-8.
  Eigen::VectorXd unconstrain(const Eigen::VectorXd& y, std::string_view name = "y") const {
    if (y.size() != size_) {
      throw std::invalid_argument("varia::transform::Simplex::unconstrain: " + std::string(name) +
                                  " has " + std::to_string(y.size()) + " elements, expected " +
                                  std::to_string(size_));
    }
    for (Eigen::Index k = 0; k < size_; ++k) {
      if (!(y(k) > 0.0)) {
        detail::throw_outside_support("varia::transform::Simplex::unconstrain",
                                      detail::element_name(name, k, false), y(k), "positive");
      }
    }
    const double total = y.sum();
    if (!(std::abs(total - 1.0) <= 1e-8)) {
      detail::throw_outside_support("varia::transform::Simplex::unconstrain",
                                    "the sum of " + std::string(name), total,
                                    "1 (within 1e-8) for a simplex");
    }
    // logit(z_k) = log(y_k) - log(s_(k+1)), with the stick lengths s as tail sums of y.
    Eigen::VectorXd x(size_ - 1);
    double tail = y(size_ - 1);
    for (Eigen::Index k = size_ - 2; k >= 0; --k) {
      x(k) = std::log(y(k)) - std::log(tail) + offset(k);
      tail += y(k);
    }
    return x;
  }

 private:
  /// log(K - k) for 1-based k, that is log(K - 1 - k) for the 0-based k used here.
  double offset(Eigen::Index k) const { return std::log(static_cast<double>(size_ - 1 - k)); }

  Eigen::Index size_;
};

}  // namespace varia::transform
