/*
 * Host harness for hypervisor common/ code: the arch_ hooks common code calls,
 * implemented over the host. Console output is captured so tests can assert
 * on warnings; arch_shutdown turns into a cmocka assertion failure, so a test
 * can expect a panic with expect_assert_failure().
 */
#ifndef HV_SHIM_H
#define HV_SHIM_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Everything written to the console since the last shim_console_reset(). */
extern char shim_console[16384];
void shim_console_reset(void);

/* System time (arch_now_ns): 0 unless a test advances it. */
extern uint64_t shim_now_ns;

#endif
