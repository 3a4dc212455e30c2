package org.kmerl.kernels.runtime;

/** A launch shape: grid and block dimensions and dynamic shared memory bytes. */
public record Grid(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {

    /** Blocks needed for {@code n} threads at most, capped for grid-stride loops (they cover the rest). */
    public static Grid linear(int n, int block) {
        int blocks = (int) Math.min(Math.max(1, ((long) n + block - 1) / block), 65_535L);
        return new Grid(blocks, 1, 1, block, 1, 1, 0);
    }

    /** {@code rows} units of {@code perBlock} rows each (warp-per-row kernels: perBlock warps of 32 lanes). */
    public static Grid warpsPerRow(int rows, int warpsPerBlock) {
        int blocks = (int) Math.min(Math.max(1, ((long) rows + warpsPerBlock - 1) / warpsPerBlock), 65_535L);
        return new Grid(blocks, 1, 1, 32 * warpsPerBlock, 1, 1, 0);
    }

    /** How many tiles of {@code size} cover {@code n} (n / size rounded up). */
    public static int tiles(int n, int size) {
        return (n + size - 1) / size;
    }

    public static Grid of(int gx, int gy, int gz, int bx, int by) {
        return new Grid(gx, gy, gz, bx, by, 1, 0);
    }

    /** One block of {@code threads} threads (single-block reductions). */
    public static Grid singleBlock(int threads) {
        return new Grid(1, 1, 1, threads, 1, 1, 0);
    }

    @Override
    public String toString() {
        return "grid (" + gridX + ", " + gridY + ", " + gridZ + ") block (" + blockX + ", " + blockY + ", " + blockZ + ")";
    }
}
