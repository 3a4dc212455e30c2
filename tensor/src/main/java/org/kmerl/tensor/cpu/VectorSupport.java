package org.kmerl.tensor.cpu;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is in the module graph, and how
 * many float lanes its preferred species has. The API's classes are touched only after the module
 * check, so the backend still loads (with scalar loops) when the JVM was started without
 * {@code --add-modules jdk.incubator.vector}.
 */
public final class VectorSupport {
    private static final int FLOAT_LANES = probe();

    private VectorSupport() {
    }

    /** Float lanes of the preferred vector species, or 1 when the Vector API is unavailable. */
    public static int floatLanes() {
        return FLOAT_LANES;
    }

    public static boolean available() {
        return FLOAT_LANES > 1;
    }

    public static String describe() {
        if (!available()) {
            return "scalar (jdk.incubator.vector not loaded; start java with --add-modules jdk.incubator.vector)";
        }
        return FLOAT_LANES + " float lanes (" + FLOAT_LANES * 32 + "-bit vectors, jdk.incubator.vector)";
    }

    private static int probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 1;
        }
        return VectorLanes.preferredFloatLanes();
    }

    /** Kept in its own class so the Vector API is linked only when the module is present. */
    private static final class VectorLanes {
        static int preferredFloatLanes() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }
    }
}
