"""Elementary functions to any precision, as strict bounds on exact rationals.

Each function takes exact rationals (``Fraction``) and a precision ``bits`` and returns
an interval ``(lo, hi)`` of rationals with lo < value < hi (or lo == hi == value where
the value is exact), hi - lo at most about 2**-bits of the value's magnitude. The bounds
come from the series themselves: an alternating series with decreasing terms lies
strictly between two consecutive partial sums, and a series of positive terms lies
between a partial sum and that sum plus a geometric bound on the rest. No floating
point is used; the constants (pi, ln 2) are computed the same way and kept per
precision. ``transcendental`` rounds these intervals to the x87's results.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

Interval = tuple[Fraction, Fraction]
_ZERO = Fraction(0)
_ONE = Fraction(1)


def exact(x: Fraction) -> Interval:
    return x, x


def _trim(lo: Fraction, hi: Fraction, bits: int, point: bool = False) -> Interval:
    """The interval widened outward to dyadic ends of ``bits`` bits below its magnitude,
    which keeps the rationals small (an exact value stays exact unless ``point``)."""
    if lo == hi and not point:
        return lo, hi
    size = max(abs(lo), abs(hi))
    shift = bits + 8 - (size.numerator.bit_length() - size.denominator.bit_length())
    scale = 1 << shift if shift >= 0 else Fraction(1, 1 << -shift)
    a, b = lo * scale, hi * scale
    return Fraction(a.numerator // a.denominator) / scale, Fraction(-(-b.numerator // b.denominator)) / scale


def around(x: Fraction, bits: int) -> Interval:
    """x itself, or dyadic bounds around it of about ``bits`` bits where x is a long
    rational (a series of it would carry every digit)."""
    if x.numerator.bit_length() + x.denominator.bit_length() <= 2 * bits:
        return x, x
    return _trim(x, x, bits, True)


def add(a: Interval, b: Interval) -> Interval:
    return a[0] + b[0], a[1] + b[1]


def neg(a: Interval) -> Interval:
    return -a[1], -a[0]


def mul(a: Interval, b: Interval) -> Interval:
    products = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return min(products), max(products)


def div(a: Interval, b: Interval) -> Interval:
    """a / b, for b not containing zero."""
    return mul(a, (1 / b[1], 1 / b[0]))


def _small(term: Fraction, total: Fraction, bits: int) -> bool:
    return abs(term) * (1 << bits) <= abs(total) if total else not term


def _alternating(first: Fraction, ratio, bits: int) -> Interval:
    """The sum of t0 = first, t(k+1) = t(k) * ratio(k), an alternating series with
    decreasing terms: between the last two partial sums."""
    total, term, k = first, first, 0
    while True:
        term = term * ratio(k)
        k += 1
        if _small(term, total, bits) or not term:
            after = total + term
            return (min(total, after), max(total, after)) if term else (total, total)
        total += term


def _atan_series(q: Fraction, bits: int) -> Interval:
    """atan q = q - q**3/3 + ..., for |q| <= 1/2, to the first term below ``bits``."""
    q2 = -q * q
    total, power, k = q, q, 0
    while True:
        power *= q2
        k += 1
        term = power / (2 * k + 1)
        if _small(term, total, bits):
            after = total + term
            return min(total, after), max(total, after)
        total += term


@lru_cache(maxsize=16)
def _atan_inverse(n: int, bits: int) -> Interval:
    """atan(1/n) for an integer n > 1."""
    return _atan_series(Fraction(1, n), bits)


@lru_cache(maxsize=8)
def pi(bits: int) -> Interval:
    """pi = 16 atan(1/5) - 4 atan(1/239) (Machin)."""
    a, b = _atan_inverse(5, bits + 8), _atan_inverse(239, bits + 8)
    return _trim(16 * a[0] - 4 * b[1], 16 * a[1] - 4 * b[0], bits + 4)


def sin(r: Fraction, bits: int) -> Interval:
    """sin r, for |r| <= 1."""
    if not r:
        return exact(_ZERO)
    r2 = -r * r
    return _trim(*_alternating(r, lambda k: r2 / ((2 * k + 2) * (2 * k + 3)), bits), bits)


def cos(r: Fraction, bits: int) -> Interval:
    """cos r, for |r| <= 1."""
    if not r:
        return exact(_ONE)
    r2 = -r * r
    return _trim(*_alternating(_ONE, lambda k: r2 / ((2 * k + 1) * (2 * k + 2)), bits), bits)


def tan(r: Fraction, bits: int) -> Interval:
    """tan r, for |r| <= 1, as r + (sin r - r cos r) / cos r: the quotient of the two
    series' bounds would straddle r itself for a tiny r. sin r - r cos r is
    r**3/3 - r**5/30 + ..., the terms (-1)**(k+1) * 2k r**(2k+1) / (2k+1)!."""
    if not r:
        return exact(_ZERO)
    r2 = -r * r
    first = r * r * r / 3
    excess = _alternating(first, lambda k: r2 / ((2 * k + 2) * (2 * k + 5)), bits)
    lo, hi = div(excess, cos(r, bits + 4))
    return _trim(r + lo, r + hi, bits)


def atan(q: Fraction, bits: int) -> Interval:
    """atan q, for |q| <= 1/2."""
    if not q:
        return exact(_ZERO)
    return _trim(*_atan_series(q, bits), bits)


def atanh(z: Fraction, bits: int) -> Interval:
    """atanh z, for |z| <= 1/2: z + z**3/3 + ..., the rest after a term t below
    t * z**2 / (1 - z**2)."""
    if not z:
        return exact(_ZERO)
    if z < 0:
        return neg(atanh(-z, bits))
    z2 = z * z
    total, power, k = z, z, 0
    while True:
        power *= z2
        k += 1
        term = power / (2 * k + 1)
        total += term
        rest = term * z2 / (1 - z2)
        if _small(rest, total, bits):
            return _trim(total, total + rest, bits)


@lru_cache(maxsize=8)
def ln2(bits: int) -> Interval:
    """ln 2 = 2 atanh(1/3)."""
    lo, hi = atanh(Fraction(1, 3), bits + 4)
    return 2 * lo, 2 * hi


def expm1(t: Fraction, bits: int) -> Interval:
    """e**t - 1, for |t| <= 1."""
    if not t:
        return exact(_ZERO)
    if t < 0:  # alternating, decreasing terms
        return _trim(*_alternating(t, lambda k: t / (k + 2), bits), bits)
    total, term, k = t, t, 1
    while True:
        k += 1
        term = term * t / k
        total += term
        rest = term * t / (k + 1) / (1 - t / (k + 2))
        if _small(rest, total, bits):
            return _trim(total, total + rest, bits)
