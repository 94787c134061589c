// Umbrella header: includes every public part of varia.
#pragma once

#include <varia/version.hpp>

#include <varia/ad/arena.hpp>
#include <varia/ad/expression.hpp>
#include <varia/ad/gradient.hpp>
#include <varia/ad/lanes.hpp>
#include <varia/ad/matrix.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>

#include <varia/math/abs_min_max.hpp>
#include <varia/math/apply.hpp>
#include <varia/math/dense.hpp>
#include <varia/math/erf.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/log_sum_exp.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/operands.hpp>
#include <varia/math/power.hpp>
#include <varia/math/reductions.hpp>
#include <varia/math/special.hpp>
#include <varia/math/tanh.hpp>

#include <varia/math/distribution/bernoulli_logit.hpp>
#include <varia/math/distribution/beta.hpp>
#include <varia/math/distribution/binomial_logit.hpp>
#include <varia/math/distribution/cauchy.hpp>
#include <varia/math/distribution/exponential.hpp>
#include <varia/math/distribution/gamma.hpp>
#include <varia/math/distribution/lognormal.hpp>
#include <varia/math/distribution/multi_normal_cholesky.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/distribution/poisson_log.hpp>
#include <varia/math/distribution/student_t.hpp>

#include <varia/random/beta_dirichlet.hpp>
#include <varia/random/box_muller.hpp>
#include <varia/random/counter_rng.hpp>
#include <varia/random/gamma.hpp>
#include <varia/random/philox.hpp>
#include <varia/random/uniform_bits.hpp>

#include <varia/estimator/estimator.hpp>
#include <varia/estimator/reparameterization.hpp>
#include <varia/estimator/score_function.hpp>
#include <varia/estimator/sticking_the_landing.hpp>
#include <varia/family/family.hpp>
#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/low_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/family/student_t_location_scale.hpp>
#include <varia/model/log_density.hpp>
#include <varia/model/parameter_layout.hpp>
#include <varia/model/transforms.hpp>
#include <varia/objective/cubo.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/iwae.hpp>
#include <varia/objective/objective.hpp>
#include <varia/objective/renyi.hpp>
#include <varia/optim/adam.hpp>
#include <varia/optim/advi_step_sequence.hpp>
#include <varia/optim/averaging.hpp>
#include <varia/optim/dog.hpp>
#include <varia/optim/dowg.hpp>
#include <varia/optim/optimizer.hpp>
#include <varia/optim/sgd.hpp>
#include <varia/optim/step_size_search.hpp>

#include <varia/diagnostics/generalized_pareto.hpp>
#include <varia/diagnostics/importance_sampling.hpp>
#include <varia/diagnostics/psis.hpp>
#include <varia/fit.hpp>
