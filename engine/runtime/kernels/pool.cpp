#include "runtime/kernel.h"

namespace qs::rt {

void registerPoolKernels(OpRegistry &r)
{
    (void)r;
}

} // namespace qs::rt
