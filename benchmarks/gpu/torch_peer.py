"""PyTorch on the same card and shapes as GpuKernelBench (the GPU peer of kmerl's CUDA kernels).

Float32 throughout, TF32 off (torch's default for matmul) except in the gemm_tf32 rows (the peer of kmerl's
TF32 GEMM), CUDA-event timing after warm-up, the same
byte/FLOP conventions as the Java side. Usage: python3 torch_peer.py out.jsonl
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device("cuda")
gen = torch.Generator(device=dev).manual_seed(7)
rows = []


def normal(*shape):
    return torch.randn(*shape, device=dev, generator=gen)


def time(op, shape, flops, nbytes, fn):
    for _ in range(2):
        fn()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    fn()
    stop.record()
    stop.synchronize()
    probe = start.elapsed_time(stop)
    reps = int(max(3, min(50, 50 / max(probe, 1e-3))))
    start.record()
    for _ in range(reps):
        fn()
    stop.record()
    stop.synchronize()
    ms = start.elapsed_time(stop) / reps
    rate = f"{flops / ms / 1e6:.0f} GFLOP/s" if flops else f"{nbytes / ms / 1e6:.0f} GB/s"
    print(f"{op:<14} {shape:<22} {ms:10.3f} {rate:>14}", flush=True)
    rows.append(dict(op=op, shape=shape, impl="torch", ms=ms, flops=flops, bytes=nbytes,
                     device=torch.cuda.get_device_name()))


print(f"# torch {torch.__version__} on {torch.cuda.get_device_name()}")
for m, n, k in [(4096, 4096, 4096), (8192, 1536, 384), (8192, 384, 1536), (11520, 768, 256), (11520, 256, 768)]:
    a, b = normal(m, k), normal(k, n)
    time("gemm", f"{m}x{n}x{k}", 2.0 * m * n * k, 0, lambda: a @ b)
torch.backends.cuda.matmul.allow_tf32 = True   # the peer of kmerl's gemm v9 (TF32 tensor cores), then off again
for m, n, k in [(4096, 4096, 4096), (11520, 768, 256)]:
    a, b = normal(m, k), normal(k, n)
    time("gemm_tf32", f"{m}x{n}x{k}", 2.0 * m * n * k, 0, lambda: a @ b)
torch.backends.cuda.matmul.allow_tf32 = False
big = normal(1 << 24)
time("copy", "64MB", 0, 8.0 * (1 << 24), lambda: big.clone())
for r, c in [(8192, 1024), (4096, 4096), (98304, 1024)]:
    x = normal(r, c)
    time("softmax", f"{r}x{c}", 0, 8.0 * r * c, lambda: torch.softmax(x, 1))
for r, c in [(16384, 384), (8192, 768)]:
    x, w, b, gy = normal(r, c), normal(c), normal(c), normal(r, c)
    time("layernorm", f"{r}x{c}", 0, 8.0 * r * c, lambda: F.layer_norm(x, (c,), w, b, 1e-5))
    _, mean, rstd = torch.ops.aten.native_layer_norm(x, [c], w, b, 1e-5)
    time("layernorm_bw", f"{r}x{c}", 0, 12.0 * r * c,
         lambda: torch.ops.aten.native_layer_norm_backward(gy, x, [c], mean, rstd, w, b, [True, True, True]))

# Target cases: attention forward+backward (PyTorch's math attention, and its fused SDPA for reference)
s = (8, 6, 1200, 64)
go = normal(*s)
q, k, v = (normal(*s).requires_grad_() for _ in range(3))
flops = 3.5 * 4.0 * s[0] * s[1] * s[2] * s[2] * s[3]


def math_attention():
    p = torch.softmax((q @ k.transpose(-1, -2)) * 0.125, dim=-1)
    out = p @ v
    return torch.autograd.grad(out, (q, k, v), go)


def sdpa_attention():
    out = F.scaled_dot_product_attention(q, k, v)
    return torch.autograd.grad(out, (q, k, v), go)


time("attention_fwd_bw", "8x6x1200x64", flops, 0, math_attention)
rows[-1]["impl"] = "torch math"
time("attention_fwd_bw", "8x6x1200x64", flops, 0, sdpa_attention)
rows[-1]["impl"] = "torch sdpa"

# The CLIP loss composed from PyTorch ops (learnable temperature), forward and backward.
ca, cb = normal(4096, 256).requires_grad_(), normal(4096, 256).requires_grad_()
tau = torch.tensor(0.07, device=dev, requires_grad=True)
labels = torch.arange(4096, device=dev)


def clip_step():
    logits = F.normalize(ca, dim=1) @ F.normalize(cb, dim=1).t() / tau
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    return torch.autograd.grad(loss, (ca, cb, tau))


time("clip_fwd_bw", "4096x256", 3 * 2.0 * 4096 * 4096 * 256, 0, clip_step)

for s in [(32, 6, 256, 64), (8, 6, 1024, 64), (32, 4, 360, 64)]:
    q, k, v, go = normal(*s), normal(*s), normal(*s), normal(*s)
    flops = 4.0 * s[0] * s[1] * s[2] * s[2] * s[3]
    shape = "x".join(map(str, s))
    time("attention", shape, flops, 0, lambda: F.scaled_dot_product_attention(q, k, v))
    qg, kg, vg = (t.detach().clone().requires_grad_() for t in (q, k, v))
    out = F.scaled_dot_product_attention(qg, kg, vg)
    time("attention_bw", shape, 2.5 * flops, 0,
         lambda: torch.autograd.grad(out, (qg, kg, vg), go, retain_graph=True))
n = 1 << 24
ea, eb = normal(n), normal(n)
time("add", "16M", 0, 12.0 * n, lambda: ea + eb)
mm = normal(4096, 4096)
time("add_transposed", "4096x4096", 0, 12.0 * 4096 * 4096, lambda: mm + mm.t())
time("sum_all", "16M", 0, 4.0 * n, lambda: ea.sum())
time("sum_rows", "16384x1024", 0, 4.0 * n, lambda: ea.view(16384, 1024).sum(1))
# The K-MERL step's layout ops (GpuKernelBench.modelLayouts).
heads = normal(32, 360, 4, 64)
time("head_split_copy", "32x360x4x64", 0, 8.0 * heads.numel(), lambda: heads.permute(0, 2, 1, 3).contiguous())
time("transpose_copy", "4096x4096", 0, 8.0 * 4096 * 4096, lambda: mm.t().contiguous())
tok = normal(11520, 256)
time("sum_cols", "11520x256", 0, 4.0 * tok.numel(), lambda: tok.sum(0))
perm = (torch.arange(11520, device=dev) * 7919) % 11520
time("index_add", "11520x256", 0, 8.0 * tok.numel() + 4.0 * 11520,
     lambda: torch.zeros(11520, 256, device=dev).index_add_(0, perm, tok))
p = torch.nn.Parameter(normal(10_000_000))
p.grad = normal(10_000_000)
opt = torch.optim.AdamW([p], lr=1e-4, weight_decay=0.01, fused=True)
time("adamw", "10M", 0, 28.0 * 10_000_000, opt.step)
# GpuKernelBench.adamwModelParameters: 12 layers of width 256, 144 tensors, one fused multi-tensor step.
layer = [256 * 768, 768, 256 * 256, 256, 256, 256, 256 * 1024, 1024, 1024 * 256, 256, 256, 256]
params = [torch.nn.Parameter(normal(n)) for _ in range(12) for n in layer]
for q in params:
    q.grad = normal(q.numel())
opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01, fused=True)
time("adamw_params", "12x12 tensors", 0, 28.0 * sum(q.numel() for q in params), opt.step)
time("clip_params", "12x12 tensors", 0, 12.0 * sum(q.numel() for q in params),
     lambda: torch.nn.utils.clip_grad_norm_(params, 1e9))   # a limit above the norm: the factor clamps to 1
logits = normal(8192, 1000)
targets = (torch.arange(8192, device=dev) * 37) % 1000
time("cross_entropy", "8192x1000", 0, 4.0 * 8192 * 1000, lambda: F.cross_entropy(logits, targets))

if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
