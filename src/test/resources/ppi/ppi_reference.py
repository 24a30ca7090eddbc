"""Reference values for PpiEstimatorTest: ppi_py's ppi_mean_ci (ppi_py/ppi.py, lam=None,
lam_optim_mode="overall") re-expressed step by step in numpy, on the fixed arrays of the test.
Run: python3 src/test/resources/ppi/ppi_reference.py  (numpy only; ppi_py is not on PyPI mirrors here)."""
import numpy as np
from statistics import NormalDist


def weights(n, w):  # ppi_py.utils.construct_weight_vector
    return np.ones(n) if w is None else w / w.sum() * n


def ppi_mean_ci(Y, Yhat, Yhat_unl, alpha, w=None, lam=None):
    n, N = len(Y), len(Yhat_unl)
    w = weights(n, w)
    wu = np.ones(N)
    # lam=None: gradients at the lam=1 point estimate
    theta1 = (wu * Yhat_unl).mean() + (w * (Y - Yhat)).mean()
    g = w * (Y - theta1)
    gh = w * (Yhat - theta1)
    ghu = wu * (Yhat_unl - theta1)
    gc, ghc = g - g.mean(), gh - gh.mean()
    cov = (1 / n) * (gc @ ghc + ghc @ gc)             # _calc_lam_glm
    var = np.cov(np.concatenate([gh, ghu]))            # ddof=1
    if lam is None:
        lam = float(np.clip(cov / (2 * (1 + n / N) * var), 0, 1))
    theta = (wu * lam * Yhat_unl).mean() + (w * (Y - lam * Yhat)).mean()
    imputed_std = (wu * (lam * Yhat_unl)).std() / np.sqrt(N)
    rectifier_std = (w * (Y - lam * Yhat)).std() / np.sqrt(n)
    se = np.sqrt(imputed_std ** 2 + rectifier_std ** 2)
    z = NormalDist().inv_cdf(1 - alpha / 2)             # _zconfint_generic, two-sided
    return lam, theta, se, theta - z * se, theta + z * se


Y = np.array([1, 1, 0, 1, 1, 0, 1, 1, 1, 0], float)
Yhat = np.array([1, 0, 0, 1, 1, 0, 0, 1, 1, 1], float)
Yhat_unl = np.array([1] * 13 + [0] * 7, float)
W = np.array([1, 2, 1, 1, 4, 1, 1, 2, 1, 1], float)
print("uniform  lam=%.15f theta=%.15f se=%.15f ci=(%.15f, %.15f)" % ppi_mean_ci(Y, Yhat, Yhat_unl, 0.05))
print("weighted lam=%.15f theta=%.15f se=%.15f ci=(%.15f, %.15f)" % ppi_mean_ci(Y, Yhat, Yhat_unl, 0.05, W))
# a judge that passes everything the humans pass and more: lam clipped below 1
Y2 = np.array([1, 0, 0, 0, 1, 0, 1, 0], float)
Yhat2 = np.array([1, 1, 1, 0, 1, 1, 1, 0], float)
Yhat2_unl = np.array([1] * 30 + [0] * 10, float)
print("lenient  lam=%.15f theta=%.15f se=%.15f ci=(%.15f, %.15f)" % ppi_mean_ci(Y2, Yhat2, Yhat2_unl, 0.10))
# pooled pairs (another population: the pairs of all traffic) with a small cohort's judged
# requests: Rogan-Gladen (1978) theta = (q - b) / (a - b), a = P(pass | useful), b = P(pass | not),
# delta-method SE with add-one (Agresti-Caffo) rates in the variances: RoganGladen.estimate
def rogan_gladen_ci(Y, Yhat, Yhat_unl, alpha):
    q, N = Yhat_unl.mean(), len(Yhat_unl)
    a, b = Yhat[Y == 1].mean(), Yhat[Y == 0].mean()
    n1, n0 = (Y == 1).sum(), (Y == 0).sum()
    at, bt = (Yhat[Y == 1].sum() + 1) / (n1 + 2), (Yhat[Y == 0].sum() + 1) / (n0 + 2)
    theta = (q - b) / (a - b)
    var = q * (1 - q) / N + theta ** 2 * at * (1 - at) / n1 + (1 - theta) ** 2 * bt * (1 - bt) / n0
    se = np.sqrt(var) / (a - b)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return a, b, theta, se, theta - z * se, theta + z * se


Yp = np.array([1] * 20 + [0] * 4 + [1] * 6, float)       # 26 useful of 30
Yhatp = np.array([1] * 17 + [0] * 3 + [1] * 1 + [0] * 3 + [1] * 6, float)
Yhatp_unl = np.array([1] * 6 + [0] * 6, float)           # the cohort: 12 judged, 6 passed
print("pooled   a=%.15f b=%.15f theta=%.15f se=%.15f ci=(%.15f, %.15f)" % rogan_gladen_ci(Yp, Yhatp, Yhatp_unl, 0.05))
