#!/usr/bin/env python3
"""Interop fixtures between kmerl's safetensors code and the Python `safetensors` library.

Writes, with the library itself (not a re-implementation):
  python-library.safetensors        F32/I32 tensors + metadata; kmerl's writer must produce the same bytes
  python-library-mixed.safetensors  F16, BF16, F64, I64, I16, I8, U8, BOOL tensors that kmerl's reader converts
and, given the path of a file written by kmerl (SafeTensorsTest writes
tensor/target/java-written.safetensors), reads it with the library and checks every value.

The library's Rust core needs Python >= 3.13 in Debian's build (trixie's python3-safetensors);
setup-safetensors.sh next to this script builds that interpreter from Debian's sources.
Run:  PYTHONPATH=/opt/safetensors-py /opt/py313/bin/python3.13 safetensors_interop.py OUT_DIR [JAVA_FILE]
      ... safetensors_interop.py --check FILE...   (only parse files with the library, e.g. the
      golden fixtures that autograd/src/test/python/make_golden.py writes)
"""
import math
import struct
import sys
from pathlib import Path

import safetensors
from safetensors import deserialize, serialize_file


def t(dtype, shape, fmt, values):
    return {"dtype": dtype, "shape": shape, "data": struct.pack("<" + fmt * len(values), *values)}


def main():
    if sys.argv[1] == "--check":
        for f in sys.argv[2:]:
            print(f, "parsed by the library:", len(deserialize(Path(f).read_bytes())), "tensors")
        return
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    weight = [i * 0.5 - 1.0 for i in range(6)]
    serialize_file({
        "weight": t("float32", [2, 3], "f", weight),
        "labels": t("int32", [4], "i", [3, -1, 0, 7]),
        "scalar": t("float32", [], "f", [2.5]),
        "empty": t("float32", [0, 4], "f", []),
        "layers.0.bias": t("float32", [2], "f", [1e-3, -7.25]),
    }, str(out / "python-library.safetensors"), metadata={"producer": "safetensors-python"})

    half = [0.5, -2.0, 65504.0, 6.103515625e-05, 5.960464477539063e-08]  # incl. max and subnormal
    serialize_file({
        "half": t("float16", [5], "e", half),
        "brain": {"dtype": "bfloat16", "shape": [2], "data": b"\x80\x3f\x00\xc0"},  # 1.0, -2.0
        "double": t("float64", [2], "d", [math.pi, -1e-3]),
        "long": t("int64", [3], "q", [-5, 0, 2147483647]),
        "short": t("int16", [2], "h", [-300, 300]),
        "byte": t("int8", [2], "b", [-128, 127]),
        "ubyte": t("uint8", [2], "B", [0, 255]),
        "flags": t("bool", [3], "?", [True, False, True]),
    }, str(out / "python-library-mixed.safetensors"))
    print("wrote fixtures with safetensors", safetensors.__version__)

    if len(sys.argv) > 2:
        java_file = Path(sys.argv[2])
        tensors = dict(deserialize(java_file.read_bytes()))
        expected = {
            "a": ("F32", [2, 2], "f", [1.0, -2.0, 3.5, 0.0]),
            "ids": ("I32", [3], "i", [7, -8, 9]),
            "zero_d": ("F32", [], "f", [42.0]),
        }
        for name, (dtype, shape, fmt, values) in expected.items():
            got = tensors[name]
            assert got["dtype"] == dtype and list(got["shape"]) == shape, (name, got)
            assert list(struct.unpack("<" + fmt * len(values), bytes(got["data"]))) == values, (name, got)
        print("the library read", java_file, "written by kmerl:", sorted(tensors))


if __name__ == "__main__":
    main()
