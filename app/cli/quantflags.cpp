#include "quantflags.h"

namespace qs::cli {

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

QuantRunSettings quantRunSettingsFromArgs(const Args &args)
{
    const QuantSimOptions q = quantSimOptionsFromArgs(args);
    QuantRunSettings s;
    s.scheme = q.scheme;
    s.percentile = q.percentile;
    s.paramBitwidth = q.quant.paramBitwidth;
    s.activationBitwidth = q.quant.activationBitwidth;
    s.perChannel = q.quant.perChannel.value_or(false);
    if (args.value("config"))
        s.config = q.config;
    s.crossLayerScale = args.flag("cle");
    s.foldBatchNorms = s.crossLayerScale || args.flag("fold-bn");
    if (auto h = args.value("hba")) {
        if (*h != "exact" && *h != "approximate")
            throw UsageError("--hba must be exact or approximate, got '" + *h + "'");
        if (!s.crossLayerScale)
            throw UsageError("--hba needs --cle");
        s.absorbHighBias = *h == "exact";
    }
    if (auto m = args.value("bias-correction")) {
        if (*m == "empirical")
            s.biasCorrection = BiasCorrectionMethod::Empirical;
        else if (*m == "analytical")
            s.biasCorrection = BiasCorrectionMethod::Analytical;
        else
            throw UsageError("--bias-correction must be empirical or analytical, got '" + *m + "'");
    }
    s.adaround = args.flag("adaround");
    if (s.adaround && s.biasCorrection)
        throw UsageError("--adaround and --bias-correction exclude each other (AdaRound's rounding already "
                         "keeps the layer outputs unbiased)");
    if (!s.adaround && (args.value("adaround-iterations") || args.value("adaround-batches")))
        throw UsageError("--adaround-iterations and --adaround-batches need --adaround");
    s.adaroundIterations = int(args.intValue("adaround-iterations", s.adaroundIterations, 1, 1000000));
    s.adaroundBatches = int(args.intValue("adaround-batches", 0, 1, 1000000));
    return s;
}

} // namespace qs::cli
