#!/usr/bin/python3
"""Independent reference values for the posteriordb models in benchmarks/posteriordb/models.

Each log posterior density is written again here, in the unconstrained space, from the formulas
of the posteriordb Stan programs with scipy.stats densities (all normalizing constants kept, so
the values are log p(theta, data) + log|Jacobian| in unconstrained coordinates; the C++ models
may differ by a constant). For each posterior the script evaluates it at:

  * 4 reference draws (rows spread over draws.csv) mapped to the unconstrained space,
  * 3 of those points plus N(0, (0.5 sd)^2) noise per coordinate, where sd is the coordinate's
    standard deviation over all reference draws in the unconstrained space,
  * 2 points in the tails: the unconstrained mean plus or minus 6 sd along a random direction
    of coordinate signs (3 sd for gp_pois_regr, where 4 sd already gives latent values f near
    60 and log densities below -1e12),

and writes expected_log_density.json next to this script: for each posterior the points
(unconstrained), the log density at each and the constrained quantities reported by
posteriordb (the names of reference.json "parameters", in that order).

Run from any directory with Debian's Python 3 (numpy and scipy):

    /usr/bin/python3 benchmarks/posteriordb/reference/log_density.py

The random numbers come from numpy's default_rng with a fixed seed, so a rerun reproduces the
file exactly on the same numpy version.
"""

import csv
import json
import math
import pathlib

import numpy as np
from scipy import special, stats

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data"
OUTPUT = HERE / "expected_log_density.json"
SEED = 20261204


def logit(p):
    return np.log(p) - np.log1p(-p)


def inv_logit(u):
    return special.expit(u)


def log_inv_logit(u):
    return -np.logaddexp(0.0, -u)


# Each posterior: unconstrain(draw) -> u, constrain(u) -> reported quantities, log_density(u).


class EightSchools:
    name = "eight_schools-eight_schools_noncentered"

    def __init__(self, data):
        self.y = np.array(data["y"], float)
        self.sigma = np.array(data["sigma"], float)
        self.j = int(data["J"])

    def unconstrain(self, q):
        theta, mu, tau = q[: self.j], q[self.j], q[self.j + 1]
        return np.concatenate([(theta - mu) / tau, [mu, math.log(tau)]])

    def constrain(self, u):
        trans, mu, tau = u[: self.j], u[self.j], math.exp(u[self.j + 1])
        return np.concatenate([mu + tau * trans, [mu, tau]])

    def log_density(self, u):
        trans, mu, log_tau = u[: self.j], u[self.j], u[self.j + 1]
        tau = math.exp(log_tau)
        theta = mu + tau * trans
        return (
            stats.norm.logpdf(trans, 0, 1).sum()
            + stats.norm.logpdf(self.y, theta, self.sigma).sum()
            + stats.norm.logpdf(mu, 0, 5)
            + stats.halfcauchy.logpdf(tau, 0, 5)
            + log_tau
        )


class ArK:
    name = "arK-arK"

    def __init__(self, data):
        self.k = int(data["K"])
        self.y = np.array(data["y"], float)

    def unconstrain(self, q):
        return np.concatenate([q[:-1], [math.log(q[-1])]])

    def constrain(self, u):
        return np.concatenate([u[:-1], [math.exp(u[-1])]])

    def log_density(self, u):
        alpha, beta, log_sigma = u[0], u[1 : self.k + 1], u[self.k + 1]
        sigma = math.exp(log_sigma)
        total = stats.norm.logpdf(alpha, 0, 10) + stats.norm.logpdf(beta, 0, 10).sum()
        total += stats.halfcauchy.logpdf(sigma, 0, 2.5) + log_sigma
        for t in range(self.k, len(self.y)):
            mean = alpha + sum(beta[k] * self.y[t - k - 1] for k in range(self.k))
            total += stats.norm.logpdf(self.y[t], mean, sigma)
        return total


class Diamonds:
    name = "diamonds-diamonds"

    def __init__(self, data):
        x = np.array(data["X"], float)
        self.xc = x[:, 1:] - x[:, 1:].mean(axis=0)
        self.y = np.array(data["Y"], float)

    def unconstrain(self, q):
        return np.concatenate([q[:-1], [math.log(q[-1])]])

    def constrain(self, u):
        return np.concatenate([u[:-1], [math.exp(u[-1])]])

    def log_density(self, u):
        k = self.xc.shape[1]
        b, intercept, log_sigma = u[:k], u[k], u[k + 1]
        sigma = math.exp(log_sigma)
        # The prior of sigma is a Student t truncated to (0, inf): the density times 2.
        return (
            stats.norm.logpdf(b, 0, 1).sum()
            + stats.t.logpdf(intercept, 3, 8, 10)
            + stats.t.logpdf(sigma, 3, 0, 10)
            + math.log(2.0)
            + log_sigma
            + stats.norm.logpdf(self.y, intercept + self.xc @ b, sigma).sum()
        )


class Garch11:
    name = "garch-garch11"

    def __init__(self, data):
        self.y = np.array(data["y"], float)
        self.sigma1 = float(data["sigma1"])

    def unconstrain(self, q):
        mu, alpha0, alpha1, beta1 = q
        return np.array([mu, math.log(alpha0), logit(alpha1), logit(beta1 / (1 - alpha1))])

    def constrain(self, u):
        alpha1 = inv_logit(u[2])
        return np.array([u[0], math.exp(u[1]), alpha1, (1 - alpha1) * inv_logit(u[3])])

    def log_density(self, u):
        mu, alpha0, alpha1, beta1 = self.constrain(u)
        sigma = np.empty_like(self.y)
        sigma[0] = self.sigma1
        for t in range(1, len(self.y)):
            sigma[t] = math.sqrt(
                alpha0 + alpha1 * (self.y[t - 1] - mu) ** 2 + beta1 * sigma[t - 1] ** 2
            )
        # Flat prior on the constrained region; the log-Jacobian of the map from u.
        log_jacobian = (
            u[1]
            + log_inv_logit(u[2])
            + log_inv_logit(-u[2])
            + math.log1p(-alpha1)
            + log_inv_logit(u[3])
            + log_inv_logit(-u[3])
        )
        return stats.norm.logpdf(self.y, mu, sigma).sum() + log_jacobian


class GpPoisRegr:
    name = "gp_pois_regr-gp_pois_regr"

    def __init__(self, data):
        self.x = np.array(data["x"], float)
        self.k = np.array(data["k"], int)
        self.n = int(data["N"])

    def factor(self, rho, alpha):
        d = self.x[:, None] - self.x[None, :]
        cov = alpha**2 * np.exp(-(d**2) / (2 * rho**2)) + 1e-10 * np.eye(self.n)
        return np.linalg.cholesky(cov)

    def unconstrain(self, q):
        rho, alpha, f = q[0], q[1], q[2:]
        f_tilde = np.linalg.solve(self.factor(rho, alpha), f)
        return np.concatenate([[math.log(rho), math.log(alpha)], f_tilde])

    def constrain(self, u):
        rho, alpha = math.exp(u[0]), math.exp(u[1])
        return np.concatenate([[rho, alpha], self.factor(rho, alpha) @ u[2:]])

    def log_density(self, u):
        rho, alpha = math.exp(u[0]), math.exp(u[1])
        f = self.factor(rho, alpha) @ u[2:]
        return (
            stats.gamma.logpdf(rho, 25, scale=1 / 4)
            + stats.halfnorm.logpdf(alpha, 0, 2)
            + stats.norm.logpdf(u[2:], 0, 1).sum()
            + stats.poisson.logpmf(self.k, np.exp(f)).sum()
            + u[0]
            + u[1]
        )


class HmmExample:
    name = "hmm_example-hmm_example"

    def __init__(self, data):
        self.y = np.array(data["y"], float)

    def unconstrain(self, q):
        theta11, _, theta21, _, mu1, mu2 = q
        return np.array([logit(theta11), logit(theta21), math.log(mu1), math.log(mu2 - mu1)])

    def constrain(self, u):
        mu1 = math.exp(u[2])
        t1, t2 = inv_logit(u[0]), inv_logit(u[1])
        return np.array([t1, 1 - t1, t2, 1 - t2, mu1, mu1 + math.exp(u[3])])

    def log_density(self, u):
        mu = np.array([math.exp(u[2]), math.exp(u[2]) + math.exp(u[3])])
        # log_theta[j, k] = log P(z_t = k | z_{t-1} = j)
        log_theta = np.array(
            [
                [log_inv_logit(u[0]), log_inv_logit(-u[0])],
                [log_inv_logit(u[1]), log_inv_logit(-u[1])],
            ]
        )
        emission = stats.norm.logpdf(self.y[:, None], mu[None, :], 1.0)
        gamma = emission[0].copy()
        for t in range(1, len(self.y)):
            gamma = special.logsumexp(gamma[:, None] + log_theta, axis=0) + emission[t]
        log_jacobian = log_theta.sum() + u[2] + u[3]
        return (
            stats.norm.logpdf(mu[0], 3, 1)
            + stats.norm.logpdf(mu[1], 10, 1)
            + special.logsumexp(gamma)
            + log_jacobian
        )


class Kidiq:
    name = "kidiq-kidscore_interaction"

    def __init__(self, data):
        self.y = np.array(data["kid_score"], float)
        self.hs = np.array(data["mom_hs"], float)
        self.iq = np.array(data["mom_iq"], float)

    def unconstrain(self, q):
        return np.concatenate([q[:-1], [math.log(q[-1])]])

    def constrain(self, u):
        return np.concatenate([u[:-1], [math.exp(u[-1])]])

    def log_density(self, u):
        beta, log_sigma = u[:4], u[4]
        sigma = math.exp(log_sigma)
        mean = beta[0] + beta[1] * self.hs + beta[2] * self.iq + beta[3] * self.hs * self.iq
        return (
            stats.halfcauchy.logpdf(sigma, 0, 2.5)
            + log_sigma
            + stats.norm.logpdf(self.y, mean, sigma).sum()
        )


class LowDimGaussMix:
    name = "low_dim_gauss_mix-low_dim_gauss_mix"

    def __init__(self, data):
        self.y = np.array(data["y"], float)

    def unconstrain(self, q):
        mu1, mu2, s1, s2, theta = q
        return np.array([mu1, math.log(mu2 - mu1), math.log(s1), math.log(s2), logit(theta)])

    def constrain(self, u):
        return np.array(
            [u[0], u[0] + math.exp(u[1]), math.exp(u[2]), math.exp(u[3]), inv_logit(u[4])]
        )

    def log_density(self, u):
        mu1, mu2, s1, s2, theta = self.constrain(u)
        log_theta, log_one_minus = log_inv_logit(u[4]), log_inv_logit(-u[4])
        mixture = np.logaddexp(
            log_theta + stats.norm.logpdf(self.y, mu1, s1),
            log_one_minus + stats.norm.logpdf(self.y, mu2, s2),
        ).sum()
        # Beta(5, 5) from the stable logarithms, so that theta near 0 or 1 stays finite.
        log_beta = 4 * log_theta + 4 * log_one_minus - special.betaln(5, 5)
        return (
            stats.halfnorm.logpdf([s1, s2], 0, 2).sum()
            + stats.norm.logpdf([mu1, mu2], 0, 2).sum()
            + log_beta
            + mixture
            + u[1]
            + u[2]
            + u[3]
            + log_theta
            + log_one_minus
        )


POSTERIORS = [ArK, Diamonds, EightSchools, Garch11, GpPoisRegr, HmmExample, Kidiq, LowDimGaussMix]


def read_draws(folder):
    with open(folder / "draws.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], np.array(rows[1:], float)


def points_for(model, draws, rng):
    unconstrained = np.array([model.unconstrain(row) for row in draws])
    mean, sd = unconstrained.mean(axis=0), unconstrained.std(axis=0)
    rows = np.linspace(0, len(draws) - 1, 4).astype(int)
    points = [unconstrained[i] for i in rows]
    points += [unconstrained[i] + rng.normal(0.0, 0.5 * sd) for i in rows[:3]]
    tail = 3.0 if model.name.startswith("gp_pois_regr") else 6.0
    for sign in (1.0, -1.0):
        direction = rng.choice([-1.0, 1.0], size=len(mean))
        points.append(mean + sign * tail * sd * direction)
    return points


def main():
    rng = np.random.default_rng(SEED)
    result = {}
    for posterior in POSTERIORS:
        folder = DATA / posterior.name
        data = json.loads((folder / "data.json").read_text())
        reference = json.loads((folder / "reference.json").read_text())
        names = [p["name"] for p in reference["parameters"]]
        header, draws = read_draws(folder)
        assert header == names, posterior.name
        model = posterior(data)
        points = points_for(model, draws, rng)
        values = [float(model.log_density(u)) for u in points]
        constrained = [model.constrain(u).tolist() for u in points]
        assert all(np.isfinite(values)), posterior.name
        assert len(points[0]) == reference["unconstrained_dim"], posterior.name
        assert len(constrained[0]) == len(names), posterior.name
        result[posterior.name] = {
            "parameter_names": names,
            "points": [p.tolist() for p in points],
            "log_density": values,
            "constrained": constrained,
        }
        print(f"{posterior.name}: log density at the first point {values[0]:.10g}")
    OUTPUT.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
