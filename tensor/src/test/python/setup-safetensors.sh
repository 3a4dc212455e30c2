#!/usr/bin/env bash
# Makes the Python `safetensors` library runnable on Debian 12 (bookworm), which does not package
# it: Debian 13's python3-safetensors is used as is, with a CPython 3.13 built from Debian's source
# tarball (its compiled module is built for 3.13). Needs only deb.debian.org, gcc and make (~5 min).
# Result: /opt/py313/bin/python3.13 with PYTHONPATH=/opt/safetensors-py.
set -euo pipefail
work=$(mktemp -d)
cd "$work"
curl -sSfO http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_3.13.5.orig.tar.xz
tar xf python3.13_3.13.5.orig.tar.xz
(cd Python-3.13.5 && ./configure --prefix=/opt/py313 --without-ensurepip >/dev/null && make -j"$(nproc)" >/dev/null \
  && make install >/dev/null)
curl -sSfO http://deb.debian.org/debian/pool/main/s/safetensors/python3-safetensors_0.5.2-1+b1_amd64.deb
dpkg -x python3-safetensors_0.5.2-1+b1_amd64.deb deb
mkdir -p /opt/safetensors-py
cp -r deb/usr/lib/python3/dist-packages/safetensors /opt/safetensors-py/
echo "ready: PYTHONPATH=/opt/safetensors-py /opt/py313/bin/python3.13"
