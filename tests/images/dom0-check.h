/*
 * dom0-check.h - the PASS/FAIL lines of our Dom0 test programs
 * (dom0-abi-test, dom0-irq-test): one line per check, counted, so the
 * program can end with "NAME: N passed, M failed" and a matching exit code.
 */
#ifndef DOM0_CHECK_H
#define DOM0_CHECK_H

#include <stdio.h>

static int passed, failed;

static void check(int ok, const char *name, const char *why)
{
	if (ok) {
		passed++;
		printf("PASS %s\n", name);
	} else {
		failed++;
		printf("FAIL %s: %s\n", name, why);
	}
}

#endif
