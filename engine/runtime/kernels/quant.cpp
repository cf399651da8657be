#include "runtime/kernel.h"

namespace qs::rt {

void registerQuantKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
