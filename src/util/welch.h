/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_WELCH_H
#define __USTAT_WELCH_H

#include <stdbool.h>

/*
 * Welch's unequal-variances t-test, two-sided: is the difference of two
 * means beyond the noise of the samples they came from?  bench --compare
 * runs it on the repeats of two runs.  The p-value comes from Student's t
 * distribution with Welch-Satterthwaite degrees of freedom, exactly (the
 * regularized incomplete beta function), not from a normal approximation:
 * with the few repeats a bench run makes the two differ a lot.
 */
struct ustat_welch {
	bool	valid;		/* false: fewer than 2 values on a side */
	double	t;		/* (mean_b - mean_a) / standard error; +-inf if no spread */
	double	df;		/* Welch-Satterthwaite degrees of freedom */
	double	p;		/* two-sided */
};

#define USTAT_WELCH_ALPHA	0.05

void ustat_welch(double mean_a, double sd_a, unsigned int n_a,
		 double mean_b, double sd_b, unsigned int n_b, struct ustat_welch *w);

/* I_x(a, b), the regularized incomplete beta function; a, b > 0, 0 <= x <= 1. */
double ustat_betainc(double a, double b, double x);
/* P(|T| >= |t|) for Student's t with DF degrees of freedom (DF > 0). */
double ustat_t_two_sided_p(double t, double df);

#endif /* __USTAT_WELCH_H */
