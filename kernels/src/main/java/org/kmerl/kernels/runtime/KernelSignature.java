package org.kmerl.kernels.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter list of one kernel as its PTX {@code .entry} declares it, so a launch whose Java arguments
 * do not match (one too few after a kernel gained a parameter, a float where the kernel takes an int) fails
 * at once with the kernel's name and the argument's position, instead of running on misread bytes: the
 * driver takes one packed argument buffer and cannot tell.
 */
public final class KernelSignature {
    /** One parameter: its PTX type ({@code u32}, {@code f32}, {@code u64}, {@code f64}, or {@code b8} for a struct) and size. */
    public record Param(String type, int bytes, int alignment) {
        @Override
        public String toString() {
            return type.equals("b8") ? bytes + "-byte struct aligned to " + alignment : "." + type;
        }

        /** Whether a launch argument fits this parameter (see {@link KernelSignature#check}). */
        boolean accepts(Object a) {
            return switch (type) {
                case "u32", "s32", "b32" -> a instanceof Integer || a instanceof Boolean;
                case "f32" -> a instanceof Float;
                case "u64", "s64", "b64" -> a == null || a instanceof Long || a instanceof jcuda.Pointer;
                case "f64" -> a instanceof Double;
                default -> a instanceof Struct s && s.bytes().length == bytes && s.alignment() == alignment;
            };
        }
    }

    private static final Pattern PARAM = Pattern.compile(
            "\\.param\\s+(?:\\.align\\s+(\\d+)\\s+)?\\.(u32|s32|b32|f32|u64|s64|b64|f64|b8)\\s+\\w+(?:\\[(\\d+)])?");

    private final String kernel;
    private final List<Param> params;

    KernelSignature(String kernel, List<Param> params) {
        this.kernel = kernel;
        this.params = List.copyOf(params);
    }

    /** The signature of {@code .entry kernel} in {@code ptx}; throws if the module has no such entry. */
    public static KernelSignature parse(String ptx, String kernel) {
        Matcher entry = Pattern.compile("\\.entry\\s+" + Pattern.quote(kernel) + "\\s*\\(").matcher(ptx);
        if (!entry.find()) {
            throw new IllegalArgumentException("no .entry " + kernel + " in the PTX");
        }
        int close = ptx.indexOf(')', entry.end());
        List<Param> params = new ArrayList<>();
        for (String declaration : ptx.substring(entry.end(), close).split(",")) {
            if (declaration.isBlank()) {
                continue;
            }
            Matcher m = PARAM.matcher(declaration.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("kernel " + kernel + ": unreadable PTX parameter '" + declaration.trim() + "'");
            }
            String type = m.group(2);
            int bytes = type.equals("b8") ? Integer.parseInt(m.group(3)) : type.endsWith("64") ? 8 : 4;
            int alignment = m.group(1) != null ? Integer.parseInt(m.group(1)) : bytes;
            params.add(new Param(type, bytes, alignment));
        }
        return new KernelSignature(kernel, params);
    }

    public List<Param> params() {
        return params;
    }

    /**
     * Throws unless {@code args} match the parameters one for one: Integer or Boolean for a 32-bit integer,
     * Float for {@code .f32}, Long or a device pointer (null: a null pointer) for a 64-bit integer, Double
     * for {@code .f64}, a {@link Struct} of the same size for a struct.
     */
    public void check(Object... args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException("kernel " + kernel + " takes " + params.size() + " arguments " + params
                    + ", the launch passed " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            Param p = params.get(i);
            if (!p.accepts(args[i])) {
                throw new IllegalArgumentException("kernel " + kernel + ": argument " + i + " is " + describe(args[i])
                        + " where the kernel takes " + p);
            }
        }
    }

    private static String describe(Object a) {
        if (a == null) {
            return "a null pointer";
        }
        if (a instanceof Struct s) {
            return "a " + s.bytes().length + "-byte struct aligned to " + s.alignment();
        }
        return "a " + a.getClass().getSimpleName();
    }
}
