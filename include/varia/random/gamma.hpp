// Gamma variates with rate 1 from a CounterRng (Marsaglia and Tsang, 2000).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include <Eigen/Core>

#include <varia/random/box_muller.hpp>
#include <varia/random/counter_rng.hpp>
#include <varia/random/philox.hpp>
#include <varia/random/uniform_bits.hpp>

namespace varia {
namespace detail {

// Unbounded sequence of uniforms and normals for one (family, iteration, sample, coordinate),
// for rejection samplers that need a variable number of draws. Philox call n (n = 0, 1, ...)
// of key generation g uses the counter {coordinate, sample | (n mod 256) << 24, iteration,
// family word} and gives two uniforms, from words (0, 1) and then (2, 3). After 256 calls the key
// becomes words 0 and 1 of philox4x32_10({coordinate, sample | (g mod 256) << 24, iteration,
// stream | (family | 0x80) << 24}, key), so every draw stays a pure function of the arguments.
// normal() applies box_muller() to the next two uniforms and keeps the second normal for the
// following normal() call.
class CounterDrawSequence {
 public:
  CounterDrawSequence(const CounterRng& rng, RandomFamily family, std::uint32_t iteration,
                      Eigen::Index sample, Eigen::Index coordinate)
      : key_(rng.key()),
        coordinate_(static_cast<std::uint32_t>(coordinate)),
        sample_(static_cast<std::uint32_t>(sample)),
        iteration_(iteration),
        family_word_(rng.family_word(family)) {}

  double uniform() {
    if (buffered_ == 0) {
      refill();
    }
    const double value = buffer_[static_cast<std::size_t>(2 - buffered_)];
    --buffered_;
    return value;
  }

  double normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    const double u1 = uniform();
    const double u2 = uniform();
    const std::array<double, 2> pair = box_muller(u1, u2);
    spare_normal_ = pair[1];
    has_spare_normal_ = true;
    return pair[0];
  }

 private:
  void refill() {
    if (draw_ == 256) {
      const PhiloxCounter rekey_counter{coordinate_, sample_ | (generation_ << 24), iteration_,
                                        family_word_ | 0x80000000u};
      const PhiloxCounter bits = philox4x32_10(rekey_counter, key_);
      key_ = {bits[0], bits[1]};
      generation_ = (generation_ + 1) & 0xFFu;
      draw_ = 0;
    }
    const PhiloxCounter bits =
        philox4x32_10({coordinate_, sample_ | (draw_ << 24), iteration_, family_word_}, key_);
    ++draw_;
    buffer_ = {uniform_from_words(bits[0], bits[1]), uniform_from_words(bits[2], bits[3])};
    buffered_ = 2;
  }

  PhiloxKey key_;
  std::uint32_t coordinate_;
  std::uint32_t sample_;
  std::uint32_t iteration_;
  std::uint32_t family_word_;
  std::uint32_t draw_ = 0;
  std::uint32_t generation_ = 0;
  std::array<double, 2> buffer_{};
  int buffered_ = 0;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

// Gamma variate as body * exp(log_factor): body is a Marsaglia-Tsang draw with shape >= 1 and
// log_factor is log(U) / shape for shapes below 1 (else 0). Keeping the factor in log form lets
// beta and Dirichlet variates avoid underflow for small shapes.
struct SplitGamma {
  double body;
  double log_factor;

  double value() const { return body * std::exp(log_factor); }
  double log_value() const { return std::log(body) + log_factor; }
};

// Draws one gamma variate with rate 1 (Marsaglia and Tsang, 2000, "A simple method for generating
// gamma variables"). For shape a < 1 it draws U first, then Gamma(a + 1), and uses
// Gamma(a) = Gamma(a + 1) U^(1/a). The shape must be positive and finite. Each attempt takes one
// normal x and, when v = (1 + c x)^3 > 0, one uniform u. The attempt is accepted by the squeeze
// u < 1 - 0.0331 x^4 or by log u < x^2 / 2 + d (1 - v + log v).
inline SplitGamma split_gamma(double shape, CounterDrawSequence& draws) {
  double log_factor = 0.0;
  if (shape < 1.0) {
    log_factor = std::log(draws.uniform()) / shape;
    shape += 1.0;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    const double x = draws.normal();
    double v = 1.0 + c * x;
    if (v <= 0.0) {
      continue;
    }
    v = v * v * v;
    const double u = draws.uniform();
    const double x_squared = x * x;
    if (u < 1.0 - 0.0331 * x_squared * x_squared) {
      return {d * v, log_factor};
    }
    if (std::log(u) < 0.5 * x_squared + d * (1.0 - v + std::log(v))) {
      return {d * v, log_factor};
    }
  }
}

inline void check_gamma_shape(const std::string& function, const std::string& argument,
                              double shape) {
  if (!(shape > 0.0) || !std::isfinite(shape)) {
    throw random_argument_error(function, argument, shape, "positive and finite");
  }
}

}  // namespace detail

/// Returns a Gamma(shape, rate 1) variate by the method of Marsaglia and Tsang (2000, "A simple
/// method for generating gamma variables"). The result is a pure function of the generator,
/// shape, iteration, sample and coordinate, and detail::CounterDrawSequence lists the counters it
/// uses. For small shapes, values below the smallest subnormal double round to 0. Throws
/// std::invalid_argument if shape is not positive and finite, or as CounterRng::uniform() does.
inline double gamma_variate(const CounterRng& rng, double shape, std::uint32_t iteration,
                            Eigen::Index sample, Eigen::Index coordinate) {
  detail::check_gamma_shape("varia::gamma_variate", "shape", shape);
  CounterRng::check_index("varia::gamma_variate", sample, coordinate);
  detail::CounterDrawSequence draws(rng, detail::RandomFamily::gamma, iteration, sample,
                                    coordinate);
  return detail::split_gamma(shape, draws).value();
}

/// Fills `out` (coordinate x sample) with gamma variates of shape shapes(row): entry (j, c) is
/// gamma_variate(rng, shapes(j), iteration, first_sample + c, j). Throws std::invalid_argument
/// if shapes.size() differs from out.rows(), if a shape is not positive and finite, or if a
/// sample or coordinate is out of range.
inline void fill_gamma(const CounterRng& rng, const Eigen::Ref<const Eigen::VectorXd>& shapes,
                       std::uint32_t iteration, Eigen::Index first_sample,
                       Eigen::Ref<Eigen::MatrixXd> out) {
  constexpr const char* function = "varia::fill_gamma";
  if (shapes.size() != out.rows()) {
    throw detail::random_argument_error(function, "shapes.size()", shapes.size(),
                                        "equal to out.rows() (" + std::to_string(out.rows()) + ")");
  }
  for (Eigen::Index j = 0; j < shapes.size(); ++j) {
    detail::check_gamma_shape(function, "shapes(" + std::to_string(j) + ")", shapes(j));
  }
  if (out.size() == 0) {
    return;
  }
  CounterRng::check_index(function, first_sample, out.rows() - 1);
  CounterRng::check_index(function, first_sample + out.cols() - 1, 0);
  for (Eigen::Index column = 0; column < out.cols(); ++column) {
    for (Eigen::Index j = 0; j < out.rows(); ++j) {
      detail::CounterDrawSequence draws(rng, detail::RandomFamily::gamma, iteration,
                                        first_sample + column, j);
      out(j, column) = detail::split_gamma(shapes(j), draws).value();
    }
  }
}

/// fill_gamma() with the same shape for every coordinate.
inline void fill_gamma(const CounterRng& rng, double shape, std::uint32_t iteration,
                       Eigen::Index first_sample, Eigen::Ref<Eigen::MatrixXd> out) {
  detail::check_gamma_shape("varia::fill_gamma", "shape", shape);
  fill_gamma(rng, Eigen::VectorXd::Constant(out.rows(), shape), iteration, first_sample, out);
}

}  // namespace varia
