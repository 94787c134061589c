// Affine changes of variables z = shift + scale u that make a posterior close to N(0, I) in u,
// and the rules that move a variational family between the z and u coordinates.
#pragma once

#include <cmath>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include <varia/ad/gradient.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>
#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/low_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/family/student_t_location_scale.hpp>
#include <varia/fit/options.hpp>
#include <varia/model/log_density.hpp>

namespace varia {

/// The affine map z = shift + scale u, with `scale` lower triangular with a positive diagonal,
/// or diagonal (then only scale's diagonal is stored and used).
class AffineWhitening {
 public:
  /// z = shift + lower u. Throws std::invalid_argument unless shift is finite, lower is square
  /// of matching size and finite, and its diagonal is positive. Entries above the diagonal are
  /// ignored.
  static AffineWhitening lower_triangular(Eigen::VectorXd shift, const Eigen::MatrixXd& lower) {
    constexpr const char* function = "varia::AffineWhitening::lower_triangular";
    check_shift(function, shift);
    if (lower.rows() != shift.size() || lower.cols() != shift.size()) {
      detail::fit::throw_invalid_argument(
          function, "lower's size",
          detail::fit::format_value(lower.rows()) + " x " + detail::fit::format_value(lower.cols()),
          "square of the shift's size, " + detail::fit::format_value(shift.size()));
    }
    AffineWhitening map;
    map.shift_ = std::move(shift);
    map.scale_ = lower.triangularView<Eigen::Lower>();
    map.diagonal_ = false;
    map.check_scale(function, "lower");
    return map;
  }

  /// z = shift + diag(scale) u. Throws std::invalid_argument unless shift is finite and scale has
  /// the same size with positive, finite entries.
  static AffineWhitening diagonal(Eigen::VectorXd shift, const Eigen::VectorXd& scale) {
    constexpr const char* function = "varia::AffineWhitening::diagonal";
    check_shift(function, shift);
    if (scale.size() != shift.size()) {
      detail::fit::throw_invalid_argument(
          function, "scale.size()", detail::fit::format_value(scale.size()),
          "the shift's size, " + detail::fit::format_value(shift.size()));
    }
    AffineWhitening map;
    map.shift_ = std::move(shift);
    map.scale_ = scale.asDiagonal();
    map.scale_diagonal_ = scale;
    map.diagonal_ = true;
    map.check_scale(function, "scale");
    return map;
  }

  Eigen::Index dimension() const { return shift_.size(); }
  const Eigen::VectorXd& shift() const { return shift_; }
  /// The scale as a dense lower-triangular matrix (diagonal for a diagonal map).
  const Eigen::MatrixXd& scale() const { return scale_; }
  /// The diagonal of the scale.
  const Eigen::VectorXd& scale_diagonal() const { return scale_diagonal_; }
  bool is_diagonal() const { return diagonal_; }
  /// log |det scale| = sum_i log scale_ii.
  double log_determinant() const { return log_determinant_; }

  /// Returns z = shift + scale u.
  Eigen::VectorXd to_target(const Eigen::VectorXd& u) const {
    if (diagonal_) {
      return shift_ + scale_diagonal_.cwiseProduct(u);
    }
    return shift_ + scale_.triangularView<Eigen::Lower>() * u;
  }

 private:
  AffineWhitening() = default;

  static void check_shift(const char* function, const Eigen::VectorXd& shift) {
    if (shift.size() < 1) {
      detail::fit::throw_invalid_argument(function, "shift.size()", "0", "at least 1");
    }
    for (Eigen::Index i = 0; i < shift.size(); ++i) {
      if (!std::isfinite(shift(i))) {
        detail::fit::throw_invalid_argument(function, "shift(" + std::to_string(i) + ")",
                                            detail::fit::format_value(shift(i)), "finite");
      }
    }
  }

  void check_scale(const char* function, const char* name) {
    if (!scale_.allFinite()) {
      detail::fit::throw_invalid_argument(function, name, "not finite", "finite");
    }
    scale_diagonal_ = scale_.diagonal();
    for (Eigen::Index i = 0; i < scale_diagonal_.size(); ++i) {
      if (!(scale_diagonal_(i) > 0.0)) {
        detail::fit::throw_invalid_argument(
            function, std::string(name) + " diagonal entry " + std::to_string(i),
            detail::fit::format_value(scale_diagonal_(i)), "positive");
      }
    }
    log_determinant_ = scale_diagonal_.array().log().sum();
  }

  Eigen::VectorXd shift_;
  Eigen::MatrixXd scale_;
  Eigen::VectorXd scale_diagonal_;
  bool diagonal_ = false;
  double log_determinant_ = 0.0;
};

namespace detail::fit {

/// d .* v for a data vector d (which must outlive the recording) and an autodiff vector v, as
/// one tape node.
template <int W>
ad::Vector<W> scale_elements(const Eigen::VectorXd& scale, const ad::Vector<W>& vector) {
  const double* data = scale.data();
  const Eigen::Index size = scale.size();
  ad::Vector<W> result = ad::Vector<W>::uninitialized(size);
  result.value_storage() =
      vector.value().array().colwise() * Eigen::Map<const Eigen::ArrayXd>(data, size);
  ad::tape().on_backward([data, size, vector, result] {
    vector.adjoint().array() +=
        result.adjoint().array().colwise() * Eigen::Map<const Eigen::ArrayXd>(data, size);
  });
  return result;
}

}  // namespace detail::fit

/// The target `model` in the coordinates u of an AffineWhitening z = shift + scale u:
///   log p_u(u) = log p(shift + scale u) + log |det scale|.
/// The constant log |det scale| makes the objective of q_u in u equal the objective of the
/// mapped family in z, because log q_z(z) = log q_u(u) - log |det scale|. A generic model stays
/// generic (and runs in lanes); a model with its own gradient gets gradient_u = scale^T
/// gradient_z. Keeps a pointer to `model`, which must outlive this object.
template <LogDensity M>
class WhitenedModel {
 public:
  /// Throws std::invalid_argument if the map's dimension differs from the model's.
  WhitenedModel(const M& model, AffineWhitening map) : model_(&model), map_(std::move(map)) {
    const auto model_dimension = static_cast<Eigen::Index>(model.dimension());
    if (map_.dimension() != model_dimension) {
      detail::fit::throw_invalid_argument(
          "varia::WhitenedModel", "the map's dimension",
          detail::fit::format_value(map_.dimension()),
          "the model's dimension, " + detail::fit::format_value(model_dimension));
    }
  }

  Eigen::Index dimension() const { return map_.dimension(); }
  const AffineWhitening& map() const { return map_; }

  template <class T>
  requires DifferentiableWithLanes<M, 1>
  auto operator()(const T& u) const {
    scalar_t<T> total = (*model_)(to_target(u));
    total += map_.log_determinant();
    return total;
  }

  double value_and_gradient(const Eigen::VectorXd& u,
                            Eigen::VectorXd& gradient) const requires HasValueAndGradient<M> {
    const Eigen::VectorXd z = map_.to_target(u);
    Eigen::VectorXd target_gradient(z.size());
    const double value = model_->value_and_gradient(z, target_gradient);
    gradient.resize(u.size());
    if (map_.is_diagonal()) {
      gradient = map_.scale_diagonal().cwiseProduct(target_gradient);
    } else {
      gradient.noalias() =
          map_.scale().triangularView<Eigen::Lower>().transpose() * target_gradient;
    }
    return value + map_.log_determinant();
  }

 private:
  template <class T>
  auto to_target(const T& u) const {
    if constexpr (std::is_floating_point_v<scalar_t<T>>) {
      return map_.to_target(Eigen::VectorXd(u));
    } else if (map_.is_diagonal()) {
      return map_.shift() + detail::fit::scale_elements(map_.scale_diagonal(), u);
    } else {
      return map_.shift() + map_.scale() * u;
    }
  }

  const M* model_;
  AffineWhitening map_;
};

/// Rule that moves a family between the target coordinates z and whitened coordinates u. A
/// specialization sets `supported` and `accepts_lower_triangular` (true when the family keeps
/// its type under a full lower-triangular map, false when only a diagonal map does). It gives
/// `start(family)`, the family in u with location 0 and identity scale, and
/// `to_target(fitted, map)`, the family in z whose draws are shift + scale u for draws u of
/// `fitted`.
template <class Q>
struct WhiteningRule {
  static constexpr bool supported = false;
};

namespace detail::fit {

/// Packs a location and a lower-triangular factor with a positive diagonal into the parameter
/// layout of TriangularLocationScale: [mu; per column j, log L_jj then L_ij for i > j].
inline Eigen::VectorXd pack_location_and_factor(const Eigen::VectorXd& location,
                                                const Eigen::MatrixXd& factor) {
  const Eigen::Index d = location.size();
  Eigen::VectorXd parameters(d + d * (d + 1) / 2);
  parameters.head(d) = location;
  Eigen::Index index = d;
  for (Eigen::Index j = 0; j < d; ++j) {
    parameters(index++) = std::log(factor(j, j));
    for (Eigen::Index i = j + 1; i < d; ++i) {
      parameters(index++) = factor(i, j);
    }
  }
  return parameters;
}

/// mu_z = shift + S mu_u and L_z = S L_u for the families z = mu + L eps with L lower
/// triangular: S L_u is lower triangular with a positive diagonal when S is.
template <class Q>
Q triangular_to_target(const Q& fitted, const AffineWhitening& map) {
  const Eigen::MatrixXd& scale = map.scale();
  const Eigen::VectorXd location = map.to_target(fitted.location());
  const Eigen::MatrixXd factor = scale.triangularView<Eigen::Lower>() * fitted.scale_factor();
  Q mapped = fitted;
  mapped.set_parameters(pack_location_and_factor(location, factor));
  return mapped;
}

}  // namespace detail::fit

template <>
struct WhiteningRule<FullRankGaussian> {
  static constexpr bool supported = true;
  static constexpr bool accepts_lower_triangular = true;
  static FullRankGaussian start(const FullRankGaussian& family) {
    return FullRankGaussian(family.dimension());
  }
  static FullRankGaussian to_target(const FullRankGaussian& fitted, const AffineWhitening& map) {
    return detail::fit::triangular_to_target(fitted, map);
  }
};

template <>
struct WhiteningRule<StudentTLocationScale> {
  static constexpr bool supported = true;
  static constexpr bool accepts_lower_triangular = true;
  static StudentTLocationScale start(const StudentTLocationScale& family) {
    return StudentTLocationScale(family.dimension(), family.degrees_of_freedom());
  }
  static StudentTLocationScale to_target(const StudentTLocationScale& fitted,
                                         const AffineWhitening& map) {
    return detail::fit::triangular_to_target(fitted, map);
  }
};

/// mu_z = shift + D mu_u and sigma_z = D sigma_u for a diagonal map D.
template <>
struct WhiteningRule<MeanFieldGaussian> {
  static constexpr bool supported = true;
  static constexpr bool accepts_lower_triangular = false;
  static MeanFieldGaussian start(const MeanFieldGaussian& family) {
    return MeanFieldGaussian(family.dimension());
  }
  static MeanFieldGaussian to_target(const MeanFieldGaussian& fitted, const AffineWhitening& map) {
    const Eigen::Index d = fitted.dimension();
    Eigen::VectorXd parameters = fitted.parameters();
    parameters.head(d) = map.to_target(fitted.mean());
    parameters.tail(d) += map.scale_diagonal().array().log().matrix();
    MeanFieldGaussian mapped = fitted;
    mapped.set_parameters(parameters);
    return mapped;
  }
};

/// mu_z = shift + D mu_u, B_z = D B_u and sigma_z = D sigma_u for a diagonal map D, so
/// Sigma_z = D Sigma_u D.
template <>
struct WhiteningRule<LowRankGaussian> {
  static constexpr bool supported = true;
  static constexpr bool accepts_lower_triangular = false;
  static LowRankGaussian start(const LowRankGaussian& family) {
    return LowRankGaussian(family.dimension(), family.rank());
  }
  static LowRankGaussian to_target(const LowRankGaussian& fitted, const AffineWhitening& map) {
    const Eigen::Index d = fitted.dimension();
    const Eigen::Index r = fitted.rank();
    Eigen::VectorXd parameters(fitted.parameter_count());
    parameters.head(d) = map.to_target(fitted.mean());
    Eigen::Map<Eigen::MatrixXd>(parameters.data() + d, d, r) =
        map.scale_diagonal().asDiagonal() * fitted.factor();
    parameters.tail(d) = fitted.parameters().tail(d) + map.scale_diagonal().array().log().matrix();
    LowRankGaussian mapped = fitted;
    mapped.set_parameters(parameters);
    return mapped;
  }
};

}  // namespace varia
