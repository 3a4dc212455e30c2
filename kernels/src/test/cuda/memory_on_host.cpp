// memory.cu on the CPU (host_shim.h): strided copies with float <-> int conversion (truncation, saturation,
// NaN), the row copy of a head split (4-byte and 16-byte units), the tiled transpose over a batch, and
// fills, against plain loops.
#include "host_shim.h"
#include "../../main/cuda/memory.cu"
#include "check.h"

namespace {
std::vector<float> asFloats(const std::vector<int>& v) { return std::vector<float>(v.begin(), v.end()); }

void strided() {
    const int R = 5, C = 7, n = R * C;
    std::vector<float> x = random_floats(n, 71);
    for (auto& v : x) v *= 100;
    x[3] = NAN;
    x[4] = 3e9f;
    x[5] = -3e9f;
    // dst [C, R] dense = transpose of x [R, C]: element (c, r) reads x[r * C + c].
    std::vector<float> want(n);
    std::vector<int> wantInt(n);
    for (int c = 0; c < C; ++c)
        for (int r = 0; r < R; ++r) {
            float v = x[r * C + c];
            want[c * R + r] = v;
            wantInt[c * R + r] = std::isnan(v) ? 0 : v >= 2147483648.f ? 2147483647 : v <= -2147483648.f ? INT32_MIN : int(v);
        }
    Dims d{2, {C, R}};
    std::vector<float> out(n, -1.f);
    host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_copy_strided, n, d, (void*) out.data(), Strides{0, {R, 1}}, 0,
                      (const void*) x.data(), Strides{0, {1, C}}, 0);
    for (int i = 0; i < n; ++i) if (std::isnan(want[i]) && std::isnan(out[i])) out[i] = want[i] = 0;
    expect_close(want, out, "copy v1 transpose", 0.f);
    std::vector<int> outInt(n, -1);
    host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_copy_strided, n, d, (void*) outInt.data(), Strides{0, {R, 1}}, 1,
                      (const void*) x.data(), Strides{0, {1, C}}, 0);
    expect_close(asFloats(wantInt), asFloats(outInt), "copy v1 float -> int (truncate, saturate, NaN -> 0)", 0.f);
    std::vector<float> back(n, -1.f);
    host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_copy_strided, n, Dims{1, {n}}, (void*) back.data(), Strides{0, {1}}, 0,
                      (const void*) outInt.data(), Strides{0, {1}}, 1);
    expect_close(asFloats(wantInt), back, "copy v1 int -> float", 0.f);
    std::vector<float> filled(n, -1.f);
    host_shim::launch(dim3{1, 1, 1}, dim3{32, 1, 1}, kmerl_fill_strided, 12, Dims{2, {3, 4}}, (void*) filled.data(),
                      Strides{2, {10, 2}}, 0, 2.5f);   // every other element of rows at 10-element steps, from offset 2
    std::vector<float> wantFill(n, -1.f);
    for (int a = 0; a < 3; ++a) for (int b = 0; b < 4; ++b) wantFill[2 + a * 10 + b * 2] = 2.5f;
    expect_close(wantFill, filled, "fill strided", 0.f);
}

void headSplit() {
    const int B = 2, T = 3, H = 4, D = 8, n = B * T * H * D;   // [B, T, H, D] -> [B, H, T, D]
    std::vector<int> src(n), want(n);
    for (int i = 0; i < n; ++i) src[i] = i * 7 + 1;
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < T; ++t)
            for (int h = 0; h < H; ++h)
                for (int d = 0; d < D; ++d) want[((b * H + h) * T + t) * D + d] = src[((b * T + t) * H + h) * D + d];
    Dims outer{3, {B, H, T}};
    std::vector<int> dst(n, -1);
    host_shim::launch(dim3{2, 1, 1}, dim3{64, 1, 1}, kmerl_copy_v2_rows, B * H * T, D, 8, outer, dst.data(),
                      Strides{0, {H * T * D, T * D, D}}, (const int*) src.data(), Strides{0, {T * H * D, D, H * D}});
    expect_close(asFloats(want), asFloats(dst), "copy v2 rows (head split)", 0.f);
    std::fill(dst.begin(), dst.end(), -1);
    host_shim::launch(dim3{2, 1, 1}, dim3{64, 1, 1}, kmerl_copy_v2_rows_vec4, B * H * T, D / 4, 2, outer, (int4*) dst.data(),
                      Strides{0, {H * T * D / 4, T * D / 4, D / 4}}, (const int4*) src.data(), Strides{0, {T * H * D / 4, D / 4, H * D / 4}});
    expect_close(asFloats(want), asFloats(dst), "copy v2 rows, 16-byte units", 0.f);
}

void tiles() {
    const int batches = 2, SA = 37, SL = 45, n = batches * SA * SL;   // per batch: src (a, l) at a + l*SA; dst at l + a*SL
    std::vector<int> src(n), want(n), dst(n, -1);
    for (int i = 0; i < n; ++i) src[i] = i * 3 - 5;
    for (int z = 0; z < batches; ++z)
        for (int a = 0; a < SA; ++a)
            for (int l = 0; l < SL; ++l) want[z * SA * SL + l + a * SL] = src[z * SA * SL + a + l * SA];
    host_shim::launch(dim3{(SL + 31) / 32, (SA + 31) / 32, 1}, dim3{32, 8, 1}, kmerl_copy_v3_tiles, SA, SL, batches,
                      Dims{1, {batches}}, dst.data(), Strides{0, {SA * SL}}, SL, (const int*) src.data(), Strides{0, {SA * SL}}, SA);
    expect_close(asFloats(want), asFloats(dst), "copy v3 tiles (transpose, 2 batches)", 0.f);
}
}  // namespace

int main() {
    strided();
    headSplit();
    tiles();
    return report("memory.cu on the host");
}
