package org.kmerl.tensor;

import java.util.Arrays;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.UnaryOp;
import org.kmerl.tensor.trace.Tracer;

/**
 * An n-dimensional array: a {@link Storage} plus shape, strides and offset. Views (reshape, permute,
 * narrow, expand, ...) share the storage and copy nothing. Tensors are immutable in shape; their
 * contents change only through the explicitly named in-place methods ({@link #fill},
 * {@link #copyFrom}, {@link #addInPlace}) used by optimizers and gradient accumulation.
 *
 * <p>Memory: a tensor holds one reference on its storage until {@link #close()}; the storage is freed
 * when its last view is closed. Use {@link TensorScope} to close the temporaries of a computation.
 *
 * <p>The arithmetic methods here are shortcuts to the op families ({@link ElementwiseOps},
 * {@link ReductionOps}, {@link MatmulOps}, {@link IndexOps}, {@link JoinOps}, {@link NormOps}),
 * which hold the shape checks and dispatch to the tensor's {@link Backend}.
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private volatile boolean closed;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        storage.retain();
        TensorScope.register(this);
    }

    // ------------------------------------------------------------------------------------------
    // Creation

    /** A zero-filled tensor. */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        int[] s = Shape.checkSizes("zeros", shape);
        Storage storage = Backends.get(device).memory().allocate(dtype, Shape.numel(s));
        return new Tensor(storage, s, Shape.contiguousStrides(s), 0);
    }

    /**
     * A dense tensor whose contents are unspecified: for op outputs that the kernel overwrites
     * entirely. Never hand one to code that reads before writing.
     */
    public static Tensor empty(DType dtype, Device device, int... shape) {
        int[] s = Shape.checkSizes("empty", shape);
        Storage storage = Backends.get(device).memory().allocateUninitialized(dtype, Shape.numel(s));
        return new Tensor(storage, s, Shape.contiguousStrides(s), 0);
    }

    static Tensor emptyLike(Tensor t) {
        return empty(t.dtype(), t.device(), t.shape);
    }

    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, Device.CPU, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        return full(value, Device.CPU, shape);
    }

    public static Tensor full(float value, Device device, int... shape) {
        Tensor t = zeros(DType.FLOAT32, device, shape);
        if (value != 0f) {
            t.fill(value);
        }
        return t;
    }

    /** A 0-d float32 CPU tensor. */
    public static Tensor scalar(float value) {
        Storage storage = Backends.cpu().memory().upload(new float[] {value});
        return new Tensor(storage, new int[0], new int[0], 0);
    }

    /**
     * A float32 CPU tensor over a copy of {@code data}; with no shape given it is 1-D (use
     * {@link #scalar} for a 0-d tensor).
     */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : Shape.checkSizes("of", shape);
        if (Shape.numel(s) != data.length) {
            throw new ShapeException("of: " + data.length + " values do not fill shape " + Shape.format(s));
        }
        Storage storage = Backends.cpu().memory().upload(data.clone());
        return new Tensor(storage, s, Shape.contiguousStrides(s), 0);
    }

    /** An int32 CPU tensor over a copy of {@code data}; with no shape given it is 1-D. */
    public static Tensor ofInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : Shape.checkSizes("ofInts", shape);
        if (Shape.numel(s) != data.length) {
            throw new ShapeException("ofInts: " + data.length + " values do not fill shape " + Shape.format(s));
        }
        Storage storage = Backends.cpu().memory().upload(data.clone());
        return new Tensor(storage, s, Shape.contiguousStrides(s), 0);
    }

    /** 0, 1, ..., n-1 as float32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, ... (excluding end) as float32. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0f || Float.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = start + i * step;
        }
        return of(data, n);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.dtype(), t.device(), t.shape);
    }

    // ------------------------------------------------------------------------------------------
    // Metadata

    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis (negative counts from the end). */
    public int dim(int axis) {
        return shape[Shape.normalizeAxis("dim", axis, shape)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int stride(int axis) {
        return strides[Shape.normalizeAxis("stride", axis, shape)];
    }

    public int offset() {
        return offset;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return storage.backend().device();
    }

    public Backend backend() {
        checkOpen();
        return Tracer.isActive() ? Tracer.traced(storage.backend()) : storage.backend();
    }

    /** The buffer under this view; backends read it, everyone else should not need to. */
    public Storage storage() {
        checkOpen();
        return storage;
    }

    public boolean isClosed() {
        return closed;
    }

    /** True when the elements are laid out densely in row-major order starting at {@link #offset()}. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    // ------------------------------------------------------------------------------------------
    // Memory

    /** Releases this view's reference on the storage. Idempotent. Using a closed tensor throws. */
    @Override
    public void close() {
        if (!closed) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            storage.release();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor " + Shape.format(shape) + " was closed (its memory may be reused)");
        }
    }

    /** A new view over the same storage (a fresh reference, closeable on its own). */
    Tensor view(int[] newShape, int[] newStrides, int newOffset) {
        checkOpen();
        return new Tensor(storage, newShape, newStrides, newOffset);
    }

    /** Closes {@code old} and returns {@code view} (a view over old's storage): for ops that reshape their result. */
    static Tensor replaceWithView(Tensor old, Tensor view) {
        old.close();
        return view;
    }

    /** Copies to another device (or returns a new view on the same one). */
    public Tensor to(Device device) {
        if (device.equals(device())) {
            return view(shape, strides, offset);
        }
        Backend target = Backends.get(device);
        Storage dst = dtype() == DType.FLOAT32
                ? target.memory().upload(toFloatArray())
                : target.memory().upload(toIntArray());
        return new Tensor(dst, shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /**
     * This tensor on {@code device}: itself when it is there already, otherwise a copy there, and this
     * one is closed (for data built on the host and wanted only on the device).
     */
    public Tensor moveTo(Device device) {
        if (device.equals(device())) {
            return this;
        }
        Tensor moved = to(device);
        close();
        return moved;
    }

    // ------------------------------------------------------------------------------------------
    // Host access

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new ShapeException("item: tensor of shape " + Shape.format(shape) + " has " + numel()
                    + " elements, expected 1");
        }
        return dtype() == DType.FLOAT32 ? toFloatArray()[0] : toIntArray()[0];
    }

    /** The elements in row-major order, as float (int32 tensors are converted). */
    public float[] toFloatArray() {
        try (Tensor src = dtype() == DType.FLOAT32 ? contiguous() : toFloat()) {
            float[] out = new float[src.numel()];
            backend().memory().download(src, out);
            return out;
        }
    }

    /** The elements in row-major order, as int (float32 tensors are truncated toward zero). */
    public int[] toIntArray() {
        try (Tensor src = dtype() == DType.INT32 ? contiguous() : toInt()) {
            int[] out = new int[src.numel()];
            backend().memory().download(src, out);
            return out;
        }
    }

    /** One element by index (negative indices count from the end). Slow: for tests and printing. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new ShapeException("get: " + index.length + " indices for shape " + Shape.format(shape));
        }
        int pos = offset;
        for (int i = 0; i < index.length; i++) {
            int k = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (k < 0 || k >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + index[i] + " is out of range for axis " + i
                        + " of size " + shape[i] + " in shape " + Shape.format(shape));
            }
            pos += k * strides[i];
        }
        try (Tensor element = view(new int[0], new int[0], pos)) {
            return element.item();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Views (no copies)

    /** Same elements, new shape; one size may be -1. Copies only when no view is possible. */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape("reshape", newShape);
        int[] st = viewStrides(s);
        if (st != null) {
            return view(s, st, offset);
        }
        Tensor dense = copy();
        return replaceWithView(dense, dense.view(s, Shape.contiguousStrides(s), 0));
    }

    /** As {@link #reshape} but never copies: throws when the strides do not allow a view. */
    public Tensor viewAs(int... newShape) {
        int[] s = inferShape("view", newShape);
        int[] st = viewStrides(s);
        if (st == null) {
            throw new ShapeException("view: cannot view tensor of shape " + Shape.format(shape) + " strides "
                    + Arrays.toString(strides) + " as " + Shape.format(s) + " without a copy; use reshape");
        }
        return view(s, st, offset);
    }

    public Tensor flatten() {
        return reshape(numel());
    }

    private int[] inferShape(String op, int[] requested) {
        int[] s = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeException(op + ": only one -1 allowed in " + Shape.format(requested));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new ShapeException(op + ": negative size in " + Shape.format(requested));
            } else {
                known *= s[i];
            }
        }
        int n = numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new ShapeException(op + ": cannot infer -1 in " + Shape.format(requested) + " for "
                        + n + " elements of shape " + Shape.format(shape));
            }
            s[infer] = (int) (n / known);
        } else if (known != n) {
            throw new ShapeException(op + ": shape " + Shape.format(shape) + " (" + n + " elements) cannot become "
                    + Shape.format(requested));
        }
        return s;
    }

    /**
     * Strides that present this tensor's elements in the new shape without moving them, or null.
     * Runs of old dimensions that are contiguous with each other can be split or merged freely.
     */
    private int[] viewStrides(int[] newShape) {
        int n = numel();
        if (n == 0 || shape.length == 0 || isContiguous()) {
            return Shape.contiguousStrides(newShape);
        }
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBaseStride = strides[strides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            boolean chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBaseStride);
            if (chunkEnds) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBaseStride);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBaseStride = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /** Reorders the axes: result axis i is this tensor's axis {@code axes[i]}. */
    public Tensor permute(int... axes) {
        if (axes.length != shape.length) {
            throw new ShapeException("permute: " + Arrays.toString(axes) + " has " + axes.length
                    + " axes for shape " + Shape.format(shape));
        }
        int[] s = new int[axes.length];
        int[] st = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = Shape.normalizeAxis("permute", axes[i], shape);
            if (seen[a]) {
                throw new ShapeException("permute: axis " + axes[i] + " repeated in " + Arrays.toString(axes));
            }
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return view(s, st, offset);
    }

    public Tensor transpose(int axis0, int axis1) {
        int a = Shape.normalizeAxis("transpose", axis0, shape);
        int b = Shape.normalizeAxis("transpose", axis1, shape);
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** The transpose of a 2-D tensor. */
    public Tensor t() {
        if (shape.length != 2) {
            throw new ShapeException("t: expects a 2-D tensor, got shape " + Shape.format(shape));
        }
        return transpose(0, 1);
    }

    /** The sub-range [start, start+length) of one axis. */
    public Tensor narrow(int axis, int start, int length) {
        int a = Shape.normalizeAxis("narrow", axis, shape);
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new ShapeException("narrow: range [" + start + ", " + (start + length) + ") is outside axis " + axis
                    + " of size " + shape[a] + " in shape " + Shape.format(shape));
        }
        int[] s = shape.clone();
        s[a] = length;
        return view(s, strides.clone(), offset + start * strides[a]);
    }

    /** Python-style slice start:end:step of one axis (step > 0; negative start/end count from the end). */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shape.normalizeAxis("slice", axis, shape);
        if (step <= 0) {
            throw new ShapeException("slice: step must be positive, got " + step);
        }
        int n = shape[a];
        int lo = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
        int hi = Math.min(Math.max(end < 0 ? end + n : end, lo), n);
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[a] = (hi - lo + step - 1) / step;
        st[a] = strides[a] * step;
        return view(s, st, offset + lo * strides[a]);
    }

    /** Removes one axis by taking position {@code index} along it. */
    public Tensor select(int axis, int index) {
        int a = Shape.normalizeAxis("select", axis, shape);
        int i = index < 0 ? index + shape[a] : index;
        if (i < 0 || i >= shape[a]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for axis " + axis
                    + " of size " + shape[a] + " in shape " + Shape.format(shape));
        }
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != a) {
                s[j] = shape[d];
                st[j++] = strides[d];
            }
        }
        return view(s, st, offset + i * strides[a]);
    }

    /** Broadcasts to a larger shape with stride 0 on repeated axes; -1 keeps a size. */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length) {
            throw new ShapeException("expand: cannot expand shape " + Shape.format(shape) + " to fewer axes "
                    + Shape.format(newShape));
        }
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length];
        int[] st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int target = newShape[i];
            if (i < lead) {
                if (target < 0) {
                    throw new ShapeException("expand: -1 not allowed for new leading axis in " + Shape.format(newShape));
                }
                s[i] = target;
                st[i] = 0;
                continue;
            }
            int own = shape[i - lead];
            if (target == -1 || target == own) {
                s[i] = own;
                st[i] = strides[i - lead];
            } else if (own == 1 && target >= 0) {
                s[i] = target;
                st[i] = 0;
            } else {
                throw new ShapeException("expand: shape " + Shape.format(shape) + " cannot be expanded to "
                        + Shape.format(newShape));
            }
        }
        return view(s, st, offset);
    }

    public Tensor squeeze() {
        int kept = 0;
        for (int d : shape) {
            if (d != 1) {
                kept++;
            }
        }
        int[] s = new int[kept];
        int[] st = new int[kept];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                s[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        return view(s, st, offset);
    }

    /** Removes one axis of size 1. */
    public Tensor squeeze(int axis) {
        int a = Shape.normalizeAxis("squeeze", axis, shape);
        if (shape[a] != 1) {
            throw new ShapeException("squeeze: axis " + axis + " of shape " + Shape.format(shape) + " has size "
                    + shape[a] + ", not 1");
        }
        return select(a, 0);
    }

    /** Inserts an axis of size 1 at {@code axis} (0..rank; negative counts from the end). */
    public Tensor unsqueeze(int axis) {
        int a = Shape.normalizeAxis("unsqueeze", axis, shape.length + 1, shape);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == a) {
                s[i] = 1;
                st[i] = a < shape.length ? strides[a] * shape[a] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return view(s, st, offset);
    }

    /** This tensor if it is dense, otherwise a dense copy. */
    public Tensor contiguous() {
        if (isContiguous()) {
            return view(shape, strides, offset);
        }
        return copy();
    }

    /** A row-major dense tensor with these elements in {@code newShape}: a view when possible, else a copy. */
    public Tensor dense(int... newShape) {
        if (isContiguous()) {
            return viewAs(newShape);
        }
        Tensor d = copy();
        return replaceWithView(d, d.viewAs(newShape));
    }

    /** A dense copy with its own storage. */
    public Tensor copy() {
        Tensor out = empty(dtype(), device(), shape);
        backend().memory().copy(this, out);
        return out;
    }

    public Tensor toFloat() {
        return cast(DType.FLOAT32);
    }

    /** Converts to int32, truncating toward zero. */
    public Tensor toInt() {
        return cast(DType.INT32);
    }

    private Tensor cast(DType dtype) {
        if (dtype == dtype()) {
            return view(shape, strides, offset);
        }
        Tensor out = empty(dtype, device(), shape);
        backend().memory().copy(this, out);
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // In place (used by optimizers and gradient accumulation; autograd never sees these)

    public Tensor fill(float value) {
        backend().memory().fill(this, value);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor. */
    public Tensor copyFrom(Tensor src) {
        Checks.sameDevice("copyFrom", this, src);
        try (Tensor b = src.broadcastTo("copyFrom", shape)) {
            backend().memory().copy(b, this);
        }
        return this;
    }

    /** {@code this += other} (other broadcast to this shape). */
    public Tensor addInPlace(Tensor other) {
        ElementwiseOps.binaryInto(BinaryOp.ADD, this, other, this);
        return this;
    }

    /** {@code this *= s}. */
    public Tensor mulInPlace(float s) {
        backend().elementwise().binaryScalar(BinaryOp.MUL, this, s, this);
        return this;
    }

    /**
     * A new view broadcast to {@code target} (a fresh reference even when the shape already matches,
     * so callers can always close it).
     */
    public Tensor broadcastTo(String op, int[] target) {
        if (Arrays.equals(shape, target)) {
            return view(shape, strides, offset);
        }
        int[] b = Shape.broadcast(op, shape, target);
        if (!Arrays.equals(b, target)) {
            throw new ShapeException(op + ": shape " + Shape.format(shape) + " does not broadcast to "
                    + Shape.format(target));
        }
        return expand(target);
    }

    // ------------------------------------------------------------------------------------------
    // Elementwise shortcuts

    public Tensor add(Tensor o) { return ElementwiseOps.binary(BinaryOp.ADD, this, o); }
    public Tensor sub(Tensor o) { return ElementwiseOps.binary(BinaryOp.SUB, this, o); }
    public Tensor mul(Tensor o) { return ElementwiseOps.binary(BinaryOp.MUL, this, o); }
    public Tensor div(Tensor o) { return ElementwiseOps.binary(BinaryOp.DIV, this, o); }
    public Tensor pow(Tensor o) { return ElementwiseOps.binary(BinaryOp.POW, this, o); }
    public Tensor maximum(Tensor o) { return ElementwiseOps.binary(BinaryOp.MAXIMUM, this, o); }
    public Tensor minimum(Tensor o) { return ElementwiseOps.binary(BinaryOp.MINIMUM, this, o); }
    public Tensor eq(Tensor o) { return ElementwiseOps.binary(BinaryOp.EQ, this, o); }
    public Tensor ne(Tensor o) { return ElementwiseOps.binary(BinaryOp.NE, this, o); }
    public Tensor lt(Tensor o) { return ElementwiseOps.binary(BinaryOp.LT, this, o); }
    public Tensor le(Tensor o) { return ElementwiseOps.binary(BinaryOp.LE, this, o); }
    public Tensor gt(Tensor o) { return ElementwiseOps.binary(BinaryOp.GT, this, o); }
    public Tensor ge(Tensor o) { return ElementwiseOps.binary(BinaryOp.GE, this, o); }

    public Tensor add(float s) { return ElementwiseOps.scalar(BinaryOp.ADD, this, s); }
    public Tensor sub(float s) { return ElementwiseOps.scalar(BinaryOp.SUB, this, s); }
    public Tensor mul(float s) { return ElementwiseOps.scalar(BinaryOp.MUL, this, s); }
    public Tensor div(float s) { return ElementwiseOps.scalar(BinaryOp.DIV, this, s); }
    public Tensor pow(float s) { return ElementwiseOps.scalar(BinaryOp.POW, this, s); }
    public Tensor eq(float s) { return ElementwiseOps.scalar(BinaryOp.EQ, this, s); }
    public Tensor ne(float s) { return ElementwiseOps.scalar(BinaryOp.NE, this, s); }
    public Tensor lt(float s) { return ElementwiseOps.scalar(BinaryOp.LT, this, s); }
    public Tensor le(float s) { return ElementwiseOps.scalar(BinaryOp.LE, this, s); }
    public Tensor gt(float s) { return ElementwiseOps.scalar(BinaryOp.GT, this, s); }
    public Tensor ge(float s) { return ElementwiseOps.scalar(BinaryOp.GE, this, s); }

    public Tensor neg() { return ElementwiseOps.unary(UnaryOp.NEG, this); }
    public Tensor exp() { return ElementwiseOps.unary(UnaryOp.EXP, this); }
    public Tensor log() { return ElementwiseOps.unary(UnaryOp.LOG, this); }
    public Tensor sqrt() { return ElementwiseOps.unary(UnaryOp.SQRT, this); }
    public Tensor rsqrt() { return ElementwiseOps.unary(UnaryOp.RSQRT, this); }
    public Tensor reciprocal() { return ElementwiseOps.unary(UnaryOp.RECIPROCAL, this); }
    public Tensor square() { return ElementwiseOps.unary(UnaryOp.SQUARE, this); }
    public Tensor abs() { return ElementwiseOps.unary(UnaryOp.ABS, this); }
    public Tensor tanh() { return ElementwiseOps.unary(UnaryOp.TANH, this); }
    public Tensor sigmoid() { return ElementwiseOps.unary(UnaryOp.SIGMOID, this); }
    public Tensor relu() { return ElementwiseOps.unary(UnaryOp.RELU, this); }
    public Tensor gelu() { return ElementwiseOps.unary(UnaryOp.GELU, this); }

    public Tensor clamp(float lo, float hi) { return ElementwiseOps.clamp(this, lo, hi); }

    /** Elements where {@code mask} is non-zero are replaced by {@code value}. */
    public Tensor maskedFill(Tensor mask, float value) { return ElementwiseOps.maskedFill(this, mask, value); }

    // ------------------------------------------------------------------------------------------
    // Reductions, matmul, softmax, indexing shortcuts

    public Tensor sum(int... axes) { return ReductionOps.sum(this, axes, false); }
    public Tensor sum(int[] axes, boolean keepDim) { return ReductionOps.sum(this, axes, keepDim); }
    public Tensor mean(int... axes) { return ReductionOps.mean(this, axes, false); }
    public Tensor mean(int[] axes, boolean keepDim) { return ReductionOps.mean(this, axes, keepDim); }
    public Tensor max(int... axes) { return ReductionOps.max(this, axes, false); }
    public Tensor max(int[] axes, boolean keepDim) { return ReductionOps.max(this, axes, keepDim); }
    public Tensor min(int... axes) { return ReductionOps.min(this, axes, false); }
    public Tensor argmax(int axis) { return ReductionOps.argmax(this, axis, false); }

    public Tensor matmul(Tensor o) { return MatmulOps.matmul(this, o); }

    public Tensor softmax(int axis) { return NormOps.softmax(this, axis); }
    public Tensor logSoftmax(int axis) { return NormOps.logSoftmax(this, axis); }

    public Tensor gather(int axis, Tensor index) { return IndexOps.gather(this, axis, index); }
    public Tensor indexSelect(int axis, Tensor index) { return IndexOps.indexSelect(this, axis, index); }

    // ------------------------------------------------------------------------------------------

    @Override
    public String toString() {
        if (closed) {
            return "Tensor(closed, shape=" + Shape.format(shape) + ")";
        }
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Shape.format(shape))
                .append(", ").append(dtype()).append(", ").append(device());
        if (numel() <= 64) {
            sb.append(", ");
            if (dtype() == DType.FLOAT32) {
                sb.append(Arrays.toString(toFloatArray()));
            } else {
                sb.append(Arrays.toString(toIntArray()));
            }
        }
        return sb.append(')').toString();
    }
}
