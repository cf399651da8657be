#include "runtime/kernel.h"

namespace qs::rt {

void registerShapeKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
