#include <varia/math/erf.hpp>

#include <cmath>
#include <limits>
#include <numbers>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

using varia::test::close;

struct Erf {
  template <class T>
  auto operator()(const T& x) const {
    return varia::erf(x(0));
  }
};

struct Phi {
  template <class T>
  auto operator()(const T& x) const {
    return varia::Phi(x(0));
  }
};

struct LogPhi {
  template <class T>
  auto operator()(const T& x) const {
    return varia::log_Phi(x(0));
  }
};

struct LogPhiSum {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      return varia::ad::sum(varia::log_Phi(x)) + varia::ad::sum(varia::Phi(x));
    } else {
      return varia::log_Phi(x).sum() + varia::Phi(x).sum();
    }
  }
};

struct Reference {
  double x;
  double expected;
};

// mpmath with 40 digits at the exact double arguments:
// /usr/bin/python3 -c "import mpmath as m; m.mp.dps=40; print([m.nstr(m.log(m.ncdf(m.mpf(x))),20)
//   for x in (-40.0, -20.5, -19.5, -5.0, 2.0, 10.0, -1000.0, -1e5, -1e10, -38.5)])"
constexpr Reference log_phi_references[] = {
    {-40.0, -804.60844201375378817},   {-20.5, -214.06672896326380017},
    {-19.5, -194.01696577749749941},   {-5.0, -15.064998393988725736},
    {2.0, -0.023012909328963488465},   {10.0, -7.6198530241605260704e-24},
    {-1000.0, -500007.82669481218431}, {-1e5, -5000000012.4318639983},
    {-1e10, -50000000000000000024.0},  {-38.5, -745.69527029041108133},
};

// phi(x) / Phi(x): m.npdf(x) / m.ncdf(x) in the same script.
constexpr Reference log_phi_derivative_references[] = {
    {-40.0, 40.024968847207263723}, {-20.5, 20.548551052435848816},
    {-19.5, 19.551015802580620764}, {-5.0, 5.1865039671258421156},
    {2.0, 0.055247862678989959102}, {10.0, 7.6945986267064193463e-23},
    {-1000.0, 1000.00099999800001}, {-1e10, 10000000000.0},
};

// m.ncdf(x) and m.erf(x) in the same script.
constexpr Reference phi_references[] = {
    {-1.0, 0.15865525393145705141},
    {-10.0, 7.619853024160526066e-24},
    {-37.0, 5.7255712225245768227e-300},
    {3.0, 0.99865010196836990547},
};

constexpr Reference erf_references[] = {
    {0.3, 0.32862675945912741619},
    {-2.0, -0.99532226501895273416},
    {5.0, 0.99999999999846254021},
    {1e-10, 1.128379167095512615e-10},
};

double relative_error(double actual, double expected) {
  return std::abs(actual - expected) / std::abs(expected);
}

}  // namespace

TEST_CASE("erf matches mpmath references") {
  for (const auto& [x, expected] : erf_references) {
    INFO("x = " << x);
    CHECK(relative_error(varia::erf(x), expected) <= 1e-15);
  }
}

TEST_CASE("Phi matches mpmath references") {
  for (const auto& [x, expected] : phi_references) {
    // Rounding x / sqrt 2 to t changes erfc(t) by a relative 2 t^2 ulp, 3e-13 at x = -37.
    const double tolerance = 4e-16 * std::max(1.0, x * x);
    INFO("x = " << x << ", Phi " << varia::Phi(x) << ", expected " << expected);
    CHECK(relative_error(varia::Phi(x), expected) <= tolerance);
  }
  CHECK(varia::Phi(0.0) == 0.5);
}

TEST_CASE("log_Phi matches mpmath references") {
  for (const auto& [x, expected] : log_phi_references) {
    INFO("x = " << x << ", log_Phi " << varia::log_Phi(x) << ", expected " << expected);
    CHECK(relative_error(varia::log_Phi(x), expected) <= 1e-14);
  }
  CHECK(varia::log_Phi(0.0) == -std::numbers::ln2);
}

TEST_CASE("log_Phi is continuous at the tail threshold") {
  const double threshold = varia::detail::log_phi_tail_start;
  const double below = varia::log_Phi(std::nextafter(threshold, -1.0));
  const double above = varia::log_Phi(threshold);
  CHECK(relative_error(below, above) <= 1e-14);
}

TEST_CASE("log_Phi at infinities and NaN") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(varia::log_Phi(-inf) == -inf);
  CHECK(varia::log_Phi(inf) == 0.0);
  CHECK(std::isnan(varia::log_Phi(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("log_Phi gradient matches mpmath references") {
  for (const auto& [x, expected] : log_phi_derivative_references) {
    Eigen::VectorXd point(1);
    point << x;
    const auto [value, gradient] = varia::value_and_gradient(LogPhi{}, point);
    INFO("x = " << x << ", gradient " << gradient(0) << ", expected " << expected);
    CHECK(relative_error(gradient(0), expected) <= 1e-13);
  }
}

TEST_CASE("erf gradient matches finite differences") {
  varia::test::expect_ad(Erf{}, varia::test::uniform_points(1, 40, -4.0, 4.0));
}

TEST_CASE("Phi gradient matches finite differences") {
  varia::test::expect_ad(Phi{}, varia::test::uniform_points(1, 40, -8.0, 8.0));
}

TEST_CASE("log_Phi gradient matches finite differences") {
  varia::test::expect_ad(LogPhi{}, varia::test::uniform_points(1, 40, -30.0, 10.0));
  varia::test::expect_ad(LogPhi{}, varia::test::uniform_points(1, 30, -1e4, -10.0));
}

TEST_CASE("log_Phi of vectors matches finite differences") {
  varia::test::expect_ad(LogPhiSum{}, varia::test::uniform_points(3, 30, -25.0, 5.0));
}
