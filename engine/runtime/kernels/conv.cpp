#include "runtime/kernel.h"

namespace qs::rt {

void registerConvKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
