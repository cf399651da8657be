#include "runtime/kernel.h"

namespace qs::rt {

void registerResizeKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
