// The transform from R^K onto strictly increasing vectors.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/model/transform_base.hpp>

namespace varia::transform {

/// Maps x in R^K onto strictly increasing vectors, as in the Stan Reference Manual, "Constraint
/// Transforms", section "Ordered vector": y_1 = x_1 and y_k = y_(k-1) + exp(x_k) for k > 1. The
/// Jacobian is triangular, so log|det J| = x_2 + ... + x_K.
class Ordered : public TransformBase<Ordered> {
 public:
  static constexpr bool elementwise = false;

  /// Throws std::invalid_argument unless size >= 1.
  explicit Ordered(Eigen::Index size) : size_(size) {
    if (size < 1) {
      throw std::invalid_argument("varia::transform::Ordered: size is " + std::to_string(size) +
                                  ", expected at least 1");
    }
  }

  /// K, the number of values.
  Eigen::Index size() const { return size_; }

  /// K; throws std::invalid_argument unless unconstrained_size is K.
  Eigen::Index constrained_size(Eigen::Index unconstrained_size) const {
    if (unconstrained_size != size_) {
      throw std::invalid_argument("varia::transform::Ordered: the unconstrained vector has " +
                                  std::to_string(unconstrained_size) +
                                  " elements, but an ordered vector of size " +
                                  std::to_string(size_) + " needs " + std::to_string(size_));
    }
    return size_;
  }

  template <int W>
  void forward(const detail::ConstBlockMap<W>& x, detail::BlockMap<W> y,
               ad::Lanes<W>& log_jacobian) const {
    y.row(0) = x.row(0);
    log_jacobian.setZero();
    for (Eigen::Index k = 1; k < size_; ++k) {
      y.row(k) = y.row(k - 1) + x.row(k).array().exp().matrix();
      log_jacobian += detail::lanes_of_row(x, k);
    }
  }

  // dy_j / dx_k = exp(x_k) for j >= k > 1, and 1 for k = 1: the adjoint of x_k is the tail sum of
  // y's adjoints from k on, times exp(x_k) for k > 1.
  template <int W>
  void backward(const detail::ConstBlockMap<W>& x, const detail::ConstBlockMap<W>&,
                const detail::BlockMap<W>& y_adjoint, const ad::Lanes<W>& log_jacobian_adjoint,
                detail::BlockMap<W> x_adjoint) const {
    ad::Lanes<W> tail = ad::Lanes<W>::Zero();
    for (Eigen::Index k = size_ - 1; k >= 1; --k) {
      tail += detail::lanes_of_row(y_adjoint, k);
      const ad::Lanes<W> adjoint = tail * detail::lanes_of_row(x, k).exp() + log_jacobian_adjoint;
      x_adjoint.row(k) += adjoint.matrix().transpose();
    }
    tail += detail::lanes_of_row(y_adjoint, 0);
    x_adjoint.row(0) += tail.matrix().transpose();
  }

  /// Returns the x with constrain(x) = y. Throws std::invalid_argument unless y has K elements,
  /// and std::domain_error unless y is finite and strictly increasing.
  Eigen::VectorXd unconstrain(const Eigen::VectorXd& y, std::string_view name = "y") const {
    if (y.size() != size_) {
      throw std::invalid_argument("varia::transform::Ordered::unconstrain: " + std::string(name) +
                                  " has " + std::to_string(y.size()) + " elements, expected " +
                                  std::to_string(size_));
    }
    if (!std::isfinite(y(0))) {
      detail::throw_outside_support("varia::transform::Ordered::unconstrain",
                                    detail::element_name(name, 0, false), y(0), "finite");
    }
    Eigen::VectorXd x(size_);
    x(0) = y(0);
    for (Eigen::Index k = 1; k < size_; ++k) {
      if (!(y(k) > y(k - 1) && std::isfinite(y(k)))) {
        detail::throw_outside_support(
            "varia::transform::Ordered::unconstrain", detail::element_name(name, k, false), y(k),
            "finite and greater than the element before it, " + detail::format_number(y(k - 1)));
      }
      x(k) = std::log(y(k) - y(k - 1));
    }
    return x;
  }

 private:
  Eigen::Index size_;
};

}  // namespace varia::transform
