#include "quantflags.h"

namespace qs::cli {

// Per layer. AIMET's default is 10000; on ResNet-20 W4 2000 iterations reach the same accuracy
// in a fifth of the time.
constexpr int kDefaultAdaroundIterations = 2000;

std::vector<OptionSpec> quantOptionSpecs()
{
    return {{"scheme"}, {"percentile"}, {"param-bw"}, {"act-bw"}, {"per-channel", false}, {"config"}};
}

static int bitwidth(const Args &args, const std::string &name)
{
    const int64_t bw = args.intValue(name, 8, INT32_MIN, INT32_MAX);
    if (bw < 2 || bw > 16)
        fail(ErrorCode::Invalid, "--" + name + " " + std::to_string(bw) + ": unsupported bitwidth (2 to 16 bits)");
    return int(bw);
}

QuantSimOptions quantSimOptionsFromArgs(const Args &args)
{
    QuantSimOptions o;
    const std::string scheme = args.value("scheme", "tf_enhanced");
    if (!parseCalibrationScheme(scheme, o.scheme))
        fail(ErrorCode::Invalid, "--scheme " + scheme + ": unknown calibration scheme (tf, tf_enhanced, percentile)");
    o.percentile = args.doubleValue("percentile", 99.99, -1e300, 1e300);
    if (!(o.percentile > 50.0 && o.percentile <= 100.0))
        fail(ErrorCode::Invalid, "--percentile " + args.value("percentile", "") + ": must lie in (50, 100]");
    o.quant.paramBitwidth = bitwidth(args, "param-bw");
    o.quant.activationBitwidth = bitwidth(args, "act-bw");
    if (auto cfg = args.value("config"))
        o.config = loadQuantsimConfig(*cfg).take();
    if (args.flag("per-channel"))
        o.quant.perChannel = true;
    return o;
}

std::vector<OptionSpec> postTrainingOptionSpecs()
{
    return {{"fold-bn", false}, {"cle", false}, {"hba"}, {"bias-correction"},
            {"adaround", false}, {"adaround-iterations"}, {"adaround-batches"}};
}

PostTrainingFlags postTrainingFlagsFromArgs(const Args &args)
{
    PostTrainingFlags f;
    f.crossLayerScale = args.flag("cle");
    f.foldBatchNorms = f.crossLayerScale || args.flag("fold-bn");
    if (auto h = args.value("hba")) {
        if (*h != "exact" && *h != "approximate")
            throw UsageError("--hba must be exact or approximate, got '" + *h + "'");
        if (!f.crossLayerScale)
            throw UsageError("--hba needs --cle");
        f.absorbHighBias = *h == "exact";
    }
    if (auto m = args.value("bias-correction")) {
        if (*m == "empirical")
            f.biasCorrection = BiasCorrectionMethod::Empirical;
        else if (*m == "analytical")
            f.biasCorrection = BiasCorrectionMethod::Analytical;
        else
            throw UsageError("--bias-correction must be empirical or analytical, got '" + *m + "'");
    }
    if (args.flag("adaround")) {
        if (f.biasCorrection)
            throw UsageError("--adaround and --bias-correction exclude each other (AdaRound's rounding already "
                             "keeps the layer outputs unbiased)");
        AdaroundOptions a;
        a.iterations = int(args.intValue("adaround-iterations", kDefaultAdaroundIterations, 1, 1000000));
        f.adaroundBatches = int(args.intValue("adaround-batches", 0, 1, 1000000));
        f.adaround = a;
    } else if (args.value("adaround-iterations") || args.value("adaround-batches")) {
        throw UsageError("--adaround-iterations and --adaround-batches need --adaround");
    }
    return f;
}

} // namespace qs::cli
