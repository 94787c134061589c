// ParameterLayout: a model declares its named, constrained parameters once. The layout maps
// between the unconstrained vector a fit works in and the constrained values, and a reader gives
// the constrained values to the model's log density together with the log-Jacobian of the map.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <varia/ad/expression.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/vector.hpp>
#include <varia/model/transforms.hpp>

namespace varia {

/// The constraint of a declared parameter.
enum class ParameterConstraint {
  real,
  positive,
  lower_bounded,
  upper_bounded,
  bounded,
  simplex,
  ordered,
  cholesky_factor_corr
};

/// One declared parameter and where it sits in the unconstrained and constrained vectors.
struct ParameterDeclaration {
  std::string name;
  ParameterConstraint constraint = ParameterConstraint::real;
  /// True when declared without a size; the reader then gives it through scalar().
  bool scalar = true;
  /// The declared size: n for a vector of n, K for a simplex, an ordered vector or a K x K
  /// Cholesky factor.
  Eigen::Index size = 1;
  double lower = 0.0;
  double upper = 0.0;
  Eigen::Index unconstrained_offset = 0;
  Eigen::Index unconstrained_size = 0;
  /// Position and number of the parameter's values in constrain()'s result and in
  /// parameter_names(); a K x K Cholesky factor has K * K values there, zeros included.
  Eigen::Index constrained_offset = 0;
  Eigen::Index constrained_size = 0;
};

template <class T>
class ParameterReader;

/// The named parameters of a model, declared once in order:
///
///     layout.real("mu");                    // a scalar
///     layout.positive("tau");               // a scalar > 0
///     layout.real("theta_tilde", 8);        // a vector of 8
///     layout.bounded("rho", -1.0, 1.0, 3);  // a vector of 3 in (-1, 1)
///     layout.simplex("theta", 3);           // 3 values from 2 unconstrained ones
///
/// Constrained names are 1-based like Stan's and posteriordb's: "mu", "theta_tilde[1]", ...,
/// and "L[2,1]" for matrices, whose entries are listed in column-major order. Each declaring
/// function returns the layout, so calls can be chained, and throws std::invalid_argument for
/// an empty or repeated name, a size below the minimum, or invalid bounds.
class ParameterLayout {
 public:
  /// Declares an unconstrained scalar.
  ParameterLayout& real(const std::string& name) { return add(name, ParameterConstraint::real); }
  /// Declares an unconstrained vector of `size` values.
  ParameterLayout& real(const std::string& name, Eigen::Index size) {
    return add(name, ParameterConstraint::real, size);
  }

  /// Declares a scalar in (0, inf), mapped through exp.
  ParameterLayout& positive(const std::string& name) {
    return add(name, ParameterConstraint::positive);
  }
  /// Declares a vector of `size` values in (0, inf).
  ParameterLayout& positive(const std::string& name, Eigen::Index size) {
    return add(name, ParameterConstraint::positive, size);
  }

  /// Declares a scalar in (lower, inf), mapped through lower + exp.
  ParameterLayout& lower_bounded(const std::string& name, double lower) {
    return add(name, ParameterConstraint::lower_bounded, std::nullopt, lower);
  }
  /// Declares a vector of `size` values in (lower, inf).
  ParameterLayout& lower_bounded(const std::string& name, double lower, Eigen::Index size) {
    return add(name, ParameterConstraint::lower_bounded, size, lower);
  }

  /// Declares a scalar in (-inf, upper), mapped through upper - exp.
  ParameterLayout& upper_bounded(const std::string& name, double upper) {
    return add(name, ParameterConstraint::upper_bounded, std::nullopt, 0.0, upper);
  }
  /// Declares a vector of `size` values in (-inf, upper).
  ParameterLayout& upper_bounded(const std::string& name, double upper, Eigen::Index size) {
    return add(name, ParameterConstraint::upper_bounded, size, 0.0, upper);
  }

  /// Declares a scalar in (lower, upper), mapped through the scaled inverse logit.
  ParameterLayout& bounded(const std::string& name, double lower, double upper) {
    return add(name, ParameterConstraint::bounded, std::nullopt, lower, upper);
  }
  /// Declares a vector of `size` values in (lower, upper).
  ParameterLayout& bounded(const std::string& name, double lower, double upper, Eigen::Index size) {
    return add(name, ParameterConstraint::bounded, size, lower, upper);
  }

  /// Declares a unit simplex of `size` >= 2 values, from size - 1 unconstrained ones.
  ParameterLayout& simplex(const std::string& name, Eigen::Index size) {
    return add(name, ParameterConstraint::simplex, size);
  }

  /// Declares a strictly increasing vector of `size` values.
  ParameterLayout& ordered(const std::string& name, Eigen::Index size) {
    return add(name, ParameterConstraint::ordered, size);
  }

  /// Declares the Cholesky factor of a `size` x `size` correlation matrix (size >= 2), from
  /// size (size - 1) / 2 unconstrained values. The reader gives it as a flat vector: the lower
  /// triangle with the diagonal, column-major (transform::CholeskyFactorCorr::index maps
  /// (i, j) to its position); constrain() gives all size * size entries, column-major.
  ParameterLayout& cholesky_factor_corr(const std::string& name, Eigen::Index size) {
    return add(name, ParameterConstraint::cholesky_factor_corr, size);
  }

  /// The size of the unconstrained vector: the dimension of the log density.
  Eigen::Index unconstrained_dimension() const { return unconstrained_dimension_; }

  /// The number of constrained values: the size of constrain()'s result.
  Eigen::Index constrained_dimension() const { return constrained_dimension_; }

  /// The declared parameters, in declaration order.
  const std::vector<ParameterDeclaration>& declarations() const { return declarations_; }

  /// The names of the constrained values, in the order of constrain()'s result.
  std::vector<std::string> parameter_names() const;

  /// Maps an unconstrained vector to the constrained values, in the order of parameter_names().
  /// Throws std::invalid_argument unless x has unconstrained_dimension() elements.
  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const;

  /// Maps constrained values (in the order of parameter_names()) to the unconstrained vector.
  /// Throws std::invalid_argument unless y has constrained_dimension() elements, and
  /// std::domain_error, naming the parameter, when a value is outside its support.
  Eigen::VectorXd unconstrain(const Eigen::VectorXd& y) const;

  /// A reader of the constrained parameters at x, an Eigen vector of doubles or an autodiff
  /// vector; the layout and x must outlive it. Throws std::invalid_argument unless x has
  /// unconstrained_dimension() elements.
  template <class T>
  ParameterReader<T> reader(const T& x) const {
    return ParameterReader<T>(*this, x);
  }

 private:
  ParameterLayout& add(const std::string& name, ParameterConstraint constraint,
                       std::optional<Eigen::Index> size = std::nullopt, double lower = 0.0,
                       double upper = 0.0);

  std::vector<ParameterDeclaration> declarations_;
  Eigen::Index unconstrained_dimension_ = 0;
  Eigen::Index constrained_dimension_ = 0;
};

namespace detail {

inline const char* constraint_name(ParameterConstraint constraint) {
  switch (constraint) {
    case ParameterConstraint::real:
      return "real";
    case ParameterConstraint::positive:
      return "positive";
    case ParameterConstraint::lower_bounded:
      return "lower_bounded";
    case ParameterConstraint::upper_bounded:
      return "upper_bounded";
    case ParameterConstraint::bounded:
      return "bounded";
    case ParameterConstraint::simplex:
      return "simplex";
    case ParameterConstraint::ordered:
      return "ordered";
    case ParameterConstraint::cholesky_factor_corr:
      return "cholesky_factor_corr";
  }
  return "unknown";
}

/// Calls `function(transform)` with the transform of an elementwise declaration, or
/// `function(std::nullopt)` for an unconstrained one.
template <class F>
decltype(auto) visit_elementwise(const ParameterDeclaration& declaration, F&& function) {
  switch (declaration.constraint) {
    case ParameterConstraint::positive:
      return function(transform::Positive{});
    case ParameterConstraint::lower_bounded:
      return function(transform::LowerBounded(declaration.lower));
    case ParameterConstraint::upper_bounded:
      return function(transform::UpperBounded(declaration.upper));
    case ParameterConstraint::bounded:
      return function(transform::Bounded(declaration.lower, declaration.upper));
    default:
      return function(std::nullopt);
  }
}

/// Calls `function(transform)` with the transform of any declaration, or
/// `function(std::nullopt)` for an unconstrained one.
template <class F>
decltype(auto) visit_transform(const ParameterDeclaration& declaration, F&& function) {
  switch (declaration.constraint) {
    case ParameterConstraint::simplex:
      return function(transform::Simplex(declaration.size));
    case ParameterConstraint::ordered:
      return function(transform::Ordered(declaration.size));
    case ParameterConstraint::cholesky_factor_corr:
      return function(transform::CholeskyFactorCorr(declaration.size));
    default:
      return visit_elementwise(declaration, std::forward<F>(function));
  }
}

}  // namespace detail

/// Gives a model's log density the constrained parameters at an unconstrained point x, in
/// declaration order, and accumulates the log-Jacobian of the transforms:
///
///     template <class T> auto operator()(const T& x) const {
///       auto reader = layout.reader(x);
///       auto mu = reader.scalar();
///       auto theta = reader.vector();
///       ... log density in mu and theta ...
///       return lp + reader.log_jacobian();
///     }
///
/// With doubles, scalar() returns a double and vector() an Eigen::VectorXd; with an autodiff
/// vector x, scalar() returns an ad::Scalar (a tape variable, safe to use several times) and
/// vector() an ad::Vector, each transform one tape node for the whole parameter.
template <class T>
class ParameterReader {
  static constexpr bool is_autodiff = ad::VectorExpression<T>;
  using Input =
      std::conditional_t<is_autodiff, std::remove_cvref_t<T>, Eigen::Ref<const Eigen::VectorXd>>;

 public:
  using Scalar = scalar_t<T>;
  using Vector = std::conditional_t<is_autodiff, std::remove_cvref_t<T>, Eigen::VectorXd>;

  /// Throws std::invalid_argument unless x has layout.unconstrained_dimension() elements.
  ParameterReader(const ParameterLayout& layout, const T& x) : layout_(&layout), x_(input(x)) {
    if (x_.size() != layout.unconstrained_dimension()) {
      throw std::invalid_argument("varia::ParameterLayout::reader: the unconstrained vector has " +
                                  std::to_string(x_.size()) +
                                  " elements, but the layout declares " +
                                  std::to_string(layout.unconstrained_dimension()));
    }
  }

  /// The next declared parameter, which must be a scalar. Throws std::logic_error, naming the
  /// parameter, when it is a vector or when all parameters have been read.
  Scalar scalar() {
    const ParameterDeclaration& declaration = next("scalar", true);
    if constexpr (is_autodiff) {
      return constrain_vector(declaration)(0);
    } else {
      const double value = x_(declaration.unconstrained_offset);
      return detail::visit_elementwise(declaration, [&](const auto& transform) -> double {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(transform)>, std::nullopt_t>) {
          return value;
        } else {
          const auto result = transform.constrain_with_log_jacobian(value);
          add_log_jacobian(result.log_jacobian);
          return result.value;
        }
      });
    }
  }

  /// The next declared parameter, which must be a vector (a Cholesky factor comes as the flat
  /// lower triangle, column-major). Throws std::logic_error, naming the parameter, when it is a
  /// scalar or when all parameters have been read.
  // NOTE: with doubles each call allocates the returned Eigen::VectorXd; scalar() allocates
  // nothing.
  Vector vector() { return constrain_vector(next("vector", false)); }

  /// Returns the sum of the log absolute Jacobian determinants of the transforms read so far; 0
  /// when none was transformed. Throws std::logic_error, naming the first parameter not read,
  /// unless every declared parameter has been read, because the sum would miss its term.
  Scalar log_jacobian() const {
    const auto& declarations = layout_->declarations();
    if (next_ < declarations.size()) {
      throw std::logic_error("varia::ParameterReader::log_jacobian: parameter '" +
                             declarations[next_].name +
                             "' was not read; read every declared parameter, in declaration "
                             "order, before taking the log-Jacobian");
    }
    return has_log_jacobian_ ? log_jacobian_ : Scalar(0.0);
  }

 private:
  static Input input(const T& x) {
    if constexpr (is_autodiff) {
      return x;
    } else {
      return Input(x.matrix());
    }
  }

  const ParameterDeclaration& next(const char* kind, bool scalar) {
    const auto& declarations = layout_->declarations();
    if (next_ >= declarations.size()) {
      throw std::logic_error(std::string("varia::ParameterReader::") + kind + ": all " +
                             std::to_string(declarations.size()) +
                             " declared parameters have been read");
    }
    const ParameterDeclaration& declaration = declarations[next_];
    if (declaration.scalar != scalar) {
      throw std::logic_error(
          std::string("varia::ParameterReader::") + kind + ": parameter '" + declaration.name +
          "' is declared as a " +
          (declaration.scalar ? "scalar; read it with scalar()" : "vector; read it with vector()"));
    }
    ++next_;
    return declaration;
  }

  Vector constrain_vector(const ParameterDeclaration& declaration) {
    const auto segment =
        x_.segment(declaration.unconstrained_offset, declaration.unconstrained_size);
    return detail::visit_transform(declaration, [&](const auto& transform) -> Vector {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(transform)>, std::nullopt_t>) {
        return Vector(segment);
      } else {
        auto result = transform.constrain_with_log_jacobian(segment);
        add_log_jacobian(result.log_jacobian);
        return std::move(result.value);
      }
    });
  }

  void add_log_jacobian(const Scalar& term) {
    if (has_log_jacobian_) {
      log_jacobian_ += term;
    } else {
      log_jacobian_ = term;
      has_log_jacobian_ = true;
    }
  }

  const ParameterLayout* layout_;
  Input x_;
  std::size_t next_ = 0;
  Scalar log_jacobian_{};
  bool has_log_jacobian_ = false;
};

/// A base class for a model whose parameters are declared in its `layout`: it forwards
/// dimension(), parameter_names(), constrain() and unconstrain() to the layout, so that a model
/// with a generic call operator is a ConstrainedLogDensity:
///
///     struct EightSchools : varia::ConstrainedModel {
///       EightSchools() { layout.real("mu").positive("tau").real("theta_tilde", 8); }
///       template <class T> auto operator()(const T& x) const { ... layout.reader(x) ... }
///     };
struct ConstrainedModel {
  ParameterLayout layout;

  Eigen::Index dimension() const { return layout.unconstrained_dimension(); }
  std::vector<std::string> parameter_names() const { return layout.parameter_names(); }
  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const { return layout.constrain(x); }
  Eigen::VectorXd unconstrain(const Eigen::VectorXd& y) const { return layout.unconstrain(y); }
};

inline ParameterLayout& ParameterLayout::add(const std::string& name,
                                             ParameterConstraint constraint,
                                             std::optional<Eigen::Index> size, double lower,
                                             double upper) {
  const std::string function =
      std::string("varia::ParameterLayout::") + detail::constraint_name(constraint);
  if (name.empty()) {
    throw std::invalid_argument(function + ": the parameter name is empty");
  }
  for (const ParameterDeclaration& declaration : declarations_) {
    if (declaration.name == name) {
      throw std::invalid_argument(function + ": parameter '" + name +
                                  "' is already declared; names must be unique");
    }
  }

  ParameterDeclaration declaration;
  declaration.name = name;
  declaration.constraint = constraint;
  declaration.scalar = !size.has_value();
  declaration.size = size.value_or(1);
  declaration.lower = lower;
  declaration.upper = upper;

  const bool matrix_or_simplex = constraint == ParameterConstraint::simplex ||
                                 constraint == ParameterConstraint::cholesky_factor_corr;
  const Eigen::Index minimum = matrix_or_simplex ? 2 : 1;
  if (declaration.size < minimum) {
    throw std::invalid_argument(function + ": the size of '" + name + "' is " +
                                std::to_string(declaration.size) + ", expected at least " +
                                std::to_string(minimum));
  }
  auto check_bound = [&](const char* which, double bound) {
    if (!std::isfinite(bound)) {
      throw std::invalid_argument(function + ": the " + which + " bound of '" + name + "' is " +
                                  transform::detail::format_number(bound) + ", but must be finite");
    }
  };
  if (constraint == ParameterConstraint::lower_bounded ||
      constraint == ParameterConstraint::bounded) {
    check_bound("lower", lower);
  }
  if (constraint == ParameterConstraint::upper_bounded ||
      constraint == ParameterConstraint::bounded) {
    check_bound("upper", upper);
  }
  if (constraint == ParameterConstraint::bounded && !(lower < upper)) {
    throw std::invalid_argument(function + ": the bounds of '" + name + "' are " +
                                transform::detail::format_number(lower) + " and " +
                                transform::detail::format_number(upper) +
                                ", but the lower bound must be less than the upper bound");
  }

  const Eigen::Index k = declaration.size;
  switch (constraint) {
    case ParameterConstraint::simplex:
      declaration.unconstrained_size = k - 1;
      declaration.constrained_size = k;
      break;
    case ParameterConstraint::cholesky_factor_corr:
      declaration.unconstrained_size = k * (k - 1) / 2;
      declaration.constrained_size = k * k;
      break;
    default:
      declaration.unconstrained_size = k;
      declaration.constrained_size = k;
      break;
  }
  declaration.unconstrained_offset = unconstrained_dimension_;
  declaration.constrained_offset = constrained_dimension_;
  unconstrained_dimension_ += declaration.unconstrained_size;
  constrained_dimension_ += declaration.constrained_size;
  declarations_.push_back(std::move(declaration));
  return *this;
}

inline std::vector<std::string> ParameterLayout::parameter_names() const {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(constrained_dimension_));
  for (const ParameterDeclaration& declaration : declarations_) {
    if (declaration.scalar) {
      names.push_back(declaration.name);
    } else if (declaration.constraint == ParameterConstraint::cholesky_factor_corr) {
      for (Eigen::Index j = 0; j < declaration.size; ++j) {
        for (Eigen::Index i = 0; i < declaration.size; ++i) {
          names.push_back(declaration.name + "[" + std::to_string(i + 1) + "," +
                          std::to_string(j + 1) + "]");
        }
      }
    } else {
      for (Eigen::Index i = 0; i < declaration.constrained_size; ++i) {
        names.push_back(declaration.name + "[" + std::to_string(i + 1) + "]");
      }
    }
  }
  return names;
}

inline Eigen::VectorXd ParameterLayout::constrain(const Eigen::VectorXd& x) const {
  if (x.size() != unconstrained_dimension_) {
    throw std::invalid_argument("varia::ParameterLayout::constrain: the unconstrained vector has " +
                                std::to_string(x.size()) + " elements, but the layout declares " +
                                std::to_string(unconstrained_dimension_));
  }
  Eigen::VectorXd y(constrained_dimension_);
  for (const ParameterDeclaration& declaration : declarations_) {
    const Eigen::VectorXd segment =
        x.segment(declaration.unconstrained_offset, declaration.unconstrained_size);
    auto output = y.segment(declaration.constrained_offset, declaration.constrained_size);
    detail::visit_transform(declaration, [&](const auto& transform) {
      using Transform = std::remove_cvref_t<decltype(transform)>;
      if constexpr (std::is_same_v<Transform, std::nullopt_t>) {
        output = segment;
      } else if constexpr (std::is_same_v<Transform, transform::CholeskyFactorCorr>) {
        output = transform.to_matrix(transform.constrain(segment)).reshaped();
      } else {
        output = transform.constrain(segment);
      }
    });
  }
  return y;
}

inline Eigen::VectorXd ParameterLayout::unconstrain(const Eigen::VectorXd& y) const {
  if (y.size() != constrained_dimension_) {
    throw std::invalid_argument("varia::ParameterLayout::unconstrain: the constrained vector has " +
                                std::to_string(y.size()) + " elements, but the layout declares " +
                                std::to_string(constrained_dimension_));
  }
  Eigen::VectorXd x(unconstrained_dimension_);
  for (const ParameterDeclaration& declaration : declarations_) {
    const Eigen::VectorXd segment =
        y.segment(declaration.constrained_offset, declaration.constrained_size);
    auto output = x.segment(declaration.unconstrained_offset, declaration.unconstrained_size);
    detail::visit_transform(declaration, [&](const auto& transform) {
      using Transform = std::remove_cvref_t<decltype(transform)>;
      if constexpr (std::is_same_v<Transform, std::nullopt_t>) {
        output = segment;
      } else if constexpr (std::is_same_v<Transform, transform::CholeskyFactorCorr>) {
        const Eigen::MatrixXd matrix = segment.reshaped(declaration.size, declaration.size);
        output = transform.unconstrain(transform.from_matrix(matrix, declaration.name),
                                       declaration.name);
      } else if constexpr (Transform::elementwise) {
        if (declaration.scalar) {
          output(0) = transform.unconstrain(segment(0), declaration.name);
        } else {
          output = transform.unconstrain(segment, declaration.name);
        }
      } else {
        output = transform.unconstrain(segment, declaration.name);
      }
    });
  }
  return x;
}

}  // namespace varia
