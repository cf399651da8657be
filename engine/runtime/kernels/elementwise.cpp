#include "runtime/kernel.h"

namespace qs::rt {

void registerElementwiseKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
