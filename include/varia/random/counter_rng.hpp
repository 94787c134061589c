// Counter-based random numbers: each variate is a pure function of (seed, stream, iteration,
// sample, coordinate), computed by Philox4x32-10.
#pragma once

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include <varia/random/box_muller.hpp>
#include <varia/random/philox.hpp>
#include <varia/random/uniform_bits.hpp>

namespace varia {
namespace detail {

// Builds the std::invalid_argument for "function: argument is value, but must be requirement".
template <class Value>
std::invalid_argument random_argument_error(const std::string& function,
                                            const std::string& argument, const Value& value,
                                            const std::string& requirement) {
  std::ostringstream message;
  message << function << ": " << argument << " is " << value << ", but must be " << requirement;
  return std::invalid_argument(message.str());
}

// Variate family, stored in the top byte of counter word 3 so that families never share a
// counter. Values 0x80 and above are the re-keying counters of CounterDrawSequence.
enum class RandomFamily : std::uint32_t {
  normal = 0,
  uniform = 1,
  gamma = 2,
  beta_first = 3,
  beta_second = 4,
  dirichlet = 5,
};

}  // namespace detail

/// Counter-based random number generator: a variate is a pure function of (seed, stream,
/// iteration, sample, coordinate), so results do not depend on evaluation order or thread count,
/// and the same arguments give bit-identical numbers on every run.
///
/// Counter layout. The Philox key is the seed (key word 0 = low 32 bits, word 1 = high 32 bits).
/// The 128-bit counter is
///   word 0: coordinate / 2 for normal and uniform draws (one Philox call gives a pair),
///           coordinate for gamma-based draws
///   word 1: sample in bits 0-23, draw index in bits 24-31 (0 except for gamma-based draws,
///           which take a variable number of Philox calls)
///   word 2: iteration
///   word 3: stream in bits 0-23, variate family in bits 24-31
/// so sample and stream are below 2^24 and coordinate below 2^32.
class CounterRng {
 public:
  static constexpr std::uint32_t max_stream = 0xFFFFFFu;
  static constexpr Eigen::Index max_sample = 0xFFFFFF;
  static constexpr Eigen::Index max_coordinate = 0xFFFFFFFF;

  /// Creates the generator for `seed` and `stream`. Throws std::invalid_argument if stream is
  /// above max_stream.
  explicit CounterRng(std::uint64_t seed, std::uint32_t stream = 0) : seed_(seed), stream_(stream) {
    if (stream > max_stream) {
      throw detail::random_argument_error("varia::CounterRng", "stream", stream,
                                          "at most 16777215");
    }
  }

  std::uint64_t seed() const { return seed_; }
  std::uint32_t stream() const { return stream_; }

  /// Philox key: the seed split into its low and high 32-bit words.
  PhiloxKey key() const {
    return {static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32)};
  }

  /// Returns a uniform variate on (0, 1) (see uniform_from_bits()). Throws std::invalid_argument
  /// if sample is outside [0, max_sample] or coordinate outside [0, max_coordinate].
  double uniform(std::uint32_t iteration, Eigen::Index sample, Eigen::Index coordinate) const {
    check_index("varia::CounterRng::uniform", sample, coordinate);
    const PhiloxCounter bits = philox4x32_10(
        pair_counter(detail::RandomFamily::uniform, iteration, sample, coordinate), key());
    return coordinate % 2 == 0 ? uniform_from_words(bits[0], bits[1])
                               : uniform_from_words(bits[2], bits[3]);
  }

  /// Returns a standard normal variate, equal to entry (coordinate, sample) of fill_normal() for
  /// the same iteration. Throws as uniform() does.
  double normal(std::uint32_t iteration, Eigen::Index sample, Eigen::Index coordinate) const {
    check_index("varia::CounterRng::normal", sample, coordinate);
    const PhiloxCounter bits = philox4x32_10(
        pair_counter(detail::RandomFamily::normal, iteration, sample, coordinate), key());
    const std::array<double, 2> pair =
        box_muller(uniform_from_words(bits[0], bits[1]), uniform_from_words(bits[2], bits[3]));
    return pair[static_cast<std::size_t>(coordinate % 2)];
  }

  /// Fills `out` (coordinate x sample) with uniform(iteration, first_sample + column, row).
  /// Throws std::invalid_argument if the samples leave [0, max_sample] or out has more than
  /// max_coordinate + 1 rows.
  void fill_uniform(std::uint32_t iteration, Eigen::Index first_sample,
                    Eigen::Ref<Eigen::MatrixXd> out) const {
    check_block("varia::CounterRng::fill_uniform", first_sample, out);
    fill_pairs(detail::RandomFamily::uniform, iteration, first_sample, out,
               [](const detail::PhiloxBatch& batch, std::size_t i) {
                 return std::array<double, 2>{
                     uniform_from_words(batch.word[0][i], batch.word[1][i]),
                     uniform_from_words(batch.word[2][i], batch.word[3][i])};
               });
  }

  /// Fills `out` (coordinate x sample) with standard normals: entry (j, c) is
  /// normal(iteration, first_sample + c, j), so a block of columns s0..s0+k equals those columns
  /// of a block started at sample 0. Throws as fill_uniform() does.
  ///
  /// Uses Box-Muller on the two 64-bit halves of each Philox output, because it turns exactly two
  /// uniforms into exactly two normals. So every normal is a function of one counter, blocks and
  /// single draws agree, each call yields two normals from 106 of its 128 bits, and the loop has
  /// no branches. Ziggurat and polar methods reject a random number of inputs.
  void fill_normal(std::uint32_t iteration, Eigen::Index first_sample,
                   Eigen::Ref<Eigen::MatrixXd> out) const {
    check_block("varia::CounterRng::fill_normal", first_sample, out);
    fill_pairs(detail::RandomFamily::normal, iteration, first_sample, out,
               [](const detail::PhiloxBatch& batch, std::size_t i) {
                 return box_muller(uniform_from_words(batch.word[0][i], batch.word[1][i]),
                                   uniform_from_words(batch.word[2][i], batch.word[3][i]));
               });
  }

  /// Returns the dimension x samples block of fill_normal() that starts at sample 0. Throws as
  /// fill_normal() does, and if dimension or samples is negative.
  Eigen::MatrixXd normal_block(std::uint32_t iteration, Eigen::Index dimension,
                               Eigen::Index samples) const {
    if (dimension < 0) {
      throw detail::random_argument_error("varia::CounterRng::normal_block", "dimension", dimension,
                                          "non-negative");
    }
    if (samples < 0) {
      throw detail::random_argument_error("varia::CounterRng::normal_block", "samples", samples,
                                          "non-negative");
    }
    Eigen::MatrixXd block(dimension, samples);
    fill_normal(iteration, 0, block);
    return block;
  }

  /// Returns word 3 of every counter of `family`: stream and family tag.
  std::uint32_t family_word(detail::RandomFamily family) const {
    return stream_ | (static_cast<std::uint32_t>(family) << 24);
  }

  /// Throws std::invalid_argument, naming `function`, unless sample is in [0, max_sample] and
  /// coordinate in [0, max_coordinate].
  static void check_index(const char* function, Eigen::Index sample, Eigen::Index coordinate) {
    if (sample < 0 || sample > max_sample) {
      throw detail::random_argument_error(function, "sample", sample, "in [0, 16777215]");
    }
    if (coordinate < 0 || coordinate > max_coordinate) {
      throw detail::random_argument_error(function, "coordinate", coordinate, "in [0, 4294967295]");
    }
  }

 private:
  PhiloxCounter pair_counter(detail::RandomFamily family, std::uint32_t iteration,
                             Eigen::Index sample, Eigen::Index coordinate) const {
    return {static_cast<std::uint32_t>(coordinate / 2), static_cast<std::uint32_t>(sample),
            iteration, family_word(family)};
  }

  static void check_block(const char* function, Eigen::Index first_sample,
                          const Eigen::Ref<Eigen::MatrixXd>& out) {
    if (first_sample < 0 || first_sample > max_sample) {
      throw detail::random_argument_error(function, "first_sample", first_sample,
                                          "in [0, 16777215]");
    }
    if (out.cols() > max_sample + 1 - first_sample) {
      throw detail::random_argument_error(function, "out.cols()", out.cols(),
                                          "at most 16777216 - first_sample");
    }
    if (out.rows() > max_coordinate + 1) {
      throw detail::random_argument_error(function, "out.rows()", out.rows(), "at most 4294967296");
    }
  }

  // Writes transform(batch, i) of the Philox output for coordinate pair p into rows 2p and 2p + 1
  // of each column, dropping the second value of the last pair when out has an odd row count.
  template <class PairTransform>
  void fill_pairs(detail::RandomFamily family, std::uint32_t iteration, Eigen::Index first_sample,
                  Eigen::Ref<Eigen::MatrixXd>& out, PairTransform transform) const {
    constexpr auto batch_size = static_cast<Eigen::Index>(detail::philox_batch_size);
    const Eigen::Index rows = out.rows();
    const Eigen::Index pairs = (rows + 1) / 2;
    const PhiloxKey philox_key = key();
    const std::uint32_t word_3 = family_word(family);
    detail::PhiloxBatch batch;
    for (Eigen::Index column = 0; column < out.cols(); ++column) {
      const auto sample = static_cast<std::uint32_t>(first_sample + column);
      double* column_data = out.col(column).data();
      for (Eigen::Index first_pair = 0; first_pair < pairs; first_pair += batch_size) {
        detail::philox4x32_batch(static_cast<std::uint32_t>(first_pair), sample, iteration, word_3,
                                 philox_key, batch);
        const Eigen::Index count = std::min(batch_size, pairs - first_pair);
        for (Eigen::Index i = 0; i < count; ++i) {
          const std::array<double, 2> values = transform(batch, static_cast<std::size_t>(i));
          const Eigen::Index row = 2 * (first_pair + i);
          column_data[row] = values[0];
          if (row + 1 < rows) {
            column_data[row + 1] = values[1];
          }
        }
      }
    }
  }

  std::uint64_t seed_;
  std::uint32_t stream_;
};

}  // namespace varia
