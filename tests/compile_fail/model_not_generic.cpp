// A model written only for doubles cannot be differentiated, and the error says how to fix it.
// expected-error: the function cannot be differentiated\. Write it as a template over its argument
// type
#include <varia/ad/gradient.hpp>
#include <varia/math/reductions.hpp>

struct DoublesOnly {
  double operator()(const Eigen::VectorXd& x) const { return x.squaredNorm(); }
};

struct Generic {
  template <class T>
  auto operator()(const T& x) const {
    return varia::squared_norm(x);
  }
};

int main() {
#ifdef VARIA_COMPILE_FAIL_CONTROL
  const Generic model;
#else
  const DoublesOnly model;
#endif
  const Eigen::VectorXd x = Eigen::VectorXd::Ones(3);
  return static_cast<int>(varia::value_and_gradient(model, x).first);
}
