// reduction.cu on the CPU (host_shim.h): sum, max and min over the middle axis of [5, 37, 33] (kept axes
// [5, 33], strides [37*33, 1]; reduced axis stride 33) and over all of it: v1-v3 whole, v4's and v5's first
// passes combined in a plain loop, against plain loops; a NaN propagates through max and min.
#include "host_shim.h"
#include "../../main/cuda/reduction.cu"
#include "check.h"

namespace {
constexpr int A = 5, B = 37, C = 33;

Dims dims(std::initializer_list<int> sizes) {
    Dims d{};
    d.rank = int(sizes.size());
    int i = 0;
    for (int s : sizes) d.size[i++] = s;
    return d;
}

Strides strides(std::initializer_list<int> values, int offset = 0) {
    Strides s{};
    s.offset = offset;
    int i = 0;
    for (int v : values) s.stride[i++] = v;
    return s;
}

// The plain loop: `op` over at(0) .. at(count - 1), sums in double.
template <class At>
float fold(int op, int count, At at) {
    double sum = 0;
    float ext = reduce_identity(op);
    for (int i = 0; i < count; ++i) {
        sum += at(i);
        ext = reduce_combine(op, ext, at(i));
    }
    return op == R_SUM ? float(sum) : ext;
}

void check(int op, bool withNan) {
    std::vector<float> x = random_floats((size_t) A * B * C, 7 + op);
    if (withNan) x[(size_t) 2 * B * C + 11 * C + 4] = NAN;   // output (2, 4)
    int outputs = A * C;
    std::vector<float> want(outputs);
    for (int a = 0; a < A; ++a)
        for (int c = 0; c < C; ++c) want[a * C + c] = fold(op, B, [&](int b) { return x[(size_t) a * B * C + b * C + c]; });
    Dims kept = dims({A, C}), reduced = dims({B});
    Strides keptX = strides({B * C, 1}), reducedX = strides({C});
    std::string what = std::string(op == R_SUM ? "sum" : op == R_MAX ? "max" : "min") + (withNan ? " with a NaN" : "");
    auto same = [&](const std::vector<float>& got, const std::string& name) {
        if (withNan) {   // the NaN's output is NaN, every other output as without it
            bool nan = std::isnan(got[2 * C + 4]);
            ++checks;
            if (!nan) { std::printf("FAIL %s %s: the NaN did not propagate\n", name.c_str(), what.c_str()); ++failures; }
            std::vector<float> a = want, b = got;
            a[2 * C + 4] = b[2 * C + 4] = 0.f;
            expect_close(a, b, name + " " + what, 1e-5f);
        } else {
            expect_close(want, got, name + " " + what, 1e-5f);
        }
    };
    std::vector<float> out(outputs, -1.f);
    host_shim::launch(dim3{2, 1, 1}, dim3{64, 1, 1}, kmerl_reduce_v1_thread_per_output, op, outputs, kept, keptX, B, reduced,
                      reducedX, (const float*) x.data(), out.data());
    same(out, "v1");
    std::fill(out.begin(), out.end(), -1.f);
    host_shim::launch(dim3{7, 1, 1}, dim3{64, 1, 1}, kmerl_reduce_v2_block_per_output, op, outputs, kept, keptX, B, reduced,
                      reducedX, (const float*) x.data(), out.data());
    same(out, "v2");
    std::fill(out.begin(), out.end(), -1.f);
    host_shim::launch(dim3{5, 1, 1}, dim3{128, 1, 1}, kmerl_reduce_v3_warp_per_output, op, outputs, kept, keptX, B, reduced,
                      reducedX, (const float*) x.data(), out.data());
    same(out, "v3");
    // v4 pass 1: chunks of 10 reduced elements per block, partial[o * splits + s]; pass 2 here as a loop.
    int chunk = 10, splits = (B + chunk - 1) / chunk;
    std::vector<float> partial((size_t) outputs * splits, NAN);
    host_shim::launch(dim3{unsigned(splits), unsigned(outputs), 1}, dim3{32, 1, 1}, kmerl_reduce_v4_split_partials, op, outputs,
                      kept, keptX, B, reduced, reducedX, (const float*) x.data(), partial.data(), splits, chunk);
    for (int o = 0; o < outputs; ++o) out[o] = fold(op, splits, [&](int s) { return partial[(size_t) o * splits + s]; });
    same(out, "v4 (partials of 10)");
    // v5 pass 1: 32 adjacent outputs per block, 3 block rows of 8 thread rows over the reduced elements.
    int rows = 3;
    std::vector<float> columns((size_t) rows * outputs, NAN);
    host_shim::launch(dim3{unsigned((outputs + 31) / 32), unsigned(rows), 1}, dim3{32, 8, 1}, kmerl_reduce_v5_column_partials, op,
                      outputs, kept, keptX, B, reduced, reducedX, (const float*) x.data(), columns.data());
    for (int o = 0; o < outputs; ++o) out[o] = fold(op, rows, [&](int s) { return columns[(size_t) s * outputs + o]; });
    same(out, "v5 (3 split rows)");
}
}  // namespace

int main() {
    for (int op : {R_SUM, R_MAX, R_MIN}) {
        check(op, false);
        if (op != R_SUM) check(op, true);
    }
    return report("reduction.cu on the host");
}
