// varia::fit and what it returns: options, result, convergence rule and diagnostics.
#pragma once

#include <varia/fit/averaged_adam.hpp>
#include <varia/fit/convergence.hpp>
#include <varia/fit/fit_loop.hpp>
#include <varia/fit/options.hpp>
#include <varia/fit/psis_diagnostic.hpp>
#include <varia/fit/result.hpp>
