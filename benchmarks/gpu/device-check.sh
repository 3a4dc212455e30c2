#!/usr/bin/env bash
# On the GPU machine (after prepare-bundle.sh here): parity tests of every CUDA kernel against the CPU
# backend, the same tests under compute-sanitizer, and the kernel benchmark next to PyTorch on the card.
# and the kernel lab of the command-line tool.
# Usage: benchmarks/gpu/device-check.sh OUT_DIR [parity|sanitize|kmerl|bench|cli|profile|targets|candidates|trace]...   (default: the first five;
#        kmerl before bench, so the comparison table gets its training-step row)
# kmerl: one K-MERL small-preset training step on the card, kmerl (KmerlStepOnDevice) and PyTorch
# (kmerl_step_peer.py --device cuda), for the issue 8 throughput row of RESULTS.md.
set -uo pipefail
out=${1:?output directory}; shift
steps=${*:-parity sanitize kmerl bench cli}
java=".gpu/jre/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
cp=$(ls .gpu/lib/*.jar | grep -v console-standalone | tr '\n' ':')
# The jlinked runtime has no zip file system, so tests are selected by class name rather than by scanning jars.
# KernelsOnHostTest (the CUDA C run on the CPU, for machines without a GPU) is left to the CPU test run.
selectors=$(python3 -c "import zipfile; print(' '.join('--select-class ' + n[:-6].replace('/', '.') for n in
  zipfile.ZipFile('.gpu/lib/kmerl-kernels-parity-tests.jar').namelist() if n.endswith('Test.class') and 'OnHost' not in n))")
junit=".gpu/lib/junit-platform-console-standalone-1.14.1.jar"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/device.txt"
run_tests() {   # $1: log name, rest: selectors
  local log=$1; shift
  $java -jar $junit execute --class-path "$cp" "$@" --details=tree --disable-banner 2>&1 | tee "$out/$log" | tail -40
}
for step in $steps; do
  case $step in
    parity) run_tests parity.log $selectors ;;
    sanitize)
      # memcheck over every parity test (~20 s on an H100); racecheck over the kernels that share memory between
      # threads (GEMM, attention, losses, reductions, normalisation, copies, index_add, the multi-tensor optimizers),
      # which ran past 140 s on an H100 on 2026-11-26. KMERL_SANITIZE_TOOLS, KMERL_RACECHECK_CLASSES (Matmul, or
      # Matmul#method for one test) and KMERL_SANITIZE_SECONDS (per tool) narrow a run.
      export PATH=$PATH:/usr/local/cuda/bin
      all=$selectors
      smem=""
      for t in ${KMERL_RACECHECK_CLASSES:-Attention Reduction Normalization Memory Index Matmul Loss OptimizerRandom}; do
        if [[ $t == *"#"* ]]; then smem="$smem --select-method org.kmerl.kernels.parity.${t%%#*}ParityTest#${t#*#}"
        else smem="$smem --select-class org.kmerl.kernels.parity.${t}ParityTest"; fi
      done
      for tool in ${KMERL_SANITIZE_TOOLS:-memcheck racecheck}; do
        if [[ $tool == memcheck ]]; then sel=$all; else sel=$smem; fi
        KMERL_CUDA_SYNC=1 timeout ${KMERL_SANITIZE_SECONDS:-300} compute-sanitizer --tool $tool --target-processes all --print-limit 20 \
          $java -jar $junit execute --class-path "$cp" $sel --details=summary --disable-banner > "$out/sanitizer-$tool.log" 2>&1
        echo "compute-sanitizer $tool exit $? (124 = stopped by the time limit)"
        grep -E "ERROR SUMMARY|RACECHECK SUMMARY|tests (successful|failed)|Error|error" "$out/sanitizer-$tool.log" | head -20
      done ;;
    bench)
      $java -cp "$cp" org.kmerl.benchmarks.gpu.LaunchOverheadBench 2>&1 | tee "$out/launch.log"
      $java -cp "$cp" org.kmerl.benchmarks.gpu.GpuKernelBench "$out/kmerl.jsonl" "$out/cudnn.jsonl" 2>&1 | tee "$out/bench.log"
      python3 benchmarks/gpu/torch_peer.py "$out/torch.jsonl" 2>&1 | tee "$out/torch.log"
      case $(cat "$out/device.txt") in   # datasheet peaks (HBM bytes/s, FP32 FLOP/s) for the % columns
        *H200*) peaks="4.8e12 67e12" ;; *H100*PCIe*) peaks="2.0e12 51e12" ;; *H100*) peaks="3.35e12 67e12" ;; *) peaks="" ;;
      esac
      step=""; [[ -n $peaks && -f $out/kmerl-step.log && -f $out/kmerl-step-torch.json ]] && step="$out/kmerl-step.log $out/kmerl-step-torch.json"
      cat "$out/torch.jsonl" "$out/cudnn.jsonl" > "$out/peers.jsonl" 2>/dev/null   # cudnn.jsonl is empty without cuDNN 8
      python3 benchmarks/gpu/compare.py "$out/kmerl.jsonl" "$out/peers.jsonl" $peaks $step > "$out/compare.md" && cat "$out/compare.md"
      # The GPU section of benchmarks/RESULTS.md, rewritten in place (a copy goes to OUT).
      { echo "Card: **$(cut -d, -f1 "$out/device.txt" | xargs)** (driver $(cut -d, -f2 "$out/device.txt" | xargs)," \
             "$(cut -d, -f3 "$out/device.txt" | xargs)); $(head -1 "$out/torch.log" | sed 's/^# //; s/ on .*//');" \
             "$(date -u +%F); \`benchmarks/gpu/device-check.sh OUT\`."
        echo; cat "$out/compare.md"; } > "$out/gpu-section.md"
      python3 benchmarks/replace-section.py benchmarks/RESULTS.md gpu-comparison "$out/gpu-section.md"
      cp benchmarks/RESULTS.md "$out/RESULTS.md" ;;
    kmerl)
      { $java -cp "$cp" org.kmerl.benchmarks.gpu.KmerlStepOnDevice cuda:0 20
        python3 benchmarks/kmerl_step_peer.py --device cuda --steps 20 --out "$out/kmerl-step-torch.json"
      } 2>&1 | tee "$out/kmerl-step.log" ;;
    candidates)   # the K-MERL step with each change that is off by default until measured here, then the verdicts
      # (benchmarks/gpu/verdicts.py: every candidate against the default, from this run's bench and steps)
      # attention v5: kᵀ and vᵀ read as views (the step's head-split q, k, v: no dense copies before the products);
      # KMERL_GEMM_TUNE=verbose: each GEMM shape on the fastest of v10/v6/v7/v8/v11 (same bits), decisions printed;
      # the kernel defaults before the H100 run of 2026-11-26 (GEMM aside: forcing it turns split-K off), for reference; opt-in TF32, for information (the targets
      # are FP32). The 3-lead step is launch-bound and moves by up to 2x between runs: judge by the 12-lead rows.
      for setting in default "KMERL_KERNELS=attention=v5" "KMERL_GEMM_TUNE=verbose" \
                     "KMERL_KERNELS=attention=v3,adamw=v1,clip=v1,clip_loss=v1" "KMERL_TF32=1"; do
        vars=$setting; [[ $setting == default ]] && vars=""
        echo "## $setting"; env $vars $java -cp "$cp" org.kmerl.benchmarks.gpu.KmerlStepOnDevice cuda:0 20 2>&1
      done | tee "$out/kmerl-step-candidates.log"
      [[ -f $out/kmerl.jsonl ]] || echo "(run bench too for the kernel rows of the verdicts)"
      python3 benchmarks/gpu/verdicts.py "$out" | tee "$out/verdicts.md" ;;
    trace)   # issue 10: a GPU trace of one training step (CUDA-event spans, a kernel track) and its summary
      $java -cp "$cp" org.kmerl.cli.Main profile --device cuda:0 --out "$out/gpu-trace.json" 2>&1 | tee "$out/trace.log"
      python3 -c "import json, sys, collections; t = json.load(open(sys.argv[1])); ev = t['traceEvents'] if isinstance(t, dict) else t
names = {e['pid']: e['args']['name'] for e in ev if e.get('ph') == 'M' and e.get('name') == 'process_name'}
print('events per track:', dict(collections.Counter(names.get(e.get('pid'), e.get('pid')) for e in ev if e.get('ph') == 'X')))" \
        "$out/gpu-trace.json" 2>&1 | tee -a "$out/trace.log" ;;
    targets)   # device time per kernel of the two hardest targets: attention fwd+bwd (v3, v4, v5) and the CLIP loss
      # (v1, v2), with the default GEMMs and then tuned per shape
      KMERL_CUDA_PROFILE=1 $java -cp "$cp" org.kmerl.benchmarks.gpu.TargetProfile 2>&1 | tee "$out/targets.txt"
      KMERL_CUDA_PROFILE=1 KMERL_GEMM_TUNE=verbose $java -cp "$cp" org.kmerl.benchmarks.gpu.TargetProfile 2>&1 \
        | tee "$out/targets-tuned.txt" ;;
    profile)   # device time per kernel over a few K-MERL steps (KernelProfile), 3 and 12 leads
      KMERL_CUDA_PROFILE=1 $java -cp "$cp" org.kmerl.benchmarks.gpu.KmerlStepOnDevice cuda:0 3 > "$out/profile.txt" 2>&1
      grep -A12 "one training step" "$out/profile.txt" ;;
    cli)
      # gemm 57600x1200x64: the shape of attention's q·kᵀ at B*H=48, T=1200 as one product; 4096x4096x256:
      # the CLIP loss's forward product. Which variant suits them (v7, v8, v9, v10, v11) decides the next defaults;
      # clip_loss: v1 against v2 (the statistics in the product's epilogue) on the forward alone.
      for args in "devices" "kernels bench gemm --shape 2048x2048x2048" "kernels bench gemm --shape 57600x1200x64" \
                  "kernels bench gemm --shape 4096x4096x256" "kernels bench attention --shape 8x6x512x64" \
                  "kernels bench reduce --variant v4" "kernels bench copy" "kernels bench index_add" \
                  "kernels bench clip_loss"; do
        echo "\$ kmerl $args"; $java -cp "$cp" org.kmerl.cli.Main $args 2>&1
      done | tee "$out/cli.log" ;;
  esac
done
