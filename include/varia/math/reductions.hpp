// sum, dot, squared_norm and elementwise_product for both doubles (Eigen) and autodiff
// vectors, so that one model source serves both.
#pragma once

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>

namespace varia {

/// The sum of the elements.
template <int W>
ad::Scalar<W> sum(const ad::Vector<W>& x) {
  return ad::sum(x);
}
template <ad::EigenDense T>
double sum(const T& x) {
  return x.sum();
}

/// The inner product a^T b; either side may be data or autodiff.
template <class A, class B>
requires(ad::VectorExpression<A> || ad::VectorExpression<B>) auto dot(const A& a, const B& b) {
  return ad::dot(a, b);
}
template <ad::EigenDense A, ad::EigenDense B>
double dot(const A& a, const B& b) {
  return a.matrix().dot(b.matrix());
}

/// x^T x.
template <int W>
ad::Scalar<W> squared_norm(const ad::Vector<W>& x) {
  return ad::squared_norm(x);
}
template <ad::EigenDense T>
double squared_norm(const T& x) {
  return x.matrix().squaredNorm();
}

/// The elementwise product.
template <int W>
ad::Vector<W> elementwise_product(const ad::Vector<W>& a, const ad::Vector<W>& b) {
  return ad::elementwise_product(a, b);
}
template <ad::EigenDense A, ad::EigenDense B>
auto elementwise_product(const A& a, const B& b) {
  return a.matrix().cwiseProduct(b.matrix());
}

}  // namespace varia
