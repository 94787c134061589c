#include <varia/ad/gradient.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/reductions.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <thread>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

// Counts the heap allocations made by this thread while counting is switched on. The
// replacement global operator new is left out under AddressSanitizer, whose runtime provides its
// own and reports a mismatch when memory from one is released through the other.
#if defined(__SANITIZE_ADDRESS__)
#define VARIA_TEST_COUNTS_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VARIA_TEST_COUNTS_ALLOCATIONS 0
#endif
#endif
#ifndef VARIA_TEST_COUNTS_ALLOCATIONS
#define VARIA_TEST_COUNTS_ALLOCATIONS 1
#endif

namespace {
thread_local bool counting_allocations = false;
[[maybe_unused]] thread_local long allocation_count = 0;
}  // namespace

#if VARIA_TEST_COUNTS_ALLOCATIONS
void* operator new(std::size_t size) {
  if (counting_allocations) {
    ++allocation_count;
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) {
    return memory;
  }
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
#endif

namespace {

// A small hierarchical model: y ~ N(tau * A z, 1), z ~ N(0, 1), mu ~ N(0, 2), with a data
// matrix product and the scalar parameters log tau and mu.
struct Hierarchical {
  Eigen::MatrixXd design = Eigen::MatrixXd::Identity(5, 4) * 2.0;
  Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(5, -1.0, 1.0);
  template <class T>
  auto operator()(const T& x) const {
    const auto z = x.head(4);
    return varia::normal_lpdf(y, varia::exp(x(5)) * (design * z), 1.0) +
           varia::normal_lpdf(z, x(4), 1.0) + varia::normal_lpdf(x(4), 0.0, 2.0) + x(5);
  }
};

// A model that brings its own gradient: f(x) = -|x|^2 / 2.
struct OwnGradient {
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    gradient = -x;
    return -0.5 * x.squaredNorm();
  }
};

}  // namespace

TEST_CASE("hierarchical model matches finite differences") {
  varia::test::expect_ad(Hierarchical{}, varia::test::uniform_points(6, 40, -1.5, 1.5));
}

TEST_CASE("lanes agree with single points for every group size") {
  // 1 and 5 use single points only; 16 one full group; 27 a padded last group; 40 both.
  for (Eigen::Index count : {1, 5, 16, 27, 40}) {
    INFO("points: " << count);
    varia::test::check_lanes(Hierarchical{}, varia::test::uniform_points(6, count, -1.0, 1.0));
  }
}

TEST_CASE("model with its own gradient is used as given") {
  const Eigen::Vector3d x(1.0, -2.0, 0.5);
  Eigen::VectorXd gradient;
  CHECK(varia::value_and_gradient(OwnGradient{}, x, gradient) == -2.625);
  CHECK(gradient == -x);
  Eigen::VectorXd values;
  Eigen::MatrixXd gradients;
  const Eigen::MatrixXd points = varia::test::uniform_points(3, 20, -1.0, 1.0);
  varia::value_and_gradient_lanes(OwnGradient{}, points, values, gradients);
  CHECK(gradients == -points);
  CHECK(values(7) == -0.5 * points.col(7).squaredNorm());
}

TEST_CASE("repeated gradients allocate nothing") {
  const Hierarchical model;
  const Eigen::VectorXd x = varia::test::uniform_points(6, 1, -1.0, 1.0);
  Eigen::VectorXd gradient;
  const Eigen::MatrixXd points = varia::test::uniform_points(6, 16, -1.0, 1.0);
  Eigen::VectorXd values;
  Eigen::MatrixXd gradients;
  varia::value_and_gradient(model, x, gradient);
  varia::value_and_gradient_lanes(model, points, values, gradients);
  const std::size_t capacity = varia::ad::tape().arena().capacity();

  counting_allocations = true;
  for (int i = 0; i < 100000; ++i) {
    varia::value_and_gradient(model, x, gradient);
  }
  for (int i = 0; i < 1000; ++i) {
    varia::value_and_gradient_lanes(model, points, values, gradients);
  }
  counting_allocations = false;
#if VARIA_TEST_COUNTS_ALLOCATIONS
  CHECK(allocation_count == 0);
#endif
  CHECK(varia::ad::tape().arena().capacity() == capacity);
}

TEST_CASE("two threads differentiate concurrently") {
  const Hierarchical model;
  const Eigen::MatrixXd points = varia::test::uniform_points(6, 32, -1.0, 1.0);
  Eigen::VectorXd expected_values;
  Eigen::MatrixXd expected_gradients;
  varia::value_and_gradient_lanes(model, points, expected_values, expected_gradients);

  auto product = [](const auto& x) { return varia::sum(x) * x(0) * x(1); };
  const Eigen::VectorXd x = points.col(3);
  Eigen::VectorXd expected_product_gradient;
  const double expected_product = varia::value_and_gradient(product, x, expected_product_gradient);

  std::atomic<int> mismatches{0};
  std::thread first([&] {
    Eigen::VectorXd values;
    Eigen::MatrixXd gradients;
    for (int i = 0; i < 2000; ++i) {
      varia::value_and_gradient_lanes(model, points, values, gradients);
      if (values != expected_values || gradients != expected_gradients) {
        ++mismatches;
      }
    }
  });
  std::thread second([&] {
    Eigen::VectorXd gradient;
    for (int i = 0; i < 20000; ++i) {
      if (varia::value_and_gradient(product, x, gradient) != expected_product ||
          gradient != expected_product_gradient) {
        ++mismatches;
      }
    }
  });
  first.join();
  second.join();
  CHECK(mismatches == 0);
}

TEST_CASE("nested recording is rejected") {
  auto nested = [](const auto& x) {
    const Eigen::VectorXd inner = Eigen::VectorXd::Ones(2);
    varia::value_and_gradient([](const auto& y) { return varia::sum(y); }, inner);
    return x(0);
  };
  const Eigen::VectorXd x = Eigen::VectorXd::Ones(1);
  CHECK_THROWS_AS(varia::value_and_gradient(nested, x), std::logic_error);
  // The failed recording is released, so the next one works.
  CHECK(varia::value_and_gradient([](const auto& y) { return y(0) * 2.0; }, x).second(0) == 2.0);
}
