// Umbrella header: includes every public part of varia.
#pragma once

#include <varia/version.hpp>
