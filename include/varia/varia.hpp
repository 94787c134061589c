// Umbrella header: includes every public part of varia.
#pragma once

#include <varia/version.hpp>

#include <varia/ad/arena.hpp>
#include <varia/ad/expression.hpp>
#include <varia/ad/gradient.hpp>
#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>

#include <varia/math/apply.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/operands.hpp>
#include <varia/math/distribution/bernoulli_logit.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/reductions.hpp>
#include <varia/ad/matrix.hpp>
#include <varia/math/dense.hpp>
