// SPDX-License-Identifier: GPL-2.0
/*
 * Welch's t-test for bench --compare (welch.h).  The incomplete beta
 * function is evaluated by its continued fraction,
 *
 *	I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) * 1 / (1 + d1 / (1 + d2 / (1 + ...)))
 *	d(2m + 1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
 *	d(2m)     = m (b - m) x / ((a + 2m - 1)(a + 2m))
 *
 * computed with the modified Lentz method; the fraction converges fast for
 * x < (a + 1) / (a + b + 2), and I_x(a, b) = 1 - I_(1-x)(b, a) covers the
 * rest.
 */
#include <math.h>

#include "welch.h"

#define CF_TINY		1e-300
#define CF_EPS		1e-15
#define CF_MAX_TERMS	1000

/* One step of Lentz's method for a term 1 + d / (...): returns the factor. */
static double lentz_step(double d, double *c, double *dd)
{
	*dd = 1.0 + d * *dd;
	if (fabs(*dd) < CF_TINY)
		*dd = CF_TINY;
	*c = 1.0 + d / *c;
	if (fabs(*c) < CF_TINY)
		*c = CF_TINY;
	*dd = 1.0 / *dd;
	return *c * *dd;
}

/* 1 / (1 + d1 / (1 + d2 / ...)) for I_x(a, b): Lentz on the denominator. */
static double beta_fraction(double a, double b, double x)
{
	double c = 1.0, dd = 0.0, f = 1.0, delta;
	int m;

	for (m = 0; m < CF_MAX_TERMS; m++) {
		double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		double even = (m + 1) * (b - m - 1) * x / ((a + 2 * m + 1) * (a + 2 * m + 2));

		f *= lentz_step(odd, &c, &dd);
		delta = lentz_step(even, &c, &dd);
		f *= delta;
		if (fabs(delta - 1.0) < CF_EPS)
			break;
	}
	return 1.0 / f;
}

double ustat_betainc(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	if (x > (a + 1) / (a + b + 2))
		return 1.0 - ustat_betainc(b, a, 1.0 - x);
	front = exp(a * log(x) + b * log1p(-x) + lgamma(a + b) - lgamma(a) - lgamma(b)) / a;
	return front * beta_fraction(a, b, x);
}

double ustat_t_two_sided_p(double t, double df)
{
	if (isinf(t))
		return 0;
	if (isnan(t) || df <= 0)
		return 1;
	/* P(|T| >= t) = I_(df / (df + t^2))(df / 2, 1 / 2). */
	return ustat_betainc(df / 2, 0.5, df / (df + t * t));
}

void ustat_welch(double mean_a, double sd_a, unsigned int n_a,
		 double mean_b, double sd_b, unsigned int n_b, struct ustat_welch *w)
{
	double va, vb, se2;

	w->valid = n_a >= 2 && n_b >= 2;
	w->t = 0;
	w->df = 0;
	w->p = 1;
	if (!w->valid)
		return;
	va = sd_a * sd_a / n_a;
	vb = sd_b * sd_b / n_b;
	se2 = va + vb;
	w->df = n_a + n_b - 2;
	if (se2 <= 0) {
		/* No spread at all: equal means are the same, any gap is not noise. */
		if (mean_a != mean_b) {
			w->t = mean_b > mean_a ? INFINITY : -INFINITY;
			w->p = 0;
		}
		return;
	}
	w->t = (mean_b - mean_a) / sqrt(se2);
	w->df = se2 * se2 / (va * va / (n_a - 1) + vb * vb / (n_b - 1));
	w->p = ustat_t_two_sided_p(w->t, w->df);
}
