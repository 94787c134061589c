// Constraint transforms: maps from unconstrained values onto constrained sets, each with its
// inverse and the log absolute Jacobian determinant, for doubles and autodiff types.
//
// Every transform T offers T.constrain(x), T.log_jacobian(x), T.constrain_with_log_jacobian(x)
// and T.unconstrain(y) (doubles only; std::domain_error outside the support). Elementwise
// transforms (Positive, LowerBounded, UpperBounded, Bounded) accept scalars and vectors; Simplex,
// Ordered and CholeskyFactorCorr accept vectors.
#pragma once

#include <varia/model/bound_transforms.hpp>
#include <varia/model/cholesky_factor_corr_transform.hpp>
#include <varia/model/ordered_transform.hpp>
#include <varia/model/simplex_transform.hpp>
#include <varia/model/transform_base.hpp>
