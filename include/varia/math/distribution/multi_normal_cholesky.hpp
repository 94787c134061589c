// The multivariate normal log density with a Cholesky factor of the covariance, as one fused
// node with analytic partials.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>
#include <varia/math/operands.hpp>

namespace varia {

/// A vector argument of multi_normal_cholesky_lpdf: an Eigen vector of data or an autodiff
/// vector.
template <class T>
concept MultiNormalArgument = ad::VectorExpression<T> || ad::EigenDense<T>;

namespace detail {

/// Throws std::invalid_argument unless L is square and `argument` has L's order as its size.
template <class T>
void check_order(const char* function, const char* name, const T& argument, Eigen::Index order) {
  if (argument.size() != order) {
    throw std::invalid_argument(std::string(function) + ": " + name + " has size " +
                                std::to_string(argument.size()) + ", but must have size " +
                                std::to_string(order) + ", the order of L");
  }
}

/// Checks the lower triangle of a Cholesky factor (finite entries, positive diagonal) and
/// returns log det(L L^T) / 2 = sum_i log L_ii.
template <class Derived>
double checked_half_log_determinant(const char* function, const Eigen::MatrixBase<Derived>& L) {
  auto fail = [&](Eigen::Index i, Eigen::Index j, const char* requirement) {
    throw std::domain_error(std::string(function) + ": L(" + std::to_string(i) + ", " +
                            std::to_string(j) + ") is " + std::to_string(L(i, j)) +
                            ", but must be " + requirement);
  };
  double total = 0.0;
  for (Eigen::Index j = 0; j < L.cols(); ++j) {
    if (!(L(j, j) > 0.0 && std::isfinite(L(j, j)))) {
      fail(j, j, "positive and finite, because it is on the diagonal of a Cholesky factor");
    }
    total += std::log(L(j, j));
    for (Eigen::Index i = j + 1; i < L.rows(); ++i) {
      if (!std::isfinite(L(i, j))) {
        fail(i, j, "finite");
      }
    }
  }
  return total;
}

}  // namespace detail

/// log MultiNormal(y | mu, L L^T) = -(1/2) |L^-1 (y - mu)|^2 - sum_i log L_ii - k log(2 pi) / 2
/// for k-vectors y and mu and a lower-triangular Cholesky factor L (k x k data; its upper
/// triangle is not read). y and mu are Eigen vectors of data or autodiff vectors. Returns a
/// double when neither is autodiff, else an autodiff scalar (one tape node). With W lanes the
/// forward pass is one triangular solve with a k x W right-hand side. The backward pass is one
/// more, and gives the partial -L^-T L^-1 (y - mu) for y and its negative for mu.
/// For autodiff arguments L must be a column-major matrix of doubles (or a map or block of one)
/// that outlives the gradient recording, because the tape node keeps a pointer to it.
/// Throws std::invalid_argument when L is not square or y or mu does not have L's order as its
/// size, and std::domain_error when data y is NaN, data mu is not finite, an entry of L's lower
/// triangle is not finite or a diagonal entry of L is not positive.
template <MultiNormalArgument Y, MultiNormalArgument M, class Derived>
auto multi_normal_cholesky_lpdf(const Y& y, const M& mu, const Eigen::MatrixBase<Derived>& L) {
  constexpr const char* function = "varia::multi_normal_cholesky_lpdf";
  if (L.rows() != L.cols()) {
    throw std::invalid_argument(std::string(function) + ": L is " + std::to_string(L.rows()) +
                                " x " + std::to_string(L.cols()) + ", but must be square");
  }
  const Eigen::Index k = L.rows();
  detail::check_order(function, "y", y, k);
  detail::check_order(function, "mu", mu, k);
  detail::check_data(function, "y", y, "not NaN", [](double v) { return !std::isnan(v); });
  detail::check_data(function, "mu", mu, "finite", [](double v) { return std::isfinite(v); });
  const double normalizing_constant = detail::checked_half_log_determinant(function, L) +
                                      static_cast<double>(k) * 0.91893853320467274178;

  if constexpr (!detail::any_autodiff<Y, M>()) {
    // The residual is solved in a buffer per thread, which allocates only when k grows.
    thread_local Eigen::VectorXd buffer;
    if (buffer.size() < k) {
      buffer.resize(k);
    }
    auto z = buffer.head(k);
    z = y.derived().template cast<double>().matrix() -
        mu.derived().template cast<double>().matrix();
    // Ref binds a column-major matrix, map or block without a copy, and evaluates other
    // expressions into a temporary.
    const Eigen::Ref<const Eigen::MatrixXd> factor(L);
    factor.triangularView<Eigen::Lower>().solveInPlace(z);
    return -0.5 * z.squaredNorm() - normalizing_constant;
  } else {
    static_assert(
        (Derived::Flags & Eigen::DirectAccessBit) && !(Derived::Flags & Eigen::RowMajorBit) &&
            std::is_same_v<typename Derived::Scalar, double>,
        "varia::multi_normal_cholesky_lpdf: with autodiff arguments, L must be a column-major "
        "Eigen matrix of doubles, or a map or block of one, that outlives the recording");
    constexpr int W = detail::lanes_of_all<Y, M>();
    using Block = ad::LaneBlock<W>;
    const detail::Operand<W, Y> y_operand(y, k);
    const detail::Operand<W, M> mu_operand(mu, k);
    const ad::detail::MatrixView factor = ad::detail::view_of(L);

    // z = L^-1 (y - mu), one column per lane, solved for all lanes at once.
    ad::Tape& t = ad::tape();
    double* z_data = t.uninitialized(static_cast<std::size_t>(k * W));
    Eigen::Map<Eigen::ArrayXd>(z_data, k * W) = y_operand.flat() - mu_operand.flat();
    Eigen::Map<Block> z(z_data, k, W);
    factor.map().template triangularView<Eigen::Lower>().solveInPlace(z);

    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = -0.5 * z.colwise().squaredNorm().transpose().array() - normalizing_constant;
    t.on_backward([=] {
      // The partial for mu is L^-T z, scaled per lane by the output's adjoint.
      const Eigen::Map<const Eigen::Array<double, 1, W>> g(result_adjoint);
      double* partial_data = ad::tape().uninitialized(static_cast<std::size_t>(k * W));
      Eigen::Map<Block> partial(partial_data, k, W);
      partial.array() = Eigen::Map<const Block>(z_data, k, W).array().rowwise() * g;
      factor.map().transpose().template triangularView<Eigen::Upper>().solveInPlace(partial);
      const Eigen::Map<const Eigen::ArrayXd> partial_flat(partial_data, k * W);
      if constexpr (decltype(y_operand)::is_autodiff) {
        y_operand.add_adjoint(-partial_flat);
      }
      if constexpr (decltype(mu_operand)::is_autodiff) {
        mu_operand.add_adjoint(partial_flat);
      }
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
