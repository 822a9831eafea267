/* grant_table_op. TODO(#6): grant tables; -ENOSYS until then (Linux copes at boot). */
#include <hypercall.h>
#include <public/errno.h>

int64_t do_grant_table_op(uint64_t cmd, uint64_t arg, uint64_t count, uint64_t a4, uint64_t a5,
			  uint64_t a6)
{
	return -XEN_ENOSYS;
}
