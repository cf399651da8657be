// libFuzzer entry point; QS_FUZZ_TARGET names the entry of fuzzentries.h this executable runs.

#include "fuzzentries.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const qs::fuzz::Target *target = qs::fuzz::findTarget(QS_FUZZ_TARGET);
    if (!target)
        std::abort();
    target->run(std::string(reinterpret_cast<const char *>(data), size));
    return 0;
}
