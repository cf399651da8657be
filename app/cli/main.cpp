// quantscope-cli: the headless command-line front end. Every subcommand is an engine call the
// desktop application can make too.

#include "cliargs.h"
#include "cmdequalize.h"
#include "cmdrender.h"
#include "cmdsensitivity.h"
#include "commands.h"

#include "core/error.h"
#include "data/dataset.h"
#include "plugins.h"

#include <QApplication>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace {

const char *const kUsage =
    "usage: quantscope-cli COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  info MODEL [--json]                       inputs, outputs, op counts, per-layer params and MACs\n"
    "  run MODEL --input NAME=FILE.npy ... --output-dir DIR [--all-tensors] [--threads T] [--json]\n"
    "                                            run one batch; one DIR/<tensor>.npy per output\n"
    "  eval MODEL --data PATH [--labels FILE] [--preprocess JSON_OR_FILE] [--offset K] [--limit N]\n"
    "       [--batch B] [--threads T] [--json]   top-1/top-5 accuracy on a data set\n"
    "  bench MODEL [--batch B] [--threads T] [--seconds S] [--json]\n"
    "                                            throughput on a random batch\n"
    "       [--quantsim [quantization flags] [--data PATH --preprocess ... --calib-samples N]]\n"
    "                                            simulated-quantization throughput\n"
    "  quantize MODEL --data PATH [--preprocess ...] [--calib-offset K] [--calib-samples N]\n"
    "       [--eval-offset K] [--eval-limit N] [--scheme tf|tf_enhanced|percentile] [--percentile P]\n"
    "       [--param-bw B] [--act-bw B] [--per-channel] [--config FILE] [--export DIR]\n"
    "       [--encodings-version 0.6.1|1.0.0] [--fold-bn] [--cle [--hba exact|approximate]]\n"
    "       [--bias-correction empirical|analytical] [--adaround [--adaround-iterations N]\n"
    "       [--adaround-batches N]] [--json]\n"
    "                                            calibrate, simulate, compare with FP32, export\n"
    "  finetune MODEL --data PATH [--preprocess ...] [--train-offset K] [--train-samples N]\n"
    "       [--eval-offset K] [--eval-limit N] [--epochs E] [--lr LR] [--batch B] [--optimizer sgd|adam]\n"
    "       [--schedule cosine|step|constant] [--momentum M] [--weight-decay W] [--no-augment]\n"
    "       [--warmup F] [--distill | --distill-weight W] [--seed S] [--keep-last] [--bn-training]\n"
    "       [quantization flags of quantize [--fixed-ranges]\n"
    "       [--range-lr LR] [--calib-offset K] [--calib-samples N]] [--export DIR] [--threads T] [--json]\n"
    "                                            fine-tune FP32, or quantization-aware training\n"
    "  export-data MODEL --data PATH [--preprocess ...] [--offset K] [--limit N] --out-x X.npy --out-y Y.npy\n"
    "                                            the preprocessed records as NPY tensors\n"
    "  equalize MODEL --out OUT.onnx [--hba exact|approximate|off] [--no-fold] [--no-cls]\n"
    "       [--cls-iterations N] [--data PATH --preprocess ... --samples N] [--json]\n"
    "                                            fold batch norms, equalize, absorb high biases\n"
    "  render MODEL --chart weight-ranges|relative-ranges|quant-sensitivity|sensitivity [--layer NAME]\n"
    "       [--compare OTHER.onnx | --equalized] [--compare-mode overlay|side-by-side] [--session S]\n"
    "       [--cache FILE (sensitivity: the table of quantscope-cli sensitivity --cache)]\n"
    "       --out FILE.png|.svg [--size WxH] [--theme light|dark] [--scale linear|log]\n"
    "                                            draw a chart offscreen (PNG or SVG)\n"
    "  sensitivity MODEL --data PATH [--preprocess ...] --method spatial-svd|weight-svd|channel-pruning\n"
    "       [--candidates 10] [--eval-offset K --eval-limit N] [--cache FILE] [--metric mac|memory]\n"
    "       [--round-to 8] [--layers A,B] [--recon-images N] [--channel-selection l2|lstsq] [--no-prefix-reuse]\n"
    "       [--workers N] [--json]\n"
    "                                            top-1 per layer and candidate ratio (resumable cache)\n"
    "  compress MODEL --data PATH [--preprocess ...] --method spatial-svd|weight-svd|channel-pruning|svd+pruning\n"
    "       --target R [--metric mac|memory] [--eval-offset K --eval-limit N] [--cache FILE] [--ratios FILE]\n"
    "       [--channel-selection l2|lstsq] [--final-recon-images N] [--recon-offset K] [--no-fill]\n"
    "       [--test-offset K --test-limit N] [--finetune-epochs E --train-offset K --train-samples N\n"
    "       [--finetune-lr LR] [--finetune-batch B] [--finetune-distill-weight W] [--finetune-seed S]\n"
    "       [--no-bn-training]] [--export DIR] [--json]\n"
    "                                            greedy ratio selection, compress, fine-tune, export\n"
    "\n"
    "Data (--data): a CIFAR-10 binary file, an IDX images file (labels beside it or --labels), an NPY array\n"
    "(labels with --labels FILE.npy) or an image folder (class = sub-folder, or file-name prefix listed in\n"
    "--labels / wnids.txt). Exit status: 0 success, 1 error, 2 usage error.\n";

} // namespace

int main(int argc, char **argv)
{
    // Only chart rendering needs a QApplication (offscreen unless a platform is set).
    const bool gui = argc > 1 && qs::cli::cmdNeedsGui(argv[1]);
    if (gui)
        qs::cli::prepareGuiPlatform();
    // Qt sees only the program name: it would otherwise take options such as --session, --style or
    // --platform out of argv before the command reads them.
    static int qtArgc = 1;
    static char *qtArgv[] = {argv[0], nullptr};
    std::unique_ptr<QCoreApplication> app = gui ? std::make_unique<QApplication>(qtArgc, qtArgv)
                                                : std::make_unique<QCoreApplication>(qtArgc, qtArgv);
    qs::registerBuiltinDatasets(qs::DatasetRegistry::instance());
    qs::registerBuiltinPlugins(qs::DatasetRegistry::instance());

    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::map<std::string, int (*)(const qs::cli::Argv &)> commands = {
        {"info", qs::cli::cmdInfo}, {"run", qs::cli::cmdRun}, {"eval", qs::cli::cmdEval}, {"bench", qs::cli::cmdBench},
        {"quantize", qs::cli::cmdQuantize}, {"export-data", qs::cli::cmdExportData},
        {"finetune", qs::cli::cmdFinetune},
        {"render", qs::cli::cmdRender}, {"equalize", qs::cli::cmdEqualize},
        {"sensitivity", qs::cli::cmdSensitivity}, {"compress", qs::cli::cmdCompress}};
    const std::string name = argv[1];
    auto it = commands.find(name);
    if (it == commands.end()) {
        std::fprintf(stderr, "error: unknown command '%s' (see quantscope-cli --help)\n", name.c_str());
        return 2;
    }
    const qs::cli::Argv rest(argv + 2, argv + argc);
    try {
        return it->second(rest);
    } catch (const qs::cli::UsageError &e) {
        std::fprintf(stderr, "error: %s (see quantscope-cli --help)\n", e.what());
        return 2;
    } catch (...) {
        const qs::Error e = qs::errorFromCurrentException("");
        std::fprintf(stderr, "error: %s\n", e.message.c_str());
        return e.code == qs::ErrorCode::Usage ? 2 : 1;
    }
}
