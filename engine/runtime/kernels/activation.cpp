#include "runtime/kernel.h"

namespace qs::rt {

void registerActivationKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
