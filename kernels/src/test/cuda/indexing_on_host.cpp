// indexing.cu on the CPU (host_shim.h): index_select through the gather kernel, index_add through v1 (a
// thread per line) and v2 (destination ranges, a ballot-compacted index in shared memory), with repeated
// targets and one outside the destination (v2 skips it), against plain loops.
#include "host_shim.h"
#include "../../main/cuda/indexing.cu"
#include "check.h"

namespace {
void gather() {
    const int A = 4, X = 9, C = 3, K = 5;   // out [A, K, C] = x[:, index, :]
    std::vector<float> x = random_floats(A * X * C, 81), out(A * K * C, NAN), want(A * K * C);
    std::vector<int> index = {8, 0, 3, 3, 7};
    for (int a = 0; a < A; ++a)
        for (int k = 0; k < K; ++k)
            for (int c = 0; c < C; ++c) want[(a * K + k) * C + c] = x[(a * X + index[k]) * C + c];
    host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_gather, A * K * C, Dims{3, {A, K, C}}, out.data(),
                      Strides{0, {K * C, C, 1}}, (const float*) x.data(), Strides{0, {X * C, 0, 1}}, C,
                      (const int*) index.data(), Strides{0, {0, 1, 0}});
    expect_close(want, out, "gather (index_select along axis 1)", 0.f);
}

void indexAdd() {
    // dst [R, W] += src[j] at row index[j], for the 37 lines (columns); 600 positions are three of v2's
    // 256-position chunks (the last partial), so its compaction and the barrier before the shared lists are
    // refilled run more than once
    const int R = 6, L = 600, W = 37;
    std::vector<float> src = random_floats(L * W, 82), start = random_floats(R * W, 83);
    std::vector<int> index(L);
    for (int j = 0; j < L; ++j) index[j] = (j * 7 + j / 5) % R;
    std::vector<float> want = start;
    for (int j = 0; j < L; ++j)
        for (int w = 0; w < W; ++w) want[index[j] * W + w] += src[j * W + w];
    std::vector<float> dst = start;
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_scatter_add_lines, W, Dims{1, {W}}, L, dst.data(), Strides{0, {1}}, W,
                      (const float*) src.data(), Strides{0, {1}}, W, (const int*) index.data(), Strides{0, {0}}, 1);
    expect_close(want, dst, "index_add v1", 0.f);
    std::vector<int> outside = index;
    outside[4] = R;   // out of range: v2's ranges never match it
    std::vector<float> wantSkip = start;
    for (int j = 0; j < L; ++j)
        if (outside[j] < R)
            for (int w = 0; w < W; ++w) wantSkip[outside[j] * W + w] += src[j * W + w];
    dst = start;
    host_shim::launch(dim3{1, 3, 1}, dim3{256, 1, 1}, kmerl_index_add_v2_ranges, W, Dims{1, {W}}, L, R, dst.data(), Strides{0, {1}},
                      W, (const float*) src.data(), Strides{0, {1}}, W, (const int*) outside.data(), 0, 1);
    expect_close(wantSkip, dst, "index_add v2 (3 destination ranges, one target outside)", 0.f);
}
}  // namespace

int main() {
    gather();
    indexAdd();
    return report("indexing.cu on the host");
}
