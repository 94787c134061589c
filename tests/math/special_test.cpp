#include <varia/math/special.hpp>

#include <cmath>
#include <limits>
#include <numbers>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

using varia::test::close;

struct Lgamma {
  template <class T>
  auto operator()(const T& x) const {
    return varia::lgamma(x(0));
  }
};

struct Digamma {
  template <class T>
  auto operator()(const T& x) const {
    return varia::digamma(x(0));
  }
};

// The sum over a whole vector, so that the elementwise vector node is checked too.
struct LgammaPlusDigammaSum {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      return varia::ad::sum(varia::lgamma(x)) + varia::ad::sum(varia::digamma(x));
    } else {
      return varia::lgamma(x).sum() + varia::digamma(x).sum();
    }
  }
};

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Reference values from mpmath with 40 digits at the exact double arguments, e.g.
// /usr/bin/python3 -c "import mpmath as m; m.mp.dps=40; print([m.nstr(m.digamma(m.mpf(x)),20)
//   for x in (1e-8, 3.7, 9.99, 30.5, 1e5, 1e10, -0.5, -2.3, -10.9)])"
// (m.log(abs(m.gamma(x))) for lgamma, m.polygamma(1, x) for trigamma).
struct Reference {
  double x;
  double expected;
};

constexpr Reference lgamma_references[] = {
    {1e-8, 18.420680738180208884},  {0.5, 0.57236494292470008707}, {3.7, 1.4280723266653881292},
    {100.5, 361.43554046777762156}, {-0.5, 1.2655121234846453965}, {-2.5, -0.056243716497674050673},
};

constexpr Reference digamma_references[] = {
    {1e-8, -100000000.57721564636},  {3.7, 1.1671535393615114409},  {9.99, 2.250700372831201122},
    {30.5, 3.4012436689616610844},   {1e5, 11.512920464961895087},  {1e10, 23.02585092989045684},
    {-0.5, 0.036489973978576520559}, {-2.3, 3.3173231575618227391}, {-10.9, -7.2348944535815246367},
};

constexpr Reference trigamma_references[] = {
    {1e-8, 10000000000000001.226},     {3.7, 0.31003785767003830216},
    {9.99, 0.10527695014824178439},    {30.5, 0.033330248112801608527},
    {1e5, 0.000010000050000166666667}, {-0.5, 8.9348022005446793094},
    {-2.3, 14.725912160961291488},     {-10.9, 103.26817590908066822},
};

}  // namespace

TEST_CASE("lgamma is exactly zero at 1 and 2") {
  CHECK(varia::lgamma(1.0) == 0.0);
  CHECK(varia::lgamma(2.0) == 0.0);
}

TEST_CASE("lgamma matches mpmath references") {
  for (const auto& [x, expected] : lgamma_references) {
    INFO("x = " << x << ", lgamma " << varia::lgamma(x) << ", expected " << expected);
    CHECK(close(varia::lgamma(x), expected, 1e-14));
  }
}

TEST_CASE("lgamma at 1e10 matches Stirling's formula") {
  // The omitted terms 1/(12x) - ... are 1e-11, below 1e-22 relative to the value.
  const double x = 1e10;
  const double stirling =
      x * std::log(x) - x - 0.5 * std::log(x) + 0.5 * std::log(2.0 * std::numbers::pi);
  CHECK(std::abs(varia::lgamma(x) - stirling) <= 1e-14 * stirling);
}

TEST_CASE("lgamma is +inf at the poles") {
  CHECK(varia::lgamma(0.0) == inf);
  CHECK(varia::lgamma(-1.0) == inf);
  CHECK(varia::lgamma(-2.0) == inf);
}

TEST_CASE("digamma at 1 and 1/2 matches closed forms") {
  const double gamma = std::numbers::egamma;
  CHECK(close(varia::digamma(1.0), -gamma, 2e-15));
  CHECK(close(varia::digamma(0.5), -gamma - 2.0 * std::numbers::ln2, 2e-15));
  CHECK(close(varia::digamma(2.0), 1.0 - gamma, 2e-15));
}

TEST_CASE("digamma matches mpmath references") {
  for (const auto& [x, expected] : digamma_references) {
    INFO("x = " << x << ", digamma " << varia::digamma(x) << ", expected " << expected);
    CHECK(close(varia::digamma(x), expected, 2e-15));
  }
}

TEST_CASE("digamma satisfies the recurrence") {
  const Eigen::MatrixXd points = varia::test::uniform_points(1, 200, 0.01, 40.0);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const double x = points(0, s);
    INFO("x = " << x);
    CHECK(close(varia::digamma(x + 1.0), varia::digamma(x) + 1.0 / x, 4e-15));
  }
}

TEST_CASE("digamma follows its large-argument asymptotics") {
  for (const double x : {1e6, 1e10, 1e15, 1e300}) {
    const double asymptotic = std::log(x) - 0.5 / x - 1.0 / (12.0 * x * x);
    INFO("x = " << x);
    CHECK(close(varia::digamma(x), asymptotic, 1e-15));
  }
}

TEST_CASE("digamma at poles and infinities") {
  CHECK(varia::digamma(0.0) == -inf);
  CHECK(std::isnan(varia::digamma(-1.0)));
  CHECK(std::isnan(varia::digamma(-7.0)));
  CHECK(std::isnan(varia::digamma(-inf)));
  CHECK(std::isnan(varia::digamma(not_a_number)));
  CHECK(varia::digamma(inf) == inf);
}

TEST_CASE("digamma array matches scalar") {
  Eigen::ArrayXd x(9);
  x << 1e-8, 0.3, 1.0, 5.5, 9.99, 12.0, 1e8, -0.5, -3.7;
  const Eigen::ArrayXd result = varia::digamma(x);
  const Eigen::ArrayXd derivative = varia::trigamma(x);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    INFO("x = " << x(i));
    // The scalar version runs the same formula on a one-element array, but may round
    // differently where the compiler vectorizes the longer array.
    CHECK(close(result(i), varia::digamma(x(i)), 1e-15));
    CHECK(close(derivative(i), varia::trigamma(x(i)), 1e-15));
  }
}

TEST_CASE("trigamma matches mpmath references") {
  CHECK(close(varia::trigamma(1.0), std::numbers::pi * std::numbers::pi / 6.0, 2e-15));
  for (const auto& [x, expected] : trigamma_references) {
    INFO("x = " << x << ", trigamma " << varia::trigamma(x) << ", expected " << expected);
    CHECK(std::abs(varia::trigamma(x) - expected) <= 2e-15 * std::abs(expected));
  }
}

TEST_CASE("trigamma satisfies the recurrence") {
  const Eigen::MatrixXd points = varia::test::uniform_points(1, 200, 0.01, 40.0);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const double x = points(0, s);
    INFO("x = " << x);
    const double expected = varia::trigamma(x) - 1.0 / (x * x);
    CHECK(std::abs(varia::trigamma(x + 1.0) - expected) <= 4e-15 * std::abs(expected) + 1e-15);
  }
}

TEST_CASE("trigamma is +inf at the poles") {
  CHECK(varia::trigamma(0.0) == inf);
  CHECK(varia::trigamma(-2.0) == inf);
}

TEST_CASE("lgamma gradient matches finite differences") {
  varia::test::expect_ad(Lgamma{}, varia::test::uniform_points(1, 40, 0.05, 30.0));
  varia::test::expect_ad(Lgamma{}, varia::test::uniform_points(1, 30, 1e3, 1e9));
  // Negative non-integers, between the poles.
  varia::test::expect_ad(Lgamma{}, varia::test::uniform_points(1, 30, -4.9, -4.1));
}

TEST_CASE("lgamma gradient is digamma from mpmath") {
  for (const auto& [x, expected] : digamma_references) {
    Eigen::VectorXd point(1);
    point << x;
    const auto [value, gradient] = varia::value_and_gradient(Lgamma{}, point);
    INFO("x = " << x << ", gradient " << gradient(0) << ", expected " << expected);
    CHECK(close(gradient(0), expected, 2e-15));
  }
}

TEST_CASE("digamma gradient matches finite differences") {
  varia::test::expect_ad(Digamma{}, varia::test::uniform_points(1, 40, 0.05, 30.0));
  varia::test::expect_ad(Digamma{}, varia::test::uniform_points(1, 30, 1e3, 1e9));
  varia::test::expect_ad(Digamma{}, varia::test::uniform_points(1, 30, -2.9, -2.1));
}

TEST_CASE("digamma gradient is trigamma from mpmath") {
  for (const auto& [x, expected] : trigamma_references) {
    Eigen::VectorXd point(1);
    point << x;
    const auto [value, gradient] = varia::value_and_gradient(Digamma{}, point);
    INFO("x = " << x << ", gradient " << gradient(0) << ", expected " << expected);
    CHECK(std::abs(gradient(0) - expected) <= 2e-15 * std::abs(expected));
  }
}

TEST_CASE("lgamma and digamma of vectors match finite differences") {
  Eigen::MatrixXd points = varia::test::uniform_points(3, 30, 0.1, 20.0);
  points.row(2).array() -= 25.5;  // negative arguments take the reflection path
  // Near the poles the default step, relative to |x|, is too coarse.
  varia::test::expect_ad(LgammaPlusDigammaSum{}, points, 1e-6, 1e-6);
}
