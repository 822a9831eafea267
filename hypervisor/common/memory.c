/* memory_op. TODO(#4): being written; -ENOSYS until then. */
#include <hypercall.h>
#include <public/errno.h>

int64_t do_memory_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	return -XEN_ENOSYS;
}
